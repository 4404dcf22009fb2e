import Foundation

/// Why one `ipmitool` run failed, read from its exit status and both output streams: whether
/// trying again can help decides if it is retried.
///
/// `ipmitool` runs with `-v`, so a session that could not be opened says why on stderr: a
/// wrong password (`RAKP 2 HMAC is invalid`) or an unknown user (`unauthorized name`) is told
/// apart from a BMC that does not answer (`Get Auth Capabilities error`, `No response`), though
/// both end in the same `Unable to establish IPMI v2 / RMCP+ session`.
public enum IPMIToolFailure: Sendable, Hashable {
    /// The BMC refused the user name or password (or the privilege level asked for): retrying
    /// would only lock the account out.
    case credentials(String)
    /// The BMC did not answer, had no free session, or the run timed out: worth retrying.
    case transient(String)
    /// The BMC answered and refused the command: retrying would get the same answer.
    case refused(String)

    /// Whether trying again may succeed.
    public var isRetryable: Bool {
        if case .transient = self { true } else { false }
    }

    /// What went wrong, in words.
    public var cause: String {
        switch self {
        case .credentials(let detail): "the BMC refused the credentials (wrong user name or password): \(detail)"
        case .transient(let detail): "the BMC did not answer or could not open a session: \(detail)"
        case .refused(let detail): "the BMC refused the command: \(detail)"
        }
    }

    private static let credentialMarkers = [
        "rakp 2 hmac is invalid", "unauthorized name", "invalid user name", "rakp 2 message indicates an error",
        "activate session command failed", "password", "requested privilege level exceeds", "insufficient privilege",
        "set session privilege level to",
    ]
    private static let transientMarkers = [
        "insufficient resource", "unable to establish", "timeout", "timed out", "no response", "get auth capabilities error",
        "error issuing get channel authentication capabilities", "no more sessions", "session slot",
    ]

    /// Classifies a run that exited with `status` (nil when killed on timeout): nil if it
    /// succeeded. A zero exit with a `… failed` line on stderr is a failure too (`chassis bootdev`
    /// exits 0 when the BMC refuses the boot device).
    public static func classify(status: Int32?, standardError: String) -> IPMIToolFailure? {
        let lines = meaningfulLines(standardError)
        let detail = lines.isEmpty ? "no diagnostic from ipmitool" : lines.joined(separator: "; ")
        guard let status else { return .transient("ipmitool did not finish in time and was stopped") }
        if status == 0 {
            let failed = lines.filter { $0.lowercased().contains(" failed") }
            return failed.isEmpty ? nil : .refused(failed.joined(separator: "; "))
        }
        let text = standardError.lowercased()
        if text.contains("insufficient resource") || text.contains("session slot") { return .transient(detail) }
        if credentialMarkers.contains(where: text.contains) { return .credentials(detail) }
        if transientMarkers.contains(where: text.contains) { return .transient(detail) }
        return .refused(detail)
    }

    /// stderr without the chatter `-v` adds on every run (registry loading, capability probes,
    /// raw request dumps).
    static func meaningfulLines(_ standardError: String) -> [String] {
        let chatter = ["loading iana pen registry", "running get vso capabilities", "invalid completion code received: invalid command",
                       "discovered ipmb address", "raw req", "raw request", "raw rsp"]
        return standardError.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in
                !line.isEmpty && !chatter.contains(where: line.lowercased().hasPrefix)
                    && !line.allSatisfy { $0.isHexDigit || $0 == " " }
            }
    }
}
