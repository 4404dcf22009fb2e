import NIOPosix
import Synchronization

/// Checks HTTP basic credentials against an htpasswd file, as Ironic's `http_basic` strategy does.
///
/// bcrypt runs on NIO's blocking thread pool, off the tasks that serve requests; a pair it
/// accepted is remembered in a ``VerifiedCredentialCache`` so the API stays fast under auth.
public final class HTTPBasicAuthenticator: Sendable {
    /// The users and their hashes.
    public let file: HTPasswdFile
    let cache: VerifiedCredentialCache
    /// The hash an unknown user's password is checked against, so that a wrong user name takes as
    /// long to refuse as a wrong password.
    private let decoy: String
    private let bcryptRuns = Atomic<Int>(0)

    /// An authenticator for the users of `file`.
    public init(file: HTPasswdFile) {
        self.file = file
        self.cache = VerifiedCredentialCache()
        self.decoy = file.hashes.min { $0.key < $1.key }?.value ?? ""
    }

    /// Whether `credentials` name a user of the file with the right password.
    func authenticate(_ credentials: BasicCredentials) async -> Bool {
        if cache.contains(credentials) { return true }
        let known = file.hashes[credentials.user]
        let hash = known ?? decoy
        bcryptRuns.add(1, ordering: .relaxed)
        let matches = (try? await NIOThreadPool.singleton.runIfActive { BcryptHash.verify(credentials.password, hash: hash) }) ?? false
        guard matches, known != nil else { return false }
        cache.insert(credentials)
        return true
    }

    /// How many times bcrypt has been run (the cache's effect, for tests).
    var verifications: Int { bcryptRuns.load(ordering: .relaxed) }
}
