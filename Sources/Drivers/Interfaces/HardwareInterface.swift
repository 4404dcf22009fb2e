import Domain

/// One implementation of one interface kind (Ironic's `base.BaseInterface`): what it reads from
/// `driver_info`, how it validates a node, and the steps it offers.
public protocol HardwareInterface: Sendable {
    /// The kind it implements.
    var kind: HardwareInterfaceKind { get }
    /// Its name, as a node's `<kind>_interface` names it (`fake`, `ipmitool`, `redfish`, `noop`…).
    var name: String { get }
    /// The `driver_info` keys it reads.
    var properties: [DriverProperty] { get }
    /// Checks that the node has what this interface needs; throws what is missing.
    func validate(_ task: DriverTask) throws(DriverError)
    /// The steps it offers for `phase`, with their default priorities.
    func steps(for phase: StepPhase, _ task: DriverTask) -> [Step]
    /// Runs one of its steps.
    func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome
}

extension HardwareInterface {
    public var properties: [DriverProperty] { [] }

    /// By default: every required property must be present in `driver_info`.
    public func validate(_ task: DriverTask) throws(DriverError) {
        try requireProperties(task)
    }

    /// Throws if any required property is missing from `driver_info`.
    public func requireProperties(_ task: DriverTask) throws(DriverError) {
        let missing = properties.filter { $0.required && task.node.driverInfo[$0.name] == nil }.map(\.name)
        if !missing.isEmpty { throw .missingInfo(missing, interface: kind.rawValue) }
    }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] { [] }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        throw DriverError("The \(kind.rawValue) interface \"\(name)\" has no \(phase.rawValue) step \"\(step.name)\"")
    }
}
