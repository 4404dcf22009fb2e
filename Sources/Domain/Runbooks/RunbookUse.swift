import Foundation

/// What `PUT /v1/nodes/{id}/states/provision` with a `runbook` means (1.92): the node must carry
/// the runbook's name as a trait (or one of the runbook's own traits, 1.112) — the operator's
/// approval to run it there — and the runbook's steps, by `order`, become the clean or service
/// steps. Pure: the engine resolves the runbook, this decides.
public enum RunbookUse {
    /// The refusal of a `runbook` with any verb but `clean` and `service`.
    public static let wrongVerb = "\"runbook\" is only valid when setting target provision state to clean or service"

    /// `arguments` with the runbook's steps as `clean_steps` (verb `clean`) or `service_steps`
    /// (verb `service`), its UUID as `runbook`, and its `disable_ramdisk` unless the request set it.
    public static func arguments(_ arguments: ProvisionArguments, verb: ProvisionVerb, runbook: Runbook, node: Node) throws(DomainError) -> ProvisionArguments {
        guard verb == .clean || verb == .service else {
            throw .invalidParameter(wrongVerb)
        }
        if arguments.cleanSteps != nil || arguments.serviceSteps != nil {
            throw .invalidParameter("\"runbook\" and \"clean_steps\" or \"service_steps\" are mutually exclusive; give one of them.")
        }
        let approving = Set([runbook.name] + runbook.traits)
        guard !approving.isDisjoint(with: node.traits) else {
            throw .invalidParameter("This runbook has not been approved for use on this node \(node.uuid.lowercased). "
                + "Please ask an administrator to add it as a trait to this node.")
        }
        var result = arguments
        let steps = runbook.orderedSteps.map(\.requested)
        if verb == .clean { result.cleanSteps = steps } else { result.serviceSteps = steps }
        result.runbook = runbook.uuid.lowercased
        if result.disableRamdisk == nil, runbook.disableRamdisk { result.disableRamdisk = true }
        return result
    }
}
