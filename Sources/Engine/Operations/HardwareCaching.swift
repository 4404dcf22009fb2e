import Domain
import Drivers
import EventStore
import Foundation

/// Ironic's `cache_bios_settings` and `cache_firmware_components`: after verifying, cleaning and
/// servicing, what the bios and firmware interfaces report is recorded, so `GET /bios` and
/// `GET /firmware` read the log rather than the BMC. A report that fails is a warning, not a
/// failure of the operation (as in Ironic).
extension OperationRunner {
    func cacheHardwareRecords(_ task: DriverTask, cause: RecordedEvent) async throws {
        let uuid = task.node.uuid
        if let bios = task.driver.bios {
            do {
                let settings = try await bios.biosSettings(task)
                try await context.record(.cacheBIOSSettings(settings), uuid, cause: cause)
            } catch let error as DriverError {
                context.logger.warning("Caching of bios settings failed on node \(uuid.lowercased): \(error.message)")
            }
        }
        if let firmware = task.driver.firmware {
            do {
                let components = try await firmware.firmwareComponents(task)
                try await context.record(.cacheFirmwareComponents(components), uuid, cause: cause)
            } catch let error as DriverError {
                context.logger.warning("Caching of firmware components failed on node \(uuid.lowercased): \(error.message)")
            }
        }
    }
}
