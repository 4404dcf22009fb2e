import Domain
import Drivers
import Testing

@Suite("ipmitool driver_info: properties and validation")
struct IPMIDriverInfoTests {
    let drivers = IPMIDrivers()

    private func validationError(_ info: JSONValue) throws -> String? {
        let task = try drivers.task(info)
        do {
            try drivers.power.validate(task)
            try drivers.management.validate(task)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("ipmi_address is required; the defaults are Ironic's")
    func requiredAndDefaults() throws {
        #expect(try validationError(["ipmi_username": "admin"])?.contains("Missing are: ipmi_address") == true)
        let info = try IPMIDriverInfo(drivers.task(["ipmi_address": "10.1.2.3"]))
        #expect(info.bmc == "10.1.2.3:623")
        #expect(info.interface == "lanplus")
        #expect(info.privilegeLevel == "ADMINISTRATOR")
        #expect(info.cipherSuite == nil)
        #expect(info.disableBootTimeout)
    }

    @Test("bad values are refused, naming the key", arguments: [
        (["ipmi_port": "six-two-three"] as [String: JSONValue], "ipmi_port"),
        (["ipmi_port": 70000], "ipmi_port"),
        (["ipmi_protocol_version": "3.0"], "ipmi_protocol_version"),
        (["ipmi_priv_level": "ROOT"], "ipmi_priv_level"),
        (["ipmi_cipher_suite": "AES"], "ipmi_cipher_suite"),
        (["ipmi_terminal_port": "x"], "ipmi_terminal_port"),
        (["ipmi_disable_boot_timeout": "maybe"], "ipmi_disable_boot_timeout"),
    ])
    func badValues(extra: [String: JSONValue], key: String) throws {
        var info: [String: JSONValue] = ["ipmi_address": "10.1.2.3"]
        info.merge(extra) { $1 }
        let message = try #require(try validationError(.object(info)))
        #expect(message.contains(key))
    }

    @Test("good values are accepted: numbers as numbers or strings, IPMI 1.5, any known privilege level")
    func goodValues() throws {
        #expect(try validationError(["ipmi_address": "bmc.example", "ipmi_port": 6230, "ipmi_protocol_version": "1.5",
                                     "ipmi_priv_level": "operator", "ipmi_cipher_suite": 17, "ipmi_terminal_port": "8023",
                                     "ipmi_disable_boot_timeout": false]) == nil)
        let info = try IPMIDriverInfo(drivers.task(["ipmi_address": "bmc.example", "ipmi_port": "6230", "ipmi_protocol_version": "1.5"]))
        #expect(info.interface == "lan")
        #expect(info.bmc == "bmc.example:6230")
    }

    @Test("both interfaces list the driver_info keys, only ipmi_address required")
    func properties() throws {
        for interface in [drivers.power.properties, drivers.management.properties] {
            let names = Set(interface.map(\.name))
            #expect(names.isSuperset(of: ["ipmi_address", "ipmi_port", "ipmi_username", "ipmi_password", "ipmi_protocol_version",
                                          "ipmi_priv_level", "ipmi_cipher_suite", "ipmi_terminal_port"]))
            #expect(interface.filter(\.required).map(\.name) == ["ipmi_address"])
        }
    }

    @Test("the standard registry gives an ipmi node the ipmitool power and management")
    func standardRegistry() throws {
        var node = Node(uuid: .init(), driver: "ipmi")
        node.driverInfo = ["ipmi_address": "10.1.2.3"]
        let resolved = try DriverRegistry.standard().resolve(node)
        #expect(resolved.power is IPMIPower)
        #expect(resolved.management is IPMIManagement)
        #expect(resolved.names[.power] == "ipmitool")
        #expect(resolved.names[.management] == "ipmitool")
    }
}
