import Domain
import Foundation
import Synchronization

/// Where fake hardware notes each action it performs, before performing it — so a test can
/// count what was done to which node, even across a crash.
public protocol ActionJournal: Sendable {
    func record(node: UUID, action: String)
}

/// How the `fake` interfaces behave: optional delays (as Ironic's `[fake] *_delay` options),
/// failures and agent call-back waits injected per node through `driver_info`, and the power
/// state of each fake machine.
///
/// Per node, in `driver_info`:
/// - `fake_fail`: an action (`"deploy.write_image"`, `"power.set_power_state"`…) or a list of
///   them; the action throws instead of running.
/// - `fake_wait`: steps (`"deploy.deploy"`, `"inspect.inspect_hardware"`, `"rescue.rescue"`…)
///   that hand over to an agent: the node waits for its call-back.
/// - `fake_delay`: seconds every action of the node takes (on the engine's clock).
public final class FakeBehaviour: Sendable {
    private struct State {
        var delays: [HardwareInterfaceKind: ClosedRange<Double>] = [:]
        var power: [UUID: PowerState] = [:]
        var bootDevices: [UUID: (device: BootDevice, persistent: Bool)] = [:]
        var biosSettings: [UUID: [String: String]] = [:]
        var indicators: [UUID: [IndicatorID: IndicatorState]] = [:]
        var virtualMedia: [UUID: [VirtualMediaDevice: VirtualMedia]] = [:]
        var volumeTargets: [UUID: Set<UUID>] = [:]
    }

    private let state = Mutex(State())
    /// Where actions are noted, if anywhere.
    public let journal: (any ActionJournal)?

    /// Behaviour with `delays` in seconds per kind (a range draws uniformly; none by default).
    public init(delays: [HardwareInterfaceKind: ClosedRange<Double>] = [:], journal: (any ActionJournal)? = nil) {
        state.withLock { $0.delays = delays }
        self.journal = journal
    }

    /// The power state the fake machine of `node` is in, if it has been set since start.
    public func hardwarePower(of node: UUID) -> PowerState? { state.withLock { $0.power[node] } }

    /// Changes the fake machine's power behind the engine's back (someone pressed the button).
    public func setHardwarePower(_ power: PowerState?, of node: UUID) { state.withLock { $0.power[node] = power } }

    /// The boot device last set on the fake machine of `node` since start, and whether for good.
    public func hardwareBootDevice(of node: UUID) -> (device: BootDevice, persistent: Bool)? { state.withLock { $0.bootDevices[node] } }

    /// Runs the bookkeeping of one action: the delay, an injected failure, the journal entry.
    func perform(_ action: String, kind: HardwareInterfaceKind, _ task: DriverTask) async throws(DriverError) {
        let seconds: Double? = switch task.node.driverInfo["fake_delay"] {
        case .number(let value)?: value
        default: state.withLock { $0.delays[kind] }.map { Double.random(in: $0) }
        }
        if let seconds, seconds > 0 {
            do { try await task.clock.sleep(for: .milliseconds(Int64(seconds * 1000))) } catch { throw DriverError("Cancelled during \(action)") }
        }
        if Self.names(task.node.driverInfo["fake_fail"]).contains(action) {
            throw DriverError("Fake failure injected at \(action)")
        }
        journal?.record(node: task.node.uuid, action: action)
    }

    /// Whether `action` hands over to an agent for this node.
    func waits(_ action: String, _ task: DriverTask) -> Bool {
        Self.names(task.node.driverInfo["fake_wait"]).contains(action)
    }

    /// The BIOS settings applied to the fake machine of `node` since start, over its defaults.
    public func hardwareBIOSSettings(of node: UUID) -> [String: String] { state.withLock { $0.biosSettings[node] ?? [:] } }

    /// The indicators set on the fake machine of `node` since start.
    public func hardwareIndicators(of node: UUID) -> [IndicatorID: IndicatorState] { state.withLock { $0.indicators[node] ?? [:] } }

    /// The virtual media inserted into the fake machine of `node` since start.
    public func hardwareVirtualMedia(of node: UUID) -> [VirtualMediaDevice: VirtualMedia] { state.withLock { $0.virtualMedia[node] ?? [:] } }

    /// The volume targets programmed into the fake machine's adapter out of band, since start.
    public func hardwareVolumeTargets(of node: UUID) -> Set<UUID> { state.withLock { $0.volumeTargets[node] ?? [] } }

    func recordVolumeTarget(_ target: UUID, programmed: Bool, of node: UUID) {
        state.withLock { state in
            if programmed { state.volumeTargets[node, default: []].insert(target) } else { state.volumeTargets[node]?.remove(target) }
        }
    }

    func recordBIOSSettings(_ settings: [String: String]?, of node: UUID) {
        state.withLock { state in
            if let settings { state.biosSettings[node, default: [:]].merge(settings) { _, new in new } } else { state.biosSettings[node] = nil }
        }
    }

    func recordIndicator(_ indicator: IndicatorID, _ value: IndicatorState, of node: UUID) {
        state.withLock { $0.indicators[node, default: [:]][indicator] = value }
    }

    func recordVirtualMedia(_ media: VirtualMedia?, device: VirtualMediaDevice, of node: UUID) {
        state.withLock { $0.virtualMedia[node, default: [:]][device] = media }
    }

    func recordPower(_ power: PowerState, of node: UUID) { state.withLock { $0.power[node] = power } }

    func recordBootDevice(_ device: BootDevice, persistent: Bool, of node: UUID) {
        state.withLock { $0.bootDevices[node] = (device, persistent) }
    }

    private static func names(_ value: JSONValue?) -> Set<String> {
        switch value {
        case .string(let name)?: [name]
        case .array(let names)?: Set(names.compactMap { if case .string(let name) = $0 { name } else { nil } })
        default: []
        }
    }
}

/// An ``ActionJournal`` in a file: one line per action, `<node> <action>`, written with
/// `O_APPEND` and flushed to disk before the action runs.
public final class FileActionJournal: ActionJournal {
    private let descriptor: Int32
    private let lock = Mutex(())

    /// Opens (creating) the journal at `path`.
    public init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DriverError("Cannot open the action journal \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    public func record(node: UUID, action: String) {
        let line = Array("\(node.uuidString.lowercased()) \(action)\n".utf8)
        lock.withLock { _ in
            _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            fsync(descriptor)
        }
    }

    /// Every line of the journal at `path`, as (node, action).
    public static func entries(at path: String) throws -> [(node: String, action: String)] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }
}
