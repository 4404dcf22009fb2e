import Domain

/// `fake` console — starts and stops at once and, as Ironic's `FakeConsole`, describes itself as
/// `{}` — and `no-console`, which has none.
public struct StaticConsole: ConsoleInterface {
    public let name: String
    public init(name: String) { self.name = name }

    public var providesConsole: Bool { name == "fake" }

    public func startConsole(_ task: DriverTask) async throws(DriverError) {
        guard providesConsole else { throw DriverError("The console is not supported by the \"\(name)\" interface") }
    }

    public func stopConsole(_ task: DriverTask) async throws(DriverError) {}

    public func console(_ task: DriverTask) async throws(DriverError) -> JSONValue {
        guard providesConsole else { throw DriverError("The console is not supported by the \"\(name)\" interface") }
        return .emptyObject
    }
}

/// Fake RAID, BIOS and firmware interfaces: their steps note the settings and succeed; the
/// `no-…` ones offer no steps.
public struct StepOnlyInterface: RAIDInterface, BIOSInterface, FirmwareInterface {
    public let kind: HardwareInterfaceKind
    public let name: String
    let behaviour: FakeBehaviour?
    private let offered: [Step]

    /// The `fake` implementation of `kind` (RAID, BIOS or firmware).
    public init(fake kind: HardwareInterfaceKind, _ behaviour: FakeBehaviour) {
        self.kind = kind
        name = "fake"
        self.behaviour = behaviour
        offered = switch kind {
        // Building an array over one that exists destroys data: not safe to repeat blindly.
        case .raid: [Step(.raid, "create_configuration", priority: 0, repeatable: false), Step(.raid, "delete_configuration", priority: 0)]
        case .bios: [Step(.bios, "apply_configuration", priority: 0), Step(.bios, "factory_reset", priority: 0)]
        // A flash interrupted half way must not be started again without an operator.
        case .firmware: [Step(.firmware, "update", priority: 0, repeatable: false)]
        default: []
        }
    }

    /// `no-raid`, `no-bios` or `no-firmware`.
    public init(none kind: HardwareInterfaceKind) {
        self.kind = kind
        name = "no-\(kind.rawValue)"
        behaviour = nil
        offered = []
    }

    /// `fake` BIOS: ``FakeHardwareRecords/biosSettings`` with what its steps applied; `no-bios`: none.
    public func biosSettings(_ task: DriverTask) async throws(DriverError) -> [BIOSSetting] {
        guard kind == .bios, let behaviour else { return [] }
        try await behaviour.perform("bios.cache_bios_settings", kind: .bios, task)
        return FakeHardwareRecords.biosSettings(applied: behaviour.hardwareBIOSSettings(of: task.node.uuid))
    }

    /// `fake` firmware: ``FakeHardwareRecords/firmwareComponents``; `no-firmware`: none.
    public func firmwareComponents(_ task: DriverTask) async throws(DriverError) -> [FirmwareComponent] {
        guard kind == .firmware, let behaviour else { return [] }
        try await behaviour.perform("firmware.cache_firmware_components", kind: .firmware, task)
        return FakeHardwareRecords.firmwareComponents
    }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] {
        phase == .clean || phase == .deploy || phase == .service ? offered : []
    }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        guard let behaviour, offered.contains(where: { $0.name == step.name }) else {
            throw DriverError("The \(kind.rawValue) interface \"\(name)\" has no \(phase.rawValue) step \"\(step.name)\"")
        }
        try await behaviour.perform("\(kind.rawValue).\(step.name)", kind: kind, task)
        if kind == .bios { FakeHardwareRecords.applyBIOSStep(step, behaviour, task) }
        return behaviour.waits("\(kind.rawValue).\(step.name)", task) ? .wait : .done
    }
}

/// `fake` vendor passthru, Ironic's `FakeVendorB`: node methods that answer whether `bar` is a
/// given word — `second_method` (asynchronous), `third_method_sync` (synchronous) and
/// `fourth_method_shared_lock` (asynchronous, shared lock), each needing `bar` — and no driver
/// methods. `no-vendor` has no methods.
public struct StaticVendor: VendorInterface {
    public let name: String
    public init(name: String) { self.name = name }

    /// Each fake method with the word `bar` must be.
    static let words = ["second_method": "kazoo", "third_method_sync": "meow", "fourth_method_shared_lock": "woof"]

    public var methods: [String: VendorPassthruMethod] {
        guard name == "fake" else { return [:] }
        return [
            "second_method": VendorPassthruMethod(httpMethods: ["POST"], description: "Test if the value of bar is kazoo"),
            "third_method_sync": VendorPassthruMethod(httpMethods: ["POST"], isAsync: false, description: "Test if the value of bar is meow"),
            "fourth_method_shared_lock": VendorPassthruMethod(httpMethods: ["POST"], description: "Test if the value of bar is woof",
                                                              requireExclusiveLock: false),
        ]
    }

    public var driverMethods: [String: VendorPassthruMethod] { [:] }

    public func validate(_ method: String, arguments: [String: JSONValue]) throws(DomainError) {
        guard Self.words[method] != nil else { return }
        switch arguments["bar"] {
        case nil, .null?, .bool(false)?, .string("")?: throw .invalidParameter("Parameter 'bar' not passed to method '\(method)'.")
        default: return
        }
    }

    public func call(_ method: String, httpMethod: String, arguments: [String: JSONValue], _ task: DriverTask) async throws(DriverError) -> JSONValue {
        guard let word = Self.words[method], methods[method] != nil else { throw DriverError("No handler for method \(method)") }
        return .bool(arguments["bar"] == .string(word))
    }

    public func callDriver(_ method: String, httpMethod: String, arguments: [String: JSONValue]) async throws(DriverError) -> JSONValue {
        throw DriverError("No handler for method \(method)")
    }
}
