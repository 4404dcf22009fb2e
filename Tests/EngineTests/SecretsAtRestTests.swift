import Domain
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// Secrets never reach the data files in clear: BMC passwords, volume CHAP passwords and rescue
/// passwords are sealed with the node's key before they are appended, so the log, the projections
/// and every other byte of the data directory (the keys aside) hold only `ironlog-sealed:` tokens.
@Suite("Secrets at rest")
struct SecretsAtRestTests {
    static let bmcPassword = "S3cr3t-BMC-pa55word-XYZ"
    static let chapPassword = "V0lume-CHAP-pa55word-QRS"
    static let rescuePassword = "R3scue-pa55-ABC"
    static let secrets = [bmcPassword, chapPassword, rescuePassword]

    /// A node enrolled with a BMC password, given a volume target with a CHAP password, and walked
    /// to `rescuing` with a rescue password.
    struct Scenario {
        let live: LiveEngineFixture
        let node: UUID
        let target: UUID
    }

    static func scenario() async throws -> Scenario {
        let live = try await LiveEngineFixture.open("secrets")
        let node = UUID(), target = UUID()
        let metadata = requestMetadata()
        let handler = live.handler
        try await handler.handle(.enroll(uuid: node, fields: enrollFields(
            name: "secret-node",
            driverInfo: ["ipmi_address": "10.20.30.40", "ipmi_username": "bmc-admin", "ipmi_password": .string(bmcPassword)]
        )), node: node, metadata: metadata)
        try await handler.handle(.createVolumeTarget(uuid: target, fields: [
            "volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-0001",
            "properties": ["auth_method": "CHAP", "auth_username": "chap-user", "auth_password": .string(chapPassword)],
        ]), node: node, metadata: metadata)
        let walk: [NodeCommand] = [
            .provision(verb: .manage, arguments: ProvisionArguments()), .advance(event: .done, error: nil),
            .provision(verb: .provide, arguments: ProvisionArguments()), .advance(event: .done, error: nil),
            .provision(verb: .deploy, arguments: ProvisionArguments()), .advance(event: .done, error: nil),
            .provision(verb: .rescue, arguments: ProvisionArguments(rescuePassword: rescuePassword)),
        ]
        for command in walk { try await handler.handle(command, node: node, metadata: metadata, origin: .engine) }
        let state = try #require(try handler.aggregate(node))
        #expect(state.node.provisionState == .rescuing)
        #expect(state.node.targetProvisionState == .rescue)
        return Scenario(live: live, node: node, target: target)
    }

    /// Every regular file under `directory` except those under its `keys/`, with its bytes.
    static func dataFiles(in directory: String) throws -> [(path: String, bytes: [UInt8])] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let keys = root.appendingPathComponent("keys").path
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [(String, [UInt8])] = []
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            if path == keys || path.hasPrefix(keys + "/") { continue }
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            files.append((path, Array(try Data(contentsOf: url))))
        }
        return files
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    @Test("no file of the data directory but the keys holds any secret in clear, after the store is closed")
    func noClearTextOnDisk() async throws {
        let scenario = try await Self.scenario()
        scenario.live.store.close()
        let files = try Self.dataFiles(in: scenario.live.directory)
        let names = Set(files.map { ($0.path as NSString).lastPathComponent })
        #expect(names.contains("data.mdb"))
        #expect(names.contains("lock.mdb"))
        // The search works: what is not secret is there in clear.
        let data = try #require(files.first { $0.path.hasSuffix("/data.mdb") })
        #expect(Self.contains(data.bytes, "10.20.30.40"))
        #expect(Self.contains(data.bytes, "bmc-admin"))
        #expect(Self.contains(data.bytes, "chap-user"))
        #expect(Self.contains(data.bytes, SecretSealer.tokenPrefix))
        for file in files {
            for secret in Self.secrets {
                #expect(!Self.contains(file.bytes, secret), "\(file.path) holds \(secret) in clear")
            }
        }
    }

    @Test("the stored events hold sealed tokens that the node's key opens, and crypto-shredding leaves the log valid")
    func sealedTokensOpenUntilShredded() async throws {
        let scenario = try await Self.scenario()
        let live = scenario.live, node = scenario.node
        let owner = node.lowercased
        let events = try live.store.events(ofStream: NodeStream.id(node))
        let decoded = try events.map { try NodeEvent.decode(payload: $0.payload) }

        // The enrolment's driver_info: the password is a token, the rest is as given.
        guard case .enrolled(let enrolled)? = decoded.first else { Issue.record("the stream does not start with NodeEnrolled"); return }
        let bmcToken = try #require(enrolled.driverInfo["ipmi_password"]?.stringValue)
        #expect(bmcToken.hasPrefix("ironlog-sealed:"))
        #expect(!bmcToken.contains(Self.bmcPassword))
        #expect(enrolled.driverInfo["ipmi_username"] == "bmc-admin")
        #expect(String(decoding: events[0].payload, as: UTF8.self).contains("ironlog-sealed:"))

        // The volume target's CHAP password and the rescue password are tokens too.
        let targetEvent = decoded.compactMap { event -> VolumeTarget? in
            if case .volumeTargetCreated(let target) = event { return target }
            return nil
        }.first
        let chapToken = try #require(targetEvent?.properties["auth_password"]?.stringValue)
        #expect(chapToken.hasPrefix("ironlog-sealed:"))
        let rescueChange = decoded.compactMap { event -> ProvisionStateChange? in
            if case .provisionStateChanged(let change) = event, change.verb == .rescue { return change }
            return nil
        }.first
        let rescueToken = try #require(rescueChange?.arguments?.rescuePassword)
        #expect(rescueToken.hasPrefix("ironlog-sealed:"))

        // The projection shows the sealed value, never the clear one.
        let projected = try #require(try live.handler.aggregate(node))
        #expect(projected.node.driverInfo["ipmi_password"]?.stringValue == bmcToken)
        #expect(projected.volumeTargets[scenario.target]?.properties["auth_password"]?.stringValue == chapToken)

        // The node's key opens them.
        let sealer = try #require(try live.keyring.sealer(for: node, create: false))
        let opened = try SecretFields.opening(enrolled.driverInfo, field: .driverInfo, context: owner, with: sealer)
        #expect(opened["ipmi_password"] == .string(Self.bmcPassword))
        #expect(opened["ipmi_username"] == "bmc-admin")
        #expect(try sealer.open(bmcToken, context: SecretFields.context(owner, field: .driverInfo, key: "ipmi_password")) == Self.bmcPassword)
        let targetOwner = EventSealing.targetOwner(scenario.node, scenario.target)
        #expect(try sealer.open(chapToken, context: SecretFields.context(targetOwner, field: .volumeTargetProperties, key: "auth_password")) == Self.chapPassword)
        // Bound to its target: the same token does not open as the node's own.
        #expect(throws: SecretError.self) { try sealer.open(chapToken, context: SecretFields.context(owner, field: .volumeTargetProperties, key: "auth_password")) }
        #expect(try sealer.open(rescueToken, context: "\(owner)/rescue_password") == Self.rescuePassword)
        // A token does not open under another member's context.
        #expect(throws: SecretError.self) { try sealer.open(bmcToken, context: SecretFields.context(owner, field: .driverInfo, key: "ipmi_username")) }

        // Shred the key: nothing opens any more, not even with a sealer kept from before.
        let logBefore = try live.store.events(from: 1, limit: .max)
        let reportBefore = try live.store.verify()
        #expect(reportBefore.isValid)
        try live.keyring.shred(node: node)
        #expect(!FileManager.default.fileExists(atPath: live.keyring.keyFilePath(for: node)))
        #expect(try live.keyring.sealer(for: node, create: false) == nil)
        #expect(try live.keyring.key(for: node) == nil)
        // A fresh keyring on the directory finds no key either.
        #expect(try NodeKeyring(dataDirectory: live.directory).key(for: node) == nil)
        // A new key for the node opens none of the old tokens.
        let fresh = try #require(try live.keyring.sealer(for: node, create: true))
        #expect(throws: SecretError.wrongKeyOrTampered(context: SecretFields.context(owner, field: .driverInfo, key: "ipmi_password"))) {
            try SecretFields.opening(enrolled.driverInfo, field: .driverInfo, context: owner, with: fresh)
        }
        #expect(throws: SecretError.self) { try fresh.open(chapToken, context: SecretFields.context(EventSealing.targetOwner(scenario.node, scenario.target), field: .volumeTargetProperties, key: "auth_password")) }
        #expect(throws: SecretError.self) { try fresh.open(rescueToken, context: "\(owner)/rescue_password") }
        try live.keyring.shred(node: node)

        // The log is byte for byte what it was, and still verifies — before and after closing.
        let report = try live.store.verify()
        #expect(report.isValid, "verify: \(String(describing: report.firstProblem))")
        #expect(report.envelopesChecked == UInt64(logBefore.count))
        #expect(report.head == reportBefore.head)
        #expect(try live.store.events(from: 1, limit: .max) == logBefore)
        live.store.close()
        #expect(try live.store.verify().isValid)
        // Masking needs no key: the API can still show the node.
        #expect(SecretFields.masking(projected.node.driverInfo, field: .driverInfo)["ipmi_password"] == .string(SecretFields.mask))
    }
}
