import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The bad-input sweep over a node's actions — provision, power, maintenance, boot device,
/// traits, VIFs, RAID — and the agent's heartbeat: malformed JSON, wrong types, unknown members,
/// oversized bodies, bad values. Each is a 4xx with Ironic's error body, and nothing is stored.
@Suite("Bad input: node actions")
struct BadInputActionTests {
    /// Each action's path under the node, and bodies it must refuse beyond the malformed ones.
    static let actions: [(method: HTTPRequest.Method, path: String, bodies: [String])] = [
        (.put, "/states/provision", [
            "{}", #"{"target": null}"#, #"{"target": 1}"#, #"{"target": ["manage"]}"#, #"{"target": "bogus"}"#, #"{"target": "MANAGE"}"#,
            #"{"target": ""}"#, #"{"target": "manage", "bogus": 1}"#, #"{"target": "active", "configdrive": 1}"#,
            #"{"target": "active", "configdrive": ["x"]}"#, #"{"target": "active", "configdrive": {"bogus": 1}}"#,
            #"{"target": "clean", "clean_steps": "x"}"#, #"{"target": "clean", "clean_steps": [1]}"#,
            #"{"target": "clean", "clean_steps": {"a": 1}}"#, #"{"target": "rescue", "rescue_password": 1}"#,
            #"{"target": "manage", "disable_ramdisk": "x"}"#, #"{"target": "service"}"#, #"{"target": "deploy"}"#,
            #"{"target": "manage", "runbook": "x"}"#, #"{"target": "deleted"}"#, #"{"target": "\#(String(repeating: "t", count: 10000))"}"#,
        ]),
        (.put, "/states/power", [
            "{}", #"{"target": null}"#, #"{"target": 1}"#, #"{"target": "bogus"}"#, #"{"target": "on"}"#, #"{"target": "power on", "bogus": 1}"#,
            #"{"target": "power on", "timeout": "x"}"#, #"{"target": "power on", "timeout": -1}"#, #"{"target": "power on", "timeout": 0}"#,
            #"{"target": "power on", "timeout": 1.5}"#, #"{"target": "power on", "timeout": 1e20}"#, #"{"target": "power on", "timeout": true}"#,
            #"{"target": "soft power off", "timeout": 9999999999999999999}"#,
        ]),
        (.put, "/maintenance", [
            #"{"reason": 1}"#, #"{"reason": {}}"#, #"{"reason": ["r"]}"#, #"{"reason": true}"#, #"{"bogus": 1}"#, "[]", #""r""#,
        ]),
        (.put, "/management/boot_device", [
            "{}", #"{"boot_device": null}"#, #"{"boot_device": 1}"#, #"{"boot_device": "bogus"}"#, #"{"boot_device": "PXE"}"#,
            #"{"boot_device": "pxe", "persistent": "x"}"#, #"{"boot_device": "pxe", "persistent": 1}"#, #"{"boot_device": "pxe", "bogus": 1}"#,
        ]),
        (.put, "/traits", [
            "{}", #"{"traits": null}"#, #"{"traits": "CUSTOM_A"}"#, #"{"traits": [1]}"#, #"{"traits": [null]}"#, #"{"traits": [["CUSTOM_A"]]}"#,
            #"{"traits": ["custom_lower"]}"#, #"{"traits": ["CUSTOM_"]}"#, #"{"traits": ["CUSTOM_A B"]}"#,
            #"{"traits": ["CUSTOM_\#(String(repeating: "A", count: 250))"]}"#, #"{"traits": ["CUSTOM_A"], "bogus": 1}"#,
            #"{"traits": ["CUSTOM_\u0000"]}"#, #"{"traits": ["CUSTOM_É"]}"#,
            #"{"traits": [\#((0...60).map { #""CUSTOM_T\#($0)""# }.joined(separator: ", "))]}"#,
        ]),
        (.post, "/vifs", [
            "{}", #"{"id": null}"#, #"{"id": 1}"#, #"{"id": ""}"#, #"{"id": ["v"]}"#, #"{"id": "v", "port_uuid": "not-a-uuid"}"#,
            #"{"id": "v", "port_uuid": 1}"#, #"{"id": "v", "portgroup_uuid": "x"}"#,
            #"{"id": "v", "port_uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
        ]),
        (.put, "/states/raid", [
            #"{"logical_disks": "x"}"#, #"{"logical_disks": [1]}"#, #"{"logical_disks": [{}]}"#, #"{"logical_disks": {}}"#,
            #"{"logical_disks": [{"size_gb": "x", "raid_level": "1"}]}"#, #"{"logical_disks": [{"size_gb": -1, "raid_level": "1"}]}"#,
            #"{"logical_disks": [{"size_gb": 10, "raid_level": "7"}]}"#, #"{"logical_disks": [{"size_gb": 10, "raid_level": 1}]}"#,
            #"{"logical_disks": [{"size_gb": 10}]}"#, #"{"logical_disks": [{"raid_level": "1"}]}"#, #"{"bogus": 1}"#,
            #"{"logical_disks": [{"size_gb": 10, "raid_level": "1", "is_root_volume": "x"}]}"#,
            #"{"logical_disks": [{"size_gb": 10, "raid_level": "1", "bogus": 1}]}"#,
        ]),
    ]

    @Test("each action refuses malformed JSON, oversized bodies, wrong types, unknown members and bad values")
    func actions() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            for (method, path, bodies) in Self.actions {
                let uri = "/v1/nodes/\(node)\(path)"
                for (label, payload) in malformedBodies {
                    try await expectRefused(client, conductor, method, uri, body: payload, version: "1.39", status: .badRequest, label)
                }
                let oversized = path == "/states/raid" ? oversizedBody() : oversizedBody(#""target": "manage", "#)
                try await expectRefused(client, conductor, method, uri, body: oversized, version: "1.39", status: .contentTooLarge, "over 1 MiB")
                for json in bodies {
                    try await expectRefused(client, conductor, method, uri, body: body(json), version: "1.39", String(json.prefix(80)))
                }
                if path != "/maintenance" {
                    for (label, payload) in nonObjectBodies {
                        try await expectRefused(client, conductor, method, uri, body: payload, version: "1.39", label)
                    }
                }
            }
        }
    }

    @Test("clean steps of the wrong shape are 400 on a manageable node, and it stays manageable")
    func cleanSteps() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.39"),
                                     body: body(#"{"target": "manage"}"#)) { response in
                #expect(response.status == .accepted)
            }
            for _ in 0..<100 where try projected(conductor, node).provisionState != .manageable {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(try projected(conductor, node).provisionState == .manageable)
            for steps in [#"[{}]"#, #"[1]"#, #"[{"interface": 1, "step": "x"}]"#, #"[{"interface": "bogus", "step": "x"}]"#,
                          #"[{"interface": "deploy", "step": ""}]"#, #"[{"interface": "deploy", "step": ["x"]}]"#,
                          #"[{"interface": "deploy", "step": "x", "args": "a"}]"#, #"[{"interface": "deploy", "step": "x", "bogus": 1}]"#] {
                try await expectRefused(client, conductor, .put, "/v1/nodes/\(node)/states/provision",
                                        body: body(#"{"target": "clean", "clean_steps": \#(steps)}"#), status: .badRequest, steps)
            }
            #expect(try projected(conductor, node).provisionState == .manageable)
        }
    }

    @Test("trait and VIF names in the path: bad traits are 400, a VIF not attached is 400, nothing stored")
    func pathValues() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            for trait in ["custom_lower", "CUSTOM_", "CUSTOM_A%20B", "CUSTOM_%00", "CUSTOM_" + String(repeating: "A", count: 250),
                          "%2E%2E", "CUSTOM_%C3%89"] {
                try await expectRefused(client, conductor, .put, "/v1/nodes/\(node)/traits/\(trait)", status: .badRequest, "trait \(trait.prefix(40))")
            }
            try await expectRefused(client, conductor, .delete, "/v1/nodes/\(node)/traits/CUSTOM_ABSENT", status: .notFound, "a trait the node lacks")
            for vif in ["absent", "%00", String(repeating: "v", count: 5000)] {
                try await expectRefused(client, conductor, .delete, "/v1/nodes/\(node)/vifs/\(vif)", status: .badRequest, "vif \(vif.prefix(40))")
            }
        }
    }

    @Test("POST /v1/heartbeat/{node}: malformed JSON, wrong types, unknown members, bad URLs")
    func heartbeat() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            let uri = "/v1/heartbeat/\(node)"
            for (label, payload) in malformedBodies + nonObjectBodies {
                try await expectRefused(client, conductor, .post, uri, body: payload, version: "1.72", status: .badRequest, label)
            }
            try await expectRefused(client, conductor, .post, uri, body: oversizedBody(), version: "1.72", status: .contentTooLarge, "over 1 MiB")
            for json in ["{}", #"{"callback_url": 1}"#, #"{"callback_url": "not a url"}"#, #"{"callback_url": "ftp://10.0.0.1/"}"#,
                         #"{"callback_url": "http://"}"#, #"{"callback_url": "javascript:alert(1)"}"#, #"{"callback_url": "http://a", "bogus": 1}"#,
                         #"{"callback_url": "http://a", "agent_version": 1}"#, #"{"callback_url": "http://a", "agent_status": "bogus"}"#,
                         #"{"callback_url": "http://a", "agent_status": 1}"#, #"{"callback_url": "http://a", "agent_token": 1}"#,
                         #"{"callback_url": "http://a", "agent_status_message": []}"#, #"{"callback_url": "http://a", "agent_verify_ca": 1}"#] {
                try await expectRefused(client, conductor, .post, uri, body: body(json), version: "1.72", json)
            }
            for ident in ["not%20a%20uuid", "%00", "..%2F..", String(repeating: "x", count: 5000), "3f2504e0-4f89-11d3-9a0c-0305e82c3301"] {
                try await expectRefused(client, conductor, .post, "/v1/heartbeat/\(ident)", body: body(#"{"callback_url": "http://a"}"#),
                                        version: "1.72", "ident \(ident.prefix(40))")
            }
        }
    }
}
