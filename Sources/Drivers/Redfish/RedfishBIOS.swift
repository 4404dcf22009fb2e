import Domain

/// `redfish` BIOS: the system's `Bios` resource, through two steps for cleaning, deploying and
/// servicing (Ironic's `RedfishBIOS`), both asked for by name (priority 0):
///
/// - `apply_configuration` with `{"settings": [{"name": …, "value": …}, …]}` PATCHes the
///   attributes into the BIOS's settings object (`@Redfish.Settings`, else `<Bios>/Settings`);
/// - `factory_reset` posts `Bios.ResetBios`.
///
/// Most BMCs apply BIOS changes at the next boot. A BMC without BIOS support (no `Bios` link, or
/// 404/405/501 — stock sushy-emulator's fake driver answers 501) fails the step with why.
public struct RedfishBIOS: BIOSInterface {
    public let name = "redfish"
    /// Timeouts and retries.
    public let configuration: RedfishConfiguration

    public init(configuration: RedfishConfiguration = RedfishConfiguration()) {
        self.configuration = configuration
    }

    public var properties: [DriverProperty] { RedfishDriverInfo.properties }

    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try RedfishClient(task, configuration: configuration)
    }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] {
        guard phase == .clean || phase == .deploy || phase == .service else { return [] }
        return [Step(.bios, "apply_configuration", priority: 0), Step(.bios, "factory_reset", priority: 0)]
    }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        switch step.name {
        case "apply_configuration":
            try await apply(try Self.settings(step.args), task)
        case "factory_reset":
            try await factoryReset(task)
        default:
            throw DriverError("The bios interface \"\(name)\" has no \(phase.rawValue) step \"\(step.name)\"")
        }
        return .done
    }

    /// The attributes of `apply_configuration`'s `settings` argument.
    static func settings(_ args: JSONValue) throws(DriverError) -> [String: JSONValue] {
        guard let list = args["settings"]?.arrayValue, !list.isEmpty else {
            throw DriverError("The apply_configuration step needs a non-empty \"settings\" list of {\"name\": …, \"value\": …}")
        }
        var attributes: [String: JSONValue] = [:]
        for setting in list {
            guard let name = setting["name"]?.stringValue, !name.isEmpty, let value = setting["value"] else {
                throw DriverError("Each BIOS setting needs a \"name\" and a \"value\"; got \(setting)")
            }
            attributes[name] = value
        }
        return attributes
    }

    /// The BIOS's current attributes.
    public func attributes(_ task: DriverTask) async throws(DriverError) -> [String: JSONValue] {
        let bios = try await self.bios(task, for: "read BIOS settings")
        return bios.json["Attributes"]?.objectValue ?? [:]
    }

    /// Writes `attributes` into the BIOS's pending settings.
    public func apply(_ attributes: [String: JSONValue], _ task: DriverTask) async throws(DriverError) {
        let (client, bios) = try await clientAndBIOS(task, for: "apply BIOS settings")
        let settings = bios.json["@Redfish.Settings"]?["SettingsObject"]?["@odata.id"]?.stringValue ?? bios.path + "/Settings"
        do {
            try await client.patch(settings, ["Attributes": .object(attributes)])
        } catch {
            throw DriverError("Cannot apply BIOS settings: \(error.message)")
        }
    }

    /// Resets the BIOS to its factory settings.
    public func factoryReset(_ task: DriverTask) async throws(DriverError) {
        let (client, bios) = try await clientAndBIOS(task, for: "reset the BIOS")
        do {
            try await client.post(bios.actionTarget("#Bios.ResetBios") ?? bios.path + "/Actions/Bios.ResetBios", .emptyObject)
        } catch {
            throw DriverError("Cannot reset the BIOS to factory settings: \(error.message)")
        }
    }

    private func bios(_ task: DriverTask, for action: String) async throws(DriverError) -> RedfishResource {
        try await clientAndBIOS(task, for: action).bios
    }

    /// The system's `Bios` resource, or why there is none.
    private func clientAndBIOS(_ task: DriverTask, for action: String) async throws(DriverError) -> (client: RedfishClient, bios: RedfishResource) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        guard let path = system.resource.link("Bios") else {
            throw DriverError("Cannot \(action): the Redfish BMC does not support BIOS settings for \(system.url) (the system has no Bios resource)")
        }
        do {
            return (system.client, try await system.client.get(path))
        } catch {
            throw DriverError("Cannot \(action): \(error.message)")
        }
    }
}
