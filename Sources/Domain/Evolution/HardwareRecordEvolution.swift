import Foundation

/// A record a node's hardware reports and the node caches: a BIOS setting, a firmware component.
protocol CachedHardwareRecord: Equatable {
    /// What identifies the record within one report.
    var cacheKey: String { get }
    /// When it was first cached, and when it last changed.
    var createdAt: Int64? { get set }
    var updatedAt: Int64? { get set }
    /// The record as reported, without the cache's times.
    var reported: Self { get }
}

extension BIOSSetting: CachedHardwareRecord {
    var cacheKey: String { name }
}

extension FirmwareComponent: CachedHardwareRecord {
    var cacheKey: String { component }
}

/// Folds a new report of BIOS settings or firmware components into the cache: an entry keeps
/// the time it was first cached, gains an update time when it changed, and entries the report no
/// longer has are dropped (as Ironic's `BIOSSetting.sync`).
enum HardwareRecordEvolution {
    static func cache<Record: CachedHardwareRecord>(_ report: [Record], over current: [Record], at time: Int64) -> [Record] {
        let before = Dictionary(current.map { ($0.cacheKey, $0) }, uniquingKeysWith: { _, last in last })
        return report.map { record in
            var record = record
            if let old = before[record.cacheKey] {
                record.createdAt = old.createdAt
                record.updatedAt = old.reported == record.reported ? old.updatedAt : time
            } else {
                record.createdAt = time
                record.updatedAt = nil
            }
            return record
        }
    }
}
