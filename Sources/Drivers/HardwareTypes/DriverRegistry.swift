import Domain

/// The hardware types and interface implementations this conductor has, and which are enabled:
/// it picks each node's interfaces (its own choice or the type's default) and validates them.
public struct DriverRegistry: Sendable {
    /// Hardware types by name.
    public let hardwareTypes: [String: HardwareType]
    /// Implementations by kind and name.
    private let implementations: [HardwareInterfaceKind: [String: any HardwareInterface]]
    /// Per kind, a configured default (`[DEFAULT]default_<kind>_interface`).
    public var configuredDefaults: [HardwareInterfaceKind: String] = [:]

    /// A registry of `hardwareTypes` with `implementations` (all of them enabled).
    public init(hardwareTypes: [HardwareType], implementations: [any HardwareInterface]) {
        self.hardwareTypes = Dictionary(hardwareTypes.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        var byKind: [HardwareInterfaceKind: [String: any HardwareInterface]] = [:]
        for implementation in implementations { byKind[implementation.kind, default: [:]][implementation.name] = implementation }
        self.implementations = byKind
    }

    /// Whether an implementation of `kind` named `name` is enabled here.
    public func isEnabled(_ kind: HardwareInterfaceKind, _ name: String) -> Bool { implementations[kind]?[name] != nil }

    /// The enabled implementation of `kind` named `name`, if any.
    public func implementation(_ kind: HardwareInterfaceKind, _ name: String) -> (any HardwareInterface)? { implementations[kind]?[name] }

    /// The enabled implementation names of `kind` that `driver` supports, preferred first.
    public func available(_ kind: HardwareInterfaceKind, for driver: String) -> [String] {
        (hardwareTypes[driver]?.supported[kind] ?? []).filter { isEnabled(kind, $0) }
    }

    /// The default implementation of `kind` for a node of hardware type `driver`: the configured
    /// default if the type supports it, else the type's first enabled one.
    public func defaultInterface(_ kind: HardwareInterfaceKind, for driver: String) -> String? {
        let available = available(kind, for: driver)
        if let configured = configuredDefaults[kind], available.contains(configured) { return configured }
        return available.first
    }

    /// Checks a node's `driver` and every explicit `<kind>_interface` it sets.
    public func checkInterfaces(driver: String, interfaces: [HardwareInterfaceKind: String]) throws(DriverError) {
        guard let type = hardwareTypes[driver] else {
            throw DriverError("Could not find the following driver(s) or hardware type(s): \(driver).")
        }
        for (kind, name) in interfaces.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard type.supported[kind]?.contains(name) == true else {
                throw DriverError("Could not find the following interface in the '\(kind.rawValue)' interface entrypoint: \(name). "
                    + "Hardware type \(driver) supports: \(available(kind, for: driver).joined(separator: ", ")).")
            }
            guard isEnabled(kind, name) else {
                throw DriverError("The \(kind.rawValue) interface \"\(name)\" is not enabled. Enabled for \(driver): \(available(kind, for: driver).joined(separator: ", ")).")
            }
        }
    }

    /// The interface names a new node of `driver` gets for the kinds it does not set itself.
    public func defaults(for driver: String, except explicit: [HardwareInterfaceKind: String]) -> [HardwareInterfaceKind: String] {
        var result: [HardwareInterfaceKind: String] = [:]
        for kind in HardwareInterfaceKind.allCases where explicit[kind] == nil {
            if let name = defaultInterface(kind, for: driver) { result[kind] = name }
        }
        return result
    }

    /// The node's hardware type with each kind's implementation: its own choice where it made one,
    /// else the default.
    public func resolve(_ node: Node) throws(DriverError) -> ResolvedDriver {
        guard let type = hardwareTypes[node.driver] else {
            throw DriverError("Could not find the following driver(s) or hardware type(s): \(node.driver).")
        }
        var chosen: [HardwareInterfaceKind: any HardwareInterface] = [:]
        for kind in HardwareInterfaceKind.allCases {
            guard let name = node.interfaces[kind] ?? defaultInterface(kind, for: node.driver) else { continue }
            guard type.supported[kind]?.contains(name) == true, let implementation = implementations[kind]?[name] else {
                throw DriverError("The \(kind.rawValue) interface \"\(name)\" is not available for hardware type \(node.driver) on this conductor.")
            }
            chosen[kind] = implementation
        }
        return ResolvedDriver(hardwareType: type, interfaces: chosen)
    }

    /// Ironic's `GET /v1/nodes/{id}/validate`: per kind, whether the node's interface accepts it
    /// and if not why.
    public func validate(_ task: DriverTask) -> [HardwareInterfaceKind: InterfaceValidation] {
        var results: [HardwareInterfaceKind: InterfaceValidation] = [:]
        for kind in HardwareInterfaceKind.allCases {
            guard let interface = task.driver.interfaces[kind] else {
                results[kind] = InterfaceValidation(result: false, reason: "No \(kind.rawValue) interface is set or enabled for this node")
                continue
            }
            do {
                try interface.validate(task)
                results[kind] = InterfaceValidation(result: true, reason: nil)
            } catch {
                results[kind] = InterfaceValidation(result: false, reason: error.message)
            }
        }
        return results
    }

    /// The `driver_info` keys the node's interfaces read, with descriptions (`GET /drivers/{d}/properties`).
    public func properties(of driver: ResolvedDriver) -> [String: String] {
        var result: [String: String] = [:]
        for interface in driver.interfaces.values {
            for property in interface.properties {
                result[property.name] = property.description + (property.required ? " Required." : " Optional.")
            }
        }
        return result
    }
}

/// One interface's verdict on a node.
public struct InterfaceValidation: Sendable, Hashable {
    public let result: Bool
    public let reason: String?

    public init(result: Bool, reason: String?) {
        self.result = result
        self.reason = reason
    }
}
