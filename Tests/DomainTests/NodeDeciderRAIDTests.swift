import Domain
import Foundation
import Testing

@Suite("Decide: target RAID configuration (/v1/nodes/{id}/states/raid)")
struct NodeDeciderRAIDTests {
    static let config: JSONValue = ["logical_disks": [["size_gb": 100, "raid_level": "1", "is_root_volume": true]]]

    @Test("a valid configuration is recorded as target_raid_config; the same again is a no-op; {} clears it")
    func setTarget() {
        given(History.enroll).when(.setTargetRAIDConfig(Self.config)).then([.updated(changes: ["target_raid_config": Self.config])])
        let configured = History.enroll + [.updated(changes: ["target_raid_config": Self.config])]
        given(configured).when(.setTargetRAIDConfig(Self.config)).then([])
        given(configured).when(.setTargetRAIDConfig(.emptyObject)).then([.updated(changes: ["target_raid_config": .emptyObject])])
        #expect(given(configured).state?.node.targetRAIDConfig == Self.config)
    }

    @Test("a malformed configuration is refused (400)", arguments: [
        JSONValue.array([]), ["logical_disks": []], ["logical_disks": [["raid_level": "1"]]],
        ["logical_disks": [["size_gb": 10, "raid_level": "7"]]], ["logical_disks": [["size_gb": -1, "raid_level": "1"]]],
        ["disks": [["size_gb": 10, "raid_level": "1"]]], ["logical_disks": [["size_gb": "MAX", "raid_level": "0", "is_root_volume": "yes"]]],
    ] as [JSONValue])
    func malformed(config: JSONValue) {
        given(History.enroll).when(.setTargetRAIDConfig(config)).thenRefused(httpStatus: 400)
    }

    @Test("PATCH can not set target_raid_config")
    func notPatchable() {
        given(History.enroll)
            .when(.update(patch: [["op": "add", "path": "/target_raid_config", "value": Self.config]]))
            .thenRefused(httpStatus: 400)
    }
}
