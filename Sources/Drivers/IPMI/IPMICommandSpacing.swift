import Synchronization

/// Keeps commands to one BMC at least ``IPMIConfiguration/minCommandInterval`` apart, as Ironic
/// does with its per-address `LAST_CMD_TIME`: many BMCs drop sessions opened in quick
/// succession. Concurrent callers each reserve the next free slot, so none waits holding a lock.
final class IPMICommandSpacing: Sendable {
    private let nextSlot = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Reserves the next slot for `bmc` and waits for it; returns at once when the BMC has been
    /// quiet for `interval`.
    func waitForTurn(_ bmc: String, interval: Duration) async throws(DriverError) {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = nextSlot.withLock { slots -> ContinuousClock.Instant in
            let slot = max(now, slots[bmc] ?? now)
            slots[bmc] = slot.advanced(by: interval)
            return slot
        }
        guard slot > now else { return }
        do { try await Task.sleep(until: slot, clock: .continuous) } catch {
            throw DriverError("Cancelled while waiting to send a command to BMC \(bmc)")
        }
    }
}
