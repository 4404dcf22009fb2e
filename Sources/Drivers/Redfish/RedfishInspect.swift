import Domain
import Foundation

/// `redfish` inspection: reads the hardware from the BMC, out of band, with no ramdisk
/// (Ironic's `RedfishInspect`).
///
/// The inventory has the shape ``InspectionOutcome/properties(of:)`` reads (and the ramdisk
/// agent reports):
///
/// - `cpu.count`: logical CPUs — the sum of `TotalThreads` (else `TotalCores`) of the
///   Processors collection, else `ProcessorSummary.LogicalProcessorCount`, else `.Count`;
///   `cpu.architecture` from the first processor's `InstructionSet` or `ProcessorArchitecture`
///   (`x86-64`/`x86` → `x86_64`, `ARM-A64` → `aarch64`…);
/// - `memory.physical_mb`: `MemorySummary.TotalSystemMemoryGiB` × 1024;
/// - `interfaces`: one `{name, mac_address}` per EthernetInterface with a MAC (lower case);
/// - `disks`: the drives of the Storage collection (else SimpleStorage devices), largest first,
///   `{name, size}` in bytes — so `local_gb` is the largest disk, as Ironic's Redfish inspection has it;
/// - `system_vendor` and `boot.current_boot_mode` where the BMC says.
///
/// A sub-resource the BMC does not have (404, 405, 501) is left out; any other failure fails the
/// inspection.
public struct RedfishInspect: InspectInterface {
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

    public func inspectHardware(_ task: DriverTask) async throws(DriverError) -> InspectionOutcome {
        let inventory = try await inventory(task)
        return .found(inventory: inventory, properties: InspectionOutcome.properties(of: inventory))
    }

    /// The node's hardware inventory, read from the BMC.
    public func inventory(_ task: DriverTask) async throws(DriverError) -> JSONValue {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        let client = system.client
        let json = system.resource.json
        var inventory: [String: JSONValue] = [:]

        var cpu: [String: JSONValue] = [:]
        var count: Int?
        var architecture: String?
        if let processorsPath = system.resource.link("Processors"), let processors = try await client.getIfPresent(processorsPath) {
            var threads = 0
            for path in processors.members {
                guard let processor = try await client.getIfPresent(path) else { continue }
                if let type = processor.json["ProcessorType"]?.stringValue, type != "CPU" { continue }
                threads += Self.int(processor.json["TotalThreads"]) ?? Self.int(processor.json["TotalCores"]) ?? 0
                architecture = architecture ?? Self.architecture(processor.json)
            }
            if threads > 0 { count = threads }
        }
        count = count ?? Self.int(json["ProcessorSummary"]?["LogicalProcessorCount"]) ?? Self.int(json["ProcessorSummary"]?["Count"])
        if let count { cpu["count"] = .number(Double(count)) }
        if let architecture { cpu["architecture"] = .string(architecture) }
        if !cpu.isEmpty { inventory["cpu"] = .object(cpu) }

        if let gib = json["MemorySummary"]?["TotalSystemMemoryGiB"]?.numberValue ?? Self.int(json["MemorySummary"]?["TotalSystemMemoryGiB"]).map(Double.init) {
            inventory["memory"] = ["physical_mb": .number((gib * 1024).rounded())]
        }

        var interfaces: [JSONValue] = []
        if let nicsPath = system.resource.link("EthernetInterfaces"), let nics = try await client.getIfPresent(nicsPath) {
            for path in nics.members {
                guard let nic = try await client.getIfPresent(path) else { continue }
                let mac = nic.json["MACAddress"]?.stringValue ?? nic.json["PermanentMACAddress"]?.stringValue
                guard let mac, !mac.isEmpty else { continue }
                interfaces.append(["name": .string(nic.json["Id"]?.stringValue ?? path), "mac_address": .string(mac.lowercased())])
            }
        }
        inventory["interfaces"] = .array(interfaces)

        inventory["disks"] = .array(try await disks(system).sorted { $0.size > $1.size }.map {
            ["name": .string($0.name), "size": .number(Double($0.size))]
        })

        var vendor: [String: JSONValue] = [:]
        if let manufacturer = json["Manufacturer"]?.stringValue { vendor["manufacturer"] = .string(manufacturer) }
        if let model = json["Model"]?.stringValue { vendor["product_name"] = .string(model) }
        if let serial = json["SerialNumber"]?.stringValue { vendor["serial_number"] = .string(serial) }
        if !vendor.isEmpty { inventory["system_vendor"] = .object(vendor) }
        switch system.bootMode {
        case "UEFI": inventory["boot"] = ["current_boot_mode": "uefi"]
        case "Legacy": inventory["boot"] = ["current_boot_mode": "bios"]
        default: break
        }
        return .object(inventory)
    }

    /// The system's drives: those of its Storage collection, else its SimpleStorage devices.
    private func disks(_ system: RedfishSystem) async throws(DriverError) -> [(name: String, size: Int)] {
        let client = system.client
        var disks: [(name: String, size: Int)] = []
        if let storagePath = system.resource.link("Storage"), let storage = try await client.getIfPresent(storagePath) {
            for path in storage.members {
                guard let controller = try await client.getIfPresent(path) else { continue }
                for drive in controller.json["Drives"]?.arrayValue ?? [] {
                    guard let drivePath = drive["@odata.id"]?.stringValue, let resource = try await client.getIfPresent(drivePath),
                          let size = Self.int(resource.json["CapacityBytes"]), size > 0 else { continue }
                    disks.append((resource.json["Id"]?.stringValue ?? resource.json["Name"]?.stringValue ?? drivePath, size))
                }
            }
        }
        if disks.isEmpty, let simplePath = system.resource.link("SimpleStorage"), let simple = try await client.getIfPresent(simplePath) {
            for path in simple.members {
                guard let controller = try await client.getIfPresent(path) else { continue }
                for (index, device) in (controller.json["Devices"]?.arrayValue ?? []).enumerated() {
                    guard let size = Self.int(device["CapacityBytes"]), size > 0 else { continue }
                    disks.append((device["Name"]?.stringValue ?? "\(path)#\(index)", size))
                }
            }
        }
        return disks
    }

    /// Ironic's architecture name for a Processor resource.
    static func architecture(_ processor: JSONValue) -> String? {
        switch processor["InstructionSet"]?.stringValue {
        case "x86-64": return "x86_64"
        case "x86": return "i686"
        case "ARM-A64": return "aarch64"
        case "ARM-A32": return "arm"
        case "IA-64": return "ia64"
        case "PowerISA": return "ppc64le"
        case "MIPS64": return "mips64"
        case "MIPS32": return "mips"
        default: break
        }
        switch processor["ProcessorArchitecture"]?.stringValue {
        case "x86": return "x86_64"
        case "ARM": return "aarch64"
        case "IA-64": return "ia64"
        case "Power": return "ppc64le"
        case "MIPS": return "mips"
        default: return nil
        }
    }

    /// A whole number given as a JSON number or as a string of digits (sushy sends some as strings).
    static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let number)? where number.rounded() == number && abs(number) < 1e18: Int(number)
        case .string(let text)?: Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
}
