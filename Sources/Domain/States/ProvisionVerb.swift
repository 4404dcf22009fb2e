/// A `target` accepted by `PUT /v1/nodes/{id}/states/provision`, with the internal event it fires
/// and the first microversion that accepts it.
public enum ProvisionVerb: String, Sendable, Hashable, Codable, CaseIterable {
    case manage, provide, inspect, abort, clean, adopt, rescue, unrescue
    case active, deploy, rebuild, deleted, undeploy, unhold, service

    /// The state-machine event the verb fires.
    public var event: ProvisionEvent {
        switch self {
        case .manage: .manage
        case .provide: .provide
        case .inspect: .inspect
        case .abort: .abort
        case .clean: .clean
        case .adopt: .adopt
        case .rescue: .rescue
        case .unrescue: .unrescue
        case .active, .deploy: .deploy
        case .rebuild: .rebuild
        case .deleted, .undeploy: .delete
        case .unhold: .unhold
        case .service: .service
        }
    }

    /// The lowest microversion (minor part of 1.N) that accepts this verb.
    public var minimumMicroversion: Int {
        switch self {
        case .manage, .provide: 4
        case .inspect: 6
        case .abort: 13
        case .clean: 15
        case .adopt: 17
        case .rescue, .unrescue: 38
        case .active, .rebuild, .deleted: 1
        case .deploy, .undeploy: 73
        case .unhold: 85
        case .service: 87
        }
    }
}
