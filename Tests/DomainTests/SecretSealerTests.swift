@preconcurrency import Crypto
import Foundation
import Testing
@testable import Domain

@Suite("Sealing secrets")
struct SecretSealerTests {
    private let sealer = SecretSealer(key: SymmetricKey(size: .bits256))
    private let context = "6f1c0d2e-8a4b-4c1e-9f3a-2b5d7e9c1a0f/driver_info/ipmi_password"

    @Test("a sealed value opens to the plaintext with the same key and context")
    func roundTrip() throws {
        for plaintext in ["s3cr3t!", "", "pässwörd ✓ with spaces and \"quotes\"", String(repeating: "x", count: 10_000)] {
            let token = sealer.seal(plaintext, context: context)
            #expect(token.hasPrefix("ironlog-sealed:v1:"))
            #expect(SecretSealer.isSealed(token))
            #expect(try sealer.open(token, context: context) == plaintext)
        }
    }

    @Test("sealing the same value twice gives different tokens (fresh nonce)")
    func freshNonce() {
        #expect(sealer.seal("same", context: context) != sealer.seal("same", context: context))
    }

    @Test("a token sealed for one context does not open in another")
    func contextBinding() {
        let token = sealer.seal("s3cr3t", context: context)
        #expect(throws: SecretError.wrongKeyOrTampered(context: "other-node/driver_info/ipmi_password")) {
            try sealer.open(token, context: "other-node/driver_info/ipmi_password")
        }
        #expect(throws: SecretError.self) { try sealer.open(token, context: context + "x") }
    }

    @Test("a token does not open with another key")
    func otherKey() {
        let token = sealer.seal("s3cr3t", context: context)
        let other = SecretSealer(key: SymmetricKey(size: .bits256))
        #expect(throws: SecretError.wrongKeyOrTampered(context: context)) { try other.open(token, context: context) }
    }

    @Test("flipping any byte of the sealed payload is detected")
    func tampering() throws {
        let token = sealer.seal("s3cr3t", context: context)
        let prefix = "ironlog-sealed:v1:"
        let payload = try #require(Data(base64Encoded: String(token.dropFirst(prefix.count))))
        #expect(payload.count == 12 + 6 + 16) // nonce, ciphertext, tag
        for index in payload.indices {
            var changed = payload
            changed[index] ^= 0x01
            #expect(throws: SecretError.wrongKeyOrTampered(context: context)) {
                try sealer.open(prefix + changed.base64EncodedString(), context: context)
            }
        }
        // Truncated and non-base64 payloads are tampering too.
        #expect(throws: SecretError.wrongKeyOrTampered(context: context)) {
            try sealer.open(prefix + payload.prefix(20).base64EncodedString(), context: context)
        }
        #expect(throws: SecretError.wrongKeyOrTampered(context: context)) { try sealer.open(prefix + "not base64!", context: context) }
    }

    @Test("plain text and unknown versions are told apart")
    func errorKinds() {
        #expect(throws: SecretError.notSealed) { try sealer.open("hunter2", context: context) }
        #expect(!SecretSealer.isSealed("hunter2"))
        #expect(SecretSealer.isSealed("ironlog-sealed:v9:AAAA"))
        #expect(throws: SecretError.unknownVersion("v9")) { try sealer.open("ironlog-sealed:v9:AAAA", context: context) }
    }

    @Test("the token never contains the plaintext, in clear or in base64")
    func noPlaintextInToken() {
        let plaintext = "CorrectHorseBatteryStaple"
        for _ in 0..<50 {
            let token = sealer.seal(plaintext, context: context)
            #expect(!token.contains(plaintext))
            #expect(!token.contains(Data(plaintext.utf8).base64EncodedString().dropLast(4)))
        }
        #expect(sealer.description == "SecretSealer(key: <redacted>)")
    }
}

@Suite("Which members are secret")
struct SecretFieldsTests {
    private let sealer = SecretSealer(key: SymmetricKey(size: .bits256))
    private let owner = "6f1c0d2e-8a4b-4c1e-9f3a-2b5d7e9c1a0f"

    private let driverInfo: JSONValue = [
        "ipmi_address": "10.0.0.5", "ipmi_username": "admin", "ipmi_password": "ipmi-pass-7f3a9c",
        "redfish_password": "redfish-pass-2b8e", "snmp_auth_key": "snmp-auth-key-91d0", "SNMP_PRIV_KEY": "snmp-priv-key-c4e1",
        "ilo_password": "ilo-pass-55aa", "client_secret": "client-secret-0e6f", "deploy_kernel": "glance://kernel", "ipmi_port": 623,
        "nested": ["password": "stays, top level only"],
    ]

    @Test("the rule per field kind", arguments: [
        (SecretBearingField.driverInfo, "ipmi_password", true), (.driverInfo, "redfish_password", true),
        (.driverInfo, "snmp_auth_key", true), (.driverInfo, "snmp_priv_key", true), (.driverInfo, "ilo_password", true),
        (.driverInfo, "Some_Secret", true), (.driverInfo, "ipmi_username", false), (.driverInfo, "ipmi_address", false),
        (.driverInfo, "deploy_kernel", false), (.driverInfo, "configdrive", false),
        (.instanceInfo, "configdrive", true), (.instanceInfo, "rescue_password", true), (.instanceInfo, "image_url", false),
        (.instanceInfo, "image_source", false), (.instanceInfo, "ssh_key", false), (.instanceInfo, "root_gb", false),
        (.volumeTargetProperties, "auth_password", true), (.volumeTargetProperties, "discovery_auth_password", true),
        (.volumeTargetProperties, "chap_secret", true), (.volumeTargetProperties, "auth_username", false),
        (.volumeTargetProperties, "target_iqn", false), (.volumeTargetProperties, "encryption_key", false),
    ])
    func rule(field: SecretBearingField, key: String, secret: Bool) {
        #expect(SecretFields.isSecretKey(key, in: field) == secret)
    }

    @Test("masking shows ****** for exactly the secret keys of each field kind")
    func masking() {
        let masked = SecretFields.masking(driverInfo, field: .driverInfo)
        let members = masked.objectValue ?? [:]
        #expect(Set(members.keys) == Set(driverInfo.objectValue!.keys))
        for (key, value) in members {
            if ["ipmi_password", "redfish_password", "snmp_auth_key", "SNMP_PRIV_KEY", "ilo_password", "client_secret"].contains(key) {
                #expect(value == "******", "\(key)")
            } else {
                #expect(value == driverInfo[key], "\(key)")
            }
        }

        let instanceInfo: JSONValue = ["configdrive": "H4sI...", "image_source": "http://x/img", "image_url": "http://x/img?temp",
                                       "rescue_password": "r", "root_gb": 10, "ssh_key": "ssh-ed25519 AAAA"]
        #expect(SecretFields.masking(instanceInfo, field: .instanceInfo) == [
            "configdrive": "******", "image_source": "http://x/img", "image_url": "http://x/img?temp",
            "rescue_password": "******", "root_gb": 10, "ssh_key": "ssh-ed25519 AAAA",
        ])

        let properties: JSONValue = ["auth_method": "CHAP", "auth_username": "u", "auth_password": "p", "target_lun": 0,
                                     "target_iqn": "iqn.2010-10.org.openstack:volume-1", "encryption_key": "e"]
        #expect(SecretFields.masking(properties, field: .volumeTargetProperties) == [
            "auth_method": "CHAP", "auth_username": "u", "auth_password": "******", "target_lun": 0,
            "target_iqn": "iqn.2010-10.org.openstack:volume-1", "encryption_key": "e",
        ])
    }

    @Test("a secret member is masked whatever its value; non-objects pass through")
    func maskingNonStrings() {
        #expect(SecretFields.masking(["configdrive": ["meta_data": ["a": 1]], "x_password": nil], field: .instanceInfo)
            == ["configdrive": "******", "x_password": "******"])
        #expect(SecretFields.masking(.null, field: .driverInfo) == .null)
        #expect(SecretFields.masking("text", field: .driverInfo) == "text")
    }

    @Test("sealing seals exactly the secret strings, and opening restores the original")
    func sealAndOpen() throws {
        let sealed = SecretFields.sealing(driverInfo, field: .driverInfo, context: owner, with: sealer)
        for (key, value) in sealed.objectValue! {
            let isSealedString = value.stringValue.map(SecretSealer.isSealed) ?? false
            let expected = SecretFields.isSecretKey(key, in: .driverInfo) && driverInfo[key]?.stringValue != nil
            #expect(isSealedString == expected, "\(key)")
            if expected, let text = driverInfo[key]?.stringValue { #expect(!(value.stringValue ?? "").contains(text), "\(key)") }
        }
        #expect(sealed["nested"] == driverInfo["nested"])
        #expect(sealed["ipmi_port"] == 623)
        #expect(try SecretFields.opening(sealed, field: .driverInfo, context: owner, with: sealer) == driverInfo)
        // The member context binds owner, field and member name.
        let token = try #require(sealed["ipmi_password"]?.stringValue)
        #expect(try sealer.open(token, context: SecretFields.context(owner, field: .driverInfo, key: "ipmi_password")) == "ipmi-pass-7f3a9c")
        #expect(throws: SecretError.self) {
            try SecretFields.opening(sealed, field: .driverInfo, context: "another-node", with: sealer)
        }
    }

    @Test("sealing is idempotent on already-sealed values")
    func idempotent() throws {
        let once = SecretFields.sealing(driverInfo, field: .driverInfo, context: owner, with: sealer)
        let twice = SecretFields.sealing(once, field: .driverInfo, context: owner, with: sealer)
        #expect(once == twice)
        #expect(try SecretFields.opening(twice, field: .driverInfo, context: owner, with: sealer) == driverInfo)
    }

    @Test("a value that only looks sealed, or was sealed elsewhere, is sealed as text and reads back unchanged")
    func lookalikes() throws {
        let foreign = sealer.seal("from another member", context: SecretFields.context(owner, field: .driverInfo, key: "redfish_password"))
        let input: JSONValue = ["ipmi_password": .string(foreign), "snmp_auth_key": "ironlog-sealed:v1:bogus"]
        let sealed = SecretFields.sealing(input, field: .driverInfo, context: owner, with: sealer)
        #expect(sealed["ipmi_password"] != input["ipmi_password"])
        #expect(sealed["snmp_auth_key"] != input["snmp_auth_key"])
        #expect(try SecretFields.opening(sealed, field: .driverInfo, context: owner, with: sealer) == input)
    }

    @Test("plain (never sealed) secrets open as they are; member names are escaped in contexts")
    func legacyAndEscaping() throws {
        let plain: JSONValue = ["ipmi_password": "legacy", "ipmi_address": "10.0.0.1"]
        #expect(try SecretFields.opening(plain, field: .driverInfo, context: owner, with: sealer) == plain)
        #expect(SecretFields.context("n", field: .driverInfo, key: "a/b~c") == "n/driver_info/a~1b~0c")
        #expect(SecretFields.context("n", field: .volumeTargetProperties, key: "auth_password") == "n/properties/auth_password")
    }
}
