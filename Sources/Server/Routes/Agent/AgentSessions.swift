import Foundation
import Synchronization

/// What the API knows of each node's ramdisk agent: the token it was issued at its first lookup,
/// and the call-back URL its heartbeats gave.
///
/// Held in this process's memory, not in the node's log: a token is a credential for one boot of
/// the agent, and Ironic wipes it when the node powers off or reboots. A server restart forgets
/// every token; the agent's next lookup is issued a new one.
final class AgentSessions: Sendable {
    /// One node's agent.
    struct Session: Sendable {
        var token: String
        var callbackURL: String?
    }

    private let sessions = Mutex<[UUID: Session]>([:])

    /// A new session.
    init() {}

    /// The token for `node`: a new one (`fresh`) if it has none yet, else the existing one.
    func issue(for node: UUID) -> (token: String, fresh: Bool) {
        sessions.withLock { sessions in
            if let session = sessions[node] { return (session.token, false) }
            let token = Self.newToken()
            sessions[node] = Session(token: token)
            return (token, true)
        }
    }

    /// The node's session, if its agent has looked it up.
    func session(for node: UUID) -> Session? { sessions.withLock { $0[node] } }

    /// Records the call-back URL the agent's heartbeat gave.
    func record(callbackURL: String, for node: UUID) {
        sessions.withLock { $0[node]?.callbackURL = callbackURL }
    }

    /// Forgets the node's agent (it left the states an agent works in).
    func end(for node: UUID) { _ = sessions.withLock { $0.removeValue(forKey: node) } }

    /// 32 random bytes, URL-safe base64 without padding, as Ironic's `secrets.token_urlsafe(32)`.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
