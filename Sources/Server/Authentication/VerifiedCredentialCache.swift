import Crypto
import Foundation
import Synchronization

/// Remembers, for a few minutes, which user-and-password pairs bcrypt has accepted, so that a
/// client sending the same credentials on every request pays bcrypt's deliberate slowness once.
///
/// Only a SHA-256 of `user:password` is kept, never the password; only successes are kept, so a
/// wrong password is always checked in full. The cache holds at most ``capacity`` entries: when
/// full, expired entries go first, then the ones closest to expiring.
final class VerifiedCredentialCache: Sendable {
    /// How long an accepted pair is trusted without asking bcrypt again.
    let lifetime: Duration
    /// The most entries kept.
    let capacity: Int

    private let entries = Mutex<[[UInt8]: ContinuousClock.Instant]>([:])

    /// A cache trusting an accepted pair for `lifetime`, holding at most `capacity` of them.
    init(lifetime: Duration = .seconds(300), capacity: Int = 1024) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// Whether `credentials` were accepted less than ``lifetime`` ago.
    func contains(_ credentials: BasicCredentials, now: ContinuousClock.Instant = .now) -> Bool {
        let key = Self.key(credentials)
        return entries.withLock { entries in
            guard let expiry = entries[key] else { return false }
            if expiry > now { return true }
            entries.removeValue(forKey: key)
            return false
        }
    }

    /// Remembers that `credentials` were accepted.
    func insert(_ credentials: BasicCredentials, now: ContinuousClock.Instant = .now) {
        let key = Self.key(credentials)
        entries.withLock { entries in
            if entries[key] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value > now }
                while entries.count >= capacity, let soonest = entries.min(by: { $0.value < $1.value }) {
                    entries.removeValue(forKey: soonest.key)
                }
            }
            entries[key] = now + lifetime
        }
    }

    /// How many pairs are remembered.
    var count: Int { entries.withLock { $0.count } }

    private static func key(_ credentials: BasicCredentials) -> [UInt8] {
        Array(SHA256.hash(data: Data("\(credentials.user):\(credentials.password)".utf8)))
    }
}
