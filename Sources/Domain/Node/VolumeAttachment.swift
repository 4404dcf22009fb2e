import Foundation

/// A volume target the node's storage interface attached (attach-volume): which volume, of what
/// type, and how the node uses it.
///
/// ``NodeEvent/volumeAttached(attachment:)`` and ``NodeEvent/volumeDetached(attachment:reason:)``
/// carry it whole, so the log says what was attached or detached without looking the target up
/// (it may have been changed or deleted since).
public struct VolumeAttachment: Sendable, Hashable, Codable {
    /// The volume target's UUID.
    public var target: UUID
    /// `iscsi`, `fibre_channel`, …
    public var volumeType: String
    /// The storage's id of the volume.
    public var volumeID: String
    /// 0 for the boot volume.
    public var bootIndex: Int

    /// The attachment of `target` as it is now.
    public init(_ target: VolumeTarget) {
        self.init(target: target.uuid, volumeType: target.volumeType, volumeID: target.volumeID, bootIndex: target.bootIndex)
    }

    /// An attachment with every field given.
    public init(target: UUID, volumeType: String, volumeID: String, bootIndex: Int) {
        self.target = target
        self.volumeType = volumeType
        self.volumeID = volumeID
        self.bootIndex = bootIndex
    }

    enum CodingKeys: String, CodingKey {
        case target
        case volumeType = "volume_type"
        case volumeID = "volume_id"
        case bootIndex = "boot_index"
    }
}

/// Why a volume was detached from a node.
public enum VolumeDetachReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The instance was torn down (undeploy).
    case undeploy
    /// The deploy that attached it failed.
    case deployFailed = "deploy failed"
    /// Its volume target was deleted while attached.
    case targetDeleted = "target deleted"
}
