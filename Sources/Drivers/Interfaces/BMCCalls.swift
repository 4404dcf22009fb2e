import Synchronization

/// How many requests this process's drivers have sent to BMCs: each `ipmitool` run and each
/// Redfish HTTP request counts one. `ironlog bench drivers` reports it per node — the aim is the
/// fewest calls each protocol allows.
public enum BMCCalls {
    private static let counter = Atomic<Int>(0)

    /// Requests sent so far.
    public static var count: Int { counter.load(ordering: .relaxed) }

    /// Notes one request.
    static func record() { counter.add(1, ordering: .relaxed) }
}
