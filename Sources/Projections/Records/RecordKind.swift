import Domain
import Foundation

/// A kind of aggregate that lives in streams of its own beside the nodes — an allocation, a
/// deploy template, a chassis — and that the API lists and finds by UUID or unique name.
///
/// ``RecordProjection`` keeps every record of a kind, folded by the kind's pure `evolve`.
public protocol RecordKind: Sendable {
    /// The folded state of one stream.
    associatedtype Record: Codable & Sendable & Hashable
    /// What the stream holds.
    associatedtype Event: Sendable

    /// What a refusal calls it, e.g. "allocation".
    static var kindName: String { get }
    /// The projection's checkpoint name, also the prefix of its databases.
    static var checkpointName: String { get }
    /// The record's UUID for a stream of this kind, `nil` for any other stream.
    static func record(ofStream streamID: String) -> UUID?
    /// Decodes an event; `nil` if the payload is not one.
    static func decode(_ payload: Data) -> Event?
    /// The record after `event` at `time`; `nil` once deleted.
    static func evolve(_ record: Record?, _ event: Event, at time: Int64) -> Record?
    /// The record's unique name, if it has one.
    static func name(of record: Record) -> String?
}

/// Allocations, in streams `allocation/<uuid>`.
public enum AllocationRecords: RecordKind {
    public static let kindName = "allocation"
    public static let checkpointName = "proj/allocations"
    public static func record(ofStream streamID: String) -> UUID? { AllocationStream.allocation(of: streamID) }
    public static func decode(_ payload: Data) -> AllocationEvent? { try? AllocationEvent.decode(payload: payload) }
    public static func evolve(_ record: Allocation?, _ event: AllocationEvent, at time: Int64) -> Allocation? {
        AllocationEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: Allocation) -> String? { record.name }
}

/// Deploy templates, in streams `deploy-template/<uuid>`.
public enum DeployTemplateRecords: RecordKind {
    public static let kindName = "deploy template"
    public static let checkpointName = "proj/deploy-templates"
    public static func record(ofStream streamID: String) -> UUID? { DeployTemplateStream.template(of: streamID) }
    public static func decode(_ payload: Data) -> DeployTemplateEvent? { try? DeployTemplateEvent.decode(payload: payload) }
    public static func evolve(_ record: DeployTemplate?, _ event: DeployTemplateEvent, at time: Int64) -> DeployTemplate? {
        DeployTemplateEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: DeployTemplate) -> String? { record.name }
}

/// Runbooks, in streams `runbook/<uuid>`, unique by name.
public enum RunbookRecords: RecordKind {
    public static let kindName = "runbook"
    public static let checkpointName = "proj/runbooks"
    public static func record(ofStream streamID: String) -> UUID? { RunbookStream.runbook(of: streamID) }
    public static func decode(_ payload: Data) -> RunbookEvent? { try? RunbookEvent.decode(payload: payload) }
    public static func evolve(_ record: Runbook?, _ event: RunbookEvent, at time: Int64) -> Runbook? {
        RunbookEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: Runbook) -> String? { record.name }
}

/// Inspection rules, in streams `inspection-rule/<uuid>`. A rule has no name.
public enum InspectionRuleRecords: RecordKind {
    public static let kindName = "inspection rule"
    public static let checkpointName = "proj/inspection-rules"
    public static func record(ofStream streamID: String) -> UUID? { InspectionRuleStream.rule(of: streamID) }
    public static func decode(_ payload: Data) -> InspectionRuleEvent? { try? InspectionRuleEvent.decode(payload: payload) }
    public static func evolve(_ record: InspectionRule?, _ event: InspectionRuleEvent, at time: Int64) -> InspectionRule? {
        InspectionRuleEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: InspectionRule) -> String? { nil }
}

/// Chassis, in streams `chassis/<uuid>`. A chassis has no name.
public enum ChassisRecords: RecordKind {
    public static let kindName = "chassis"
    public static let checkpointName = "proj/chassis"
    public static func record(ofStream streamID: String) -> UUID? { ChassisStream.chassis(of: streamID) }
    public static func decode(_ payload: Data) -> ChassisEvent? { try? ChassisEvent.decode(payload: payload) }
    public static func evolve(_ record: Chassis?, _ event: ChassisEvent, at time: Int64) -> Chassis? {
        ChassisEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: Chassis) -> String? { nil }
}

/// Configured networks, in streams `network/<uuid>`, unique by name.
public enum NetworkRecords: RecordKind {
    public static let kindName = "network"
    public static let checkpointName = "proj/networks"
    public static func record(ofStream streamID: String) -> UUID? { NetworkStream.network(of: streamID) }
    public static func decode(_ payload: Data) -> NetworkRecordEvent? { try? NetworkRecordEvent.decode(payload: payload) }
    public static func evolve(_ record: Network?, _ event: NetworkRecordEvent, at time: Int64) -> Network? {
        NetworkEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: Network) -> String? { record.name }
}

/// Managed switches, in streams `switch/<uuid>`, unique by name.
public enum SwitchRecords: RecordKind {
    public static let kindName = "switch"
    public static let checkpointName = "proj/switches"
    public static func record(ofStream streamID: String) -> UUID? { SwitchStream.managedSwitch(of: streamID) }
    public static func decode(_ payload: Data) -> ManagedSwitchEvent? { try? ManagedSwitchEvent.decode(payload: payload) }
    public static func evolve(_ record: ManagedSwitch?, _ event: ManagedSwitchEvent, at time: Int64) -> ManagedSwitch? {
        ManagedSwitchEvolution.evolve(record, event, at: time)
    }
    public static func name(of record: ManagedSwitch) -> String? { record.name }
}

/// A record with the version of its stream it reflects (appends expect it).
public struct VersionedRecord<Record: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    /// The record.
    public var record: Record
    /// Its stream's version.
    public var version: UInt64
}

/// One envelope of a record stream, as much as folding it needs.
struct RecordEntry: Sendable {
    let streamID: String
    let streamVersion: UInt64
    let recordedAtMicroseconds: Int64
    let payload: Data
}
