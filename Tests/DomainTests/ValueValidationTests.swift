import Foundation
import Testing
import Domain

@Suite("Node names (API ≥ 1.10)")
struct NodeNameTests {
    @Test(
        "RFC 3986 unreserved characters are accepted, case kept",
        arguments: ["node-1", "Node_1", "rack1.u42", "a~b", "x", "A-Z.a-z_0-9~", "node.example.com",
                    "Detail", "DETAIL", "states2", "0123456789"])
    func validNames(name: String) throws {
        #expect(try NodeName(name).value == name)
        #expect(try NodeName(name).description == name)
    }

    @Test("exactly 255 characters is the limit")
    func lengthLimit() throws {
        let longest = String(repeating: "a", count: 255)
        #expect(try NodeName(longest).value == longest)
        let tooLong = longest + "a"
        #expect(throws: ValueError.invalidName(tooLong, reason: "it is longer than 255 characters")) {
            try NodeName(tooLong)
        }
    }

    @Test("the empty name is refused")
    func empty() {
        #expect(throws: ValueError.invalidName("", reason: "a name must not be empty")) { try NodeName("") }
    }

    @Test("the dot-segments . and .. are refused; other names of dots are names", arguments: [".", ".."])
    func dotSegments(name: String) throws {
        #expect {
            try NodeName(name)
        } throws: { error in
            guard case .invalidName(let value, let reason) = error as? ValueError else { return false }
            return value == name && reason.contains("dot-segment")
        }
        #expect(try NodeName("...").value == "...")
        #expect(try NodeName(".hidden").value == ".hidden")
    }

    @Test(
        "characters outside the unreserved set are refused",
        arguments: ["node 1", "node/1", "node:1", "node@host", "nöde", "node%201", "node+1", "node!", "{node}", "node\n"])
    func invalidCharacters(name: String) {
        #expect {
            try NodeName(name)
        } throws: { error in
            guard case .invalidName(let value, let reason) = error as? ValueError else { return false }
            return value == name && reason.contains("is not allowed")
        }
    }

    @Test(
        "UUID-like names are refused, whatever their case or hyphenation",
        arguments: ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
                    "3f2504e04f8911d39a0c0305e82c3301", "3f2504e0-4f8911d3-9a0c-0305e82c3301"])
    func uuidLike(name: String) {
        #expect(throws: ValueError.invalidName(name, reason: "it looks like a UUID")) { try NodeName(name) }
    }

    @Test("almost-UUIDs are ordinary names")
    func almostUUIDs() throws {
        _ = try NodeName("3f2504e0-4f89-11d3-9a0c-0305e82c330")  // 31 hex digits
        _ = try NodeName("3f2504e0-4f89-11d3-9a0c-0305e82c33011")  // 33 hex digits
        _ = try NodeName("3f2504e0-4f89-11d3-9a0c-0305e82c330g")  // not hex
    }

    @Test("reserved words are refused", arguments: NodeName.reservedWords)
    func reserved(word: String) {
        let error = ValueError.reservedName(word)
        #expect(throws: error) { try NodeName(word) }
        #expect(error.description == "The word \"\(word)\" is reserved and can not be used as a node name. "
            + "Reserved words are: detail, validate, states, management, maintenance, vendor_passthru.")
    }

    @Test("the reserved words are Ironic's six")
    func reservedList() {
        #expect(Set(NodeName.reservedWords) == ["detail", "validate", "states", "management", "maintenance", "vendor_passthru"])
    }

    @Test("names encode as plain strings and decoding validates")
    func codable() throws {
        let data = try JSONEncoder().encode([try NodeName("node-1")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"node-1\"]")
        #expect(try JSONDecoder().decode([NodeName].self, from: data) == [try NodeName("node-1")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([NodeName].self, from: Data("[\"detail\"]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([NodeName].self, from: Data("[\"a b\"]".utf8)) }
    }

    @Test("the invalid-name message names the value")
    func message() {
        #expect(ValueError.invalidName("a b", reason: "the character ' ' is not allowed").description
            == "Expected a logical name but received a b: the character ' ' is not allowed.")
    }
}

@Suite("Node identifiers in URLs")
struct IdentifierTests {
    private let uuid = UUID(uuidString: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")!

    @Test("UUIDs are UUIDs, in any case and UUID-like spelling")
    func uuids() {
        for text in ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
                     "3f2504e04f8911d39a0c0305e82c3301", "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}",
                     "urn:uuid:3f2504e0-4f89-11d3-9a0c-0305e82c3301"] {
            #expect(Identifier.parse(text) == .uuid(uuid), "\(text)")
        }
    }

    @Test("valid names are names")
    func names() {
        #expect(Identifier.parse("node-1") == .name("node-1"))
        #expect(Identifier.parse("rack1.u42~a_b") == .name("rack1.u42~a_b"))
    }

    @Test("reserved words parse as names (no node has one, so lookups find nothing)")
    func reservedWordsParse() {
        #expect(Identifier.parse("maintenance") == .name("maintenance"))
    }

    @Test("anything else is neither", arguments: ["", "a b", "node/1", "nöde", String(repeating: "a", count: 256)])
    func invalid(text: String) {
        #expect(Identifier.parse(text) == nil)
    }

    @Test("the identifier prints as Ironic shows it")
    func description() {
        #expect(Identifier.uuid(uuid).description == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        #expect(Identifier.name("node-1").description == "node-1")
        #expect(ValueError.invalidUUIDOrName("a b").description == "Expected a logical name or UUID but received a b.")
    }
}

@Suite("MAC addresses")
struct MACAddressTests {
    @Test(
        "colon, hyphen and upper-case forms normalize to lower-case colons",
        arguments: [("52:54:00:12:34:56", "52:54:00:12:34:56"), ("52:54:00:AB:CD:EF", "52:54:00:ab:cd:ef"),
                    ("52-54-00-ab-cd-ef", "52:54:00:ab:cd:ef"), ("AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff")])
    func normalizes(input: String, expected: String) throws {
        #expect(try MACAddress(input).value == expected)
        #expect(MACAddress.normalize(input) == expected)
    }

    @Test("the same address in different spellings is equal")
    func equality() throws {
        #expect(try MACAddress("AA-BB-CC-DD-EE-FF") == MACAddress("aa:bb:cc:dd:ee:ff"))
    }

    @Test(
        "anything else is refused with Ironic's message",
        arguments: ["", "52:54:00:12:34", "52:54:00:12:34:56:78", "52:54:00:12:34:5g", "52:54:00-12:34:56",
                    "5254.0012.3456", "525400123456", "52:54:00:12:34:5", " 52:54:00:12:34:56", "52:54:00:12:34:56 ",
                    "５２:54:00:12:34:56"])
    func invalid(input: String) {
        let error = ValueError.invalidMAC(input)
        #expect(throws: error) { try MACAddress(input) }
        #expect(error.description == "Expected a MAC address but received \(input).")
    }

    @Test("MACs encode as their normalized string and decoding validates")
    func codable() throws {
        let data = try JSONEncoder().encode([try MACAddress("AA:BB:CC:DD:EE:FF")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"aa:bb:cc:dd:ee:ff\"]")
        #expect(try JSONDecoder().decode([MACAddress].self, from: Data("[\"AA-BB-CC-DD-EE-FF\"]".utf8))
            == [try MACAddress("aa:bb:cc:dd:ee:ff")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MACAddress].self, from: Data("[\"nope\"]".utf8)) }
    }
}

@Suite("Traits")
struct TraitTests {
    @Test(
        "standard-looking and CUSTOM_ traits are accepted",
        arguments: ["HW_CPU_X86_AVX2", "STORAGE_DISK_SSD", "COMPUTE_NET_VIF_MODEL_VIRTIO", "CUSTOM_RAID5", "CUSTOM_A",
                    "CUSTOM__", "CUSTOM_9", "X"])
    func valid(name: String) throws {
        #expect(try NodeTrait(name).value == name)
    }

    @Test("CUSTOM_ traits know they are custom")
    func custom() throws {
        #expect(try NodeTrait("CUSTOM_GOLD").isCustom)
        #expect(try !NodeTrait("HW_CPU_X86_AVX2").isCustom)
    }

    @Test("255 characters is the limit")
    func length() throws {
        let longest = "CUSTOM_" + String(repeating: "A", count: 248)
        #expect(try NodeTrait(longest).value.count == 255)
        #expect(throws: ValueError.invalidTrait(longest + "A", reason: "it is longer than 255 characters")) {
            try NodeTrait(longest + "A")
        }
    }

    @Test("CUSTOM_ alone is refused")
    func bareCustomPrefix() {
        #expect(throws: ValueError.invalidTrait("CUSTOM_", reason: "a custom trait needs a name after CUSTOM_")) {
            try NodeTrait("CUSTOM_")
        }
    }

    @Test("empty, lower-case, punctuated or digit-first names are refused",
          arguments: ["", "custom_raid5", "CUSTOM_raid5", "HW-CPU", "HW CPU", "_HW", "9HW", "CUSTOM.X", "HW_CPU\n", "ÄÖ"])
    func invalid(name: String) {
        #expect {
            try NodeTrait(name)
        } throws: { error in
            guard case .invalidTrait(let value, _) = error as? ValueError else { return false }
            return value == name
        }
    }

    @Test("the message names the trait and the rules")
    func message() {
        let text = ValueError.invalidTrait("custom_x", reason: "the character 'c' is not allowed; use only A-Z, 0-9 and _")
            .description
        #expect(text.hasPrefix("Invalid trait custom_x: the character 'c' is not allowed"))
        #expect(text.contains("A custom trait must start with the prefix CUSTOM_"))
    }

    @Test("traits sort by name and round-trip through Codable")
    func sortingAndCodable() throws {
        let traits: [NodeTrait] = [try NodeTrait("HW_B"), try NodeTrait("CUSTOM_A"), try NodeTrait("HW_A")]
        #expect(traits.sorted().map(\.value) == ["CUSTOM_A", "HW_A", "HW_B"])
        let data = try JSONEncoder().encode(traits)
        let decoded = try JSONDecoder().decode([NodeTrait].self, from: data)
        #expect(decoded == traits)
        let lowerCase = Data("[\"lower\"]".utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([NodeTrait].self, from: lowerCase) }
    }
}

@Suite("local_link_connection.switch_id")
struct SwitchIDTests {
    @Test("a MAC address is accepted and normalized")
    func mac() throws {
        let id = try SwitchID("AA-BB-CC-DD-EE-FF")
        #expect(id.value == "aa:bb:cc:dd:ee:ff")
        #expect(id.kind == .macAddress)
    }

    @Test(
        "an OpenFlow datapath id (16 hex digits, optional 0x) is accepted and lower-cased",
        arguments: [("0000AABBCCDDEEFF", "0000aabbccddeeff"), ("0x0000AABBCCDDEEFF", "0x0000aabbccddeeff"),
                    ("0X00000000000000a1", "0x00000000000000a1"), ("1234567890abcdef", "1234567890abcdef")])
    func datapathID(input: String, expected: String) throws {
        let id = try SwitchID(input)
        #expect(id.value == expected)
        #expect(id.kind == .datapathID)
    }

    @Test(
        "anything else is refused",
        arguments: ["", "switch-1", "0000aabbccddee", "0000aabbccddeeff00", "0x", "0xg000aabbccddeeff", "x0000aabbccddeeff",
                    "aa:bb:cc:dd:ee", "00:00:aa:bb:cc:dd:ee:ff"])
    func invalid(input: String) {
        let error = ValueError.invalidSwitchID(input)
        #expect(throws: error) { try SwitchID(input) }
        #expect(error.description == "Expected a MAC address or OpenFlow datapath ID but received \(input).")
        #expect(error.value == input)
    }

    @Test("switch ids round-trip through Codable")
    func codable() throws {
        let ids: [SwitchID] = [try SwitchID("AA:BB:CC:DD:EE:FF"), try SwitchID("0x0000AABBCCDDEEFF")]
        let data = try JSONEncoder().encode(ids)
        #expect(String(decoding: data, as: UTF8.self) == "[\"aa:bb:cc:dd:ee:ff\",\"0x0000aabbccddeeff\"]")
        #expect(try JSONDecoder().decode([SwitchID].self, from: data) == ids)
    }
}
