import Domain
import Engine
import Foundation
import Hummingbird

/// `GET /v1/nodes/{id}/states`, `PUT …/states/provision` and `PUT …/states/power`.
struct NodeStatesRoutes {
    let api: NodeAPI

    /// The members a provision request may carry, with their microversions.
    static let provisionMembers: [String: Int] = [
        "target": 1, "configdrive": 1, "clean_steps": 15, "rescue_password": 38, "deploy_steps": 69, "disable_ramdisk": 70,
        "service_steps": 87, "runbook": 92,
    ]

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/states", .get) { request, context in try states(request, context) }
        table.on("/nodes/:node_ident/states/provision", .put) { request, context in try await provision(request, context) }
        table.on("/nodes/:node_ident/states/power", .put) { request, context in try await power(request, context) }
    }

    /// The node's power and provision states.
    func states(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let version = context.apiVersion
        let values = api.representation(request, context).allValues(aggregate)
        var names = ["power_state", "target_power_state", "provision_state", "target_provision_state", "provision_updated_at",
                     "last_error", "console_enabled"]
        if version.allows(12) { names += ["raid_config", "target_raid_config"] }
        if version.allows(75) { names += ["boot_mode", "secure_boot"] }
        let document = Dictionary(uniqueKeysWithValues: names.map { ($0, values[$0] ?? .null) })
        return try JSONBody(value: .object(document)).response(from: request, context: context)
    }

    /// A provision verb with its arguments: 202, `Location` → the node's states.
    func provision(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: Set(Self.provisionMembers.keys))
        guard let target = try RequestBody.string(body, "target", nullable: false) else { throw DomainError.missingParameter("target") }
        guard let verb = ProvisionVerb(rawValue: target) else {
            throw IronicError.badRequest("Invalid provision state target \"\(target)\": the request could not be understood. "
                + "Valid targets are: \(ProvisionVerb.allCases.filter { version.allows($0.minimumMicroversion) }.map(\.rawValue).joined(separator: ", ")).")
        }
        guard version.allows(verb.minimumMicroversion) else {
            throw IronicError.needsVersion("The provision state target \"\(target)\"", verb.minimumMicroversion, requested: version)
        }
        for name in body.keys.sorted() {
            if let minor = Self.provisionMembers[name], !version.allows(minor) {
                throw IronicError.needsVersion("The \"\(name)\" parameter", minor, requested: version)
            }
        }
        var arguments = try Self.arguments(body, verb: verb, version: version)
        let aggregate = try api.lookup.node(context)
        if verb == .abort {
            let state = aggregate.node.provisionState
            if state == .inspectWait, !version.allows(41) {
                throw IronicError.needsVersion("Aborting inspection", 41, requested: version)
            }
            if state == .waitCallBack, !version.allows(110) {
                throw IronicError.needsVersion("Aborting a deployment waiting for its call-back", 110, requested: version)
            }
        }
        if let ident = arguments.runbook {
            arguments = try api.conductor.runbooks.provisionArguments(ident, arguments, verb: verb, node: aggregate.node)
        }
        if verb.event == .deploy || verb.event == .rebuild {
            try api.conductor.checkVolumes(aggregate.uuid, before: verb)
            arguments = try withNetworkData(arguments, for: aggregate)
        }
        try await api.handle(.provision(verb: verb, arguments: arguments), node: aggregate.uuid, context)
        return EmptyResponse.accepted(location: "\(api.baseURL(request))/v1/nodes/\(aggregate.uuid.lowercased)/states")
    }

    /// A config drive given as an object (1.56) without `network_data` gets the node's, as Ironic
    /// builds it: the node's `network_data` field if set, otherwise the network metadata of its
    /// VIF bindings (see ``NetworkData``).
    func withNetworkData(_ arguments: ProvisionArguments, for aggregate: NodeAggregate) throws -> ProvisionArguments {
        guard case .object(var drive)? = arguments.configdrive, drive["network_data"] == nil || drive["network_data"] == .null else {
            return arguments
        }
        let networks = Dictionary(try api.conductor.networks.all().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        drive["network_data"] = NetworkData.document(for: aggregate, networks: networks)
        var arguments = arguments
        arguments.configdrive = .object(drive)
        return arguments
    }

    /// The verb's arguments from the body, typed; the domain checks which verb may carry which.
    static func arguments(_ body: [String: JSONValue], verb: ProvisionVerb, version: MicroVersion) throws -> ProvisionArguments {
        var arguments = ProvisionArguments()
        switch body["configdrive"] {
        case nil, .null?:
            break
        case .string(let text)?:
            arguments.configdrive = .string(text)
        case .object(let members)?:
            guard version.allows(56) else { throw IronicError.badRequest("A configdrive given as a JSON object needs API version 1.56 or later.") }
            let keys: Set<String> = version.allows(59) ? ["meta_data", "network_data", "user_data", "vendor_data"] : ["meta_data", "network_data", "user_data"]
            try RequestBody.refuseUnknown(members, allowed: keys)
            arguments.configdrive = .object(members)
        default:
            throw IronicError.badRequest("Invalid value for configdrive: it must be a string or an object.")
        }
        if arguments.configdrive != nil, verb == .rebuild, !version.allows(35) {
            throw IronicError.badRequest("Adding a config drive is only supported when setting provision state to active")
        }
        arguments.cleanSteps = try RequestBody.objects(body, "clean_steps")
        arguments.deploySteps = try RequestBody.objects(body, "deploy_steps")
        arguments.serviceSteps = try RequestBody.objects(body, "service_steps")
        arguments.rescuePassword = try RequestBody.string(body, "rescue_password")
        arguments.disableRamdisk = try RequestBody.bool(body, "disable_ramdisk")
        arguments.runbook = try RequestBody.string(body, "runbook")
        if arguments.disableRamdisk != nil, verb == .service, !version.allows(108) {
            throw IronicError.needsVersion("\"disable_ramdisk\" with servicing", 108, requested: version)
        }
        return arguments
    }

    /// A power action: 202, `Location` → the node's states.
    func power(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["target", "timeout"])
        guard let target = try RequestBody.string(body, "target", nullable: false) else { throw DomainError.missingParameter("target") }
        guard let action = PowerTarget(rawValue: target) else {
            throw IronicError.badRequest("Invalid power state target \"\(target)\"; valid targets are: "
                + PowerTarget.allCases.filter { version.allows($0.minimumMicroversion) }.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard version.allows(action.minimumMicroversion) else {
            throw IronicError.needsVersion("The power state target \"\(target)\"", action.minimumMicroversion, requested: version)
        }
        if body["timeout"] != nil, !version.allows(27) {
            throw IronicError.needsVersion("The \"timeout\" parameter", 27, requested: version)
        }
        let timeout = try RequestBody.integer(body, "timeout")
        if let timeout, timeout < 1 {
            throw IronicError.badRequest("Invalid timeout value \(timeout); it must be a positive integer.")
        }
        let aggregate = try api.lookup.node(context)
        try await api.handle(.requestPower(target: action, timeout: timeout), node: aggregate.uuid, context)
        return EmptyResponse.accepted(location: "\(api.baseURL(request))/v1/nodes/\(aggregate.uuid.lowercased)/states")
    }
}
