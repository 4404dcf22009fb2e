import Domain
import Drivers

/// The steps an operation runs, in order: Ironic's rules for automated cleaning, manual cleaning,
/// deploying and servicing.
enum StepPlan {
    /// Automated cleaning: every step the node's interfaces offer with a priority above 0,
    /// highest first.
    static func automatedClean(_ task: DriverTask) -> [Step] {
        ordered(task.driver.steps(for: .clean, task).filter { $0.priority > 0 })
    }

    /// Manual cleaning or servicing: the requested steps, in the order given; each must be one the
    /// node's interfaces offer.
    static func requested(_ requests: [JSONValue], phase: StepPhase, _ task: DriverTask) throws(DriverError) -> [Step] {
        let offered = task.driver.steps(for: phase, task)
        return try requests.map { (request) throws(DriverError) -> Step in
            guard case .string(let interface)? = request["interface"], case .string(let name)? = request["step"] else {
                throw DriverError("Each \(phase.rawValue) step needs \"interface\" and \"step\"")
            }
            guard let step = offered.first(where: { $0.interface.rawValue == interface && $0.name == name }) else {
                throw DriverError("The \(phase.rawValue) step \"\(name)\" is not offered by the \(interface) interface of this node")
            }
            return step.with(priority: step.priority, args: request["args"] ?? .emptyObject)
        }
    }

    /// Deploying: the deploy steps the interfaces offer; then the steps of the deploy templates
    /// matching the node's instance traits, and over those the user's `deploy_steps`, each
    /// setting a step's priority and arguments (priority 0 drops a step); highest first.
    ///
    /// A template step the node's interfaces do not offer fails the deploy before it starts, as
    /// Ironic's validation does.
    static func deploy(_ requests: [JSONValue]?, templates: [DeployTemplate] = [], _ task: DriverTask) throws(DriverError) -> [Step] {
        var steps = task.driver.steps(for: .deploy, task)
        for template in templates {
            for requested in template.steps {
                guard let index = steps.firstIndex(where: { $0.interface.rawValue == requested.interface && $0.name == requested.step }) else {
                    throw DriverError("Deploy steps from deploy template \(template.name) are invalid: node does not support this deploy step: "
                        + "interface \(requested.interface), step \(requested.step)")
                }
                steps[index] = steps[index].with(priority: requested.priority, args: requested.args)
            }
        }
        for request in requests ?? [] {
            guard case .string(let interface)? = request["interface"], case .string(let name)? = request["step"],
                  case .number(let priority)? = request["priority"] else {
                throw DriverError("Each deploy step needs \"interface\", \"step\" and \"priority\"")
            }
            guard let index = steps.firstIndex(where: { $0.interface.rawValue == interface && $0.name == name }) else {
                throw DriverError("The deploy step \"\(name)\" is not offered by the \(interface) interface of this node")
            }
            steps[index] = steps[index].with(priority: Int(priority), args: request["args"] ?? .emptyObject)
        }
        return ordered(steps.filter { $0.priority > 0 })
    }

    /// Ironic's `validate_instance_info_traits`: the traits an instance asks for (which select
    /// deploy templates) must be a list of strings, each also a trait of the node.
    static func checkInstanceTraits(_ node: Node) throws(DriverError) {
        guard let traits = node.instanceInfo["traits"], traits != .null else { return }
        guard case .array(let items) = traits, items.allSatisfy({ $0.stringValue != nil }) else {
            throw DriverError("Error parsing traits from Node \(node.uuid.lowercased) instance_info field. A list of strings is expected.")
        }
        let missing = Set(items.compactMap(\.stringValue)).subtracting(node.traits)
        guard missing.isEmpty else {
            throw DriverError("Cannot specify instance traits that are not also node traits. Node \(node.uuid.lowercased) is missing traits \(missing.sorted().joined(separator: ", "))")
        }
    }

    /// Highest priority first; ties in interface-kind order, as Ironic sorts them.
    private static func ordered(_ steps: [Step]) -> [Step] {
        let rank = Dictionary(uniqueKeysWithValues: stepInterfaceOrder.enumerated().map { ($1, $0) })
        return steps.enumerated().sorted { left, right in
            if left.element.priority != right.element.priority { return left.element.priority > right.element.priority }
            let (a, b) = (rank[left.element.interface] ?? 99, rank[right.element.interface] ?? 99)
            return a != b ? a < b : left.offset < right.offset
        }.map(\.element)
    }

    /// Ironic's tie-break order of step interfaces (`CLEANING_INTERFACE_PRIORITY`).
    private static let stepInterfaceOrder: [HardwareInterfaceKind] = [.vendor, .power, .management, .deploy, .firmware, .bios, .raid]
}

extension Node {
    /// The traits the instance asked for (`instance_info.traits`, which an allocation sets):
    /// deploy templates with these names add their steps to the deploy.
    var instanceTraits: [String] {
        (instanceInfo["traits"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
