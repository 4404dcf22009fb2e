/// The events of the provision state machine: the ones users cause through API verbs and the
/// internal outcomes (`done`, `fail`, `wait`, `resume`, `hold`) that work in progress produces.
public enum ProvisionEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case manage, provide, inspect, clean, adopt, deploy, rebuild, delete, abort
    case rescue, unrescue, unhold, service
    case done, fail, wait, resume, hold

    /// Outcomes of work in progress; never accepted from the API.
    public static let internalOnly: Set<ProvisionEvent> = [.done, .fail, .wait, .resume, .hold]
}
