import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The bad-input sweep over nodes: creating and patching them with malformed JSON, wrong types,
/// unknown fields, oversized bodies, invalid patches and hostile names, and naming them with bad
/// idents. Each is a 4xx with Ironic's error body, and nothing is stored.
@Suite("Bad input: nodes")
struct BadInputNodeTests {
    /// The node fields a create body may carry, by the kind of value each takes.
    static let createFields: [(kind: String, names: [String])] = [
        ("string", ["driver", "name", "resource_class", "conductor_group", "owner", "description", "retired_reason", "lessee", "shard",
                    "parent_node", "instance_name", "boot_mode"] + HardwareInterfaceKind.allCases.map(\.fieldName)),
        ("object", ["driver_info", "extra", "instance_info", "properties", "network_data"]),
        ("boolean", ["maintenance", "console_enabled", "automated_clean", "retired", "secure_boot", "disable_power_off"]),
        ("uuid", ["uuid", "instance_uuid", "chassis_uuid"]),
    ]

    @Test("POST /v1/nodes: malformed JSON, other documents than an object, an oversized body")
    func createMalformed() async throws {
        try await withAPI { client, conductor in
            for (label, payload) in malformedBodies + nonObjectBodies {
                try await expectRefused(client, conductor, .post, "/v1/nodes", body: payload, status: .badRequest, label)
            }
            try await expectRefused(client, conductor, .post, "/v1/nodes", body: nil, status: .badRequest, "no body")
            try await expectRefused(client, conductor, .post, "/v1/nodes", body: body("  \n"), status: .badRequest, "a blank body")
            try await expectRefused(client, conductor, .post, "/v1/nodes", body: oversizedBody(#""driver": "fake-hardware", "#),
                                    status: .contentTooLarge, "over 1 MiB")
        }
    }

    @Test("POST /v1/nodes: each field with each wrong kind of value, unknown fields, a missing or unknown driver")
    func createWrongTypes() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            for (kind, names) in Self.createFields {
                for name in names {
                    let wrong = kind == "uuid" ? [#""not-a-uuid""#, "1", "true", "[]", "{}", #""""#] : wrongValues(for: kind)
                    for value in wrong where !(name == "driver" && value == "null") {
                        let json = name == "driver" ? #"{"driver": \#(value)}"# : #"{"driver": "fake-hardware", "\#(name)": \#(value)}"#
                        try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(json), version: "1.115", "\(name) = \(value)")
                    }
                }
            }
            for json in [#"{"driver": "fake-hardware", "bogus": 1}"#, #"{"driver": "fake-hardware", "DRIVER": "x"}"#,
                         #"{"driver": "fake-hardware", "provision_state": "active"}"#, #"{"driver": "fake-hardware", "created_at": "2020-01-01"}"#,
                         #"{"driver": "fake-hardware", "power_state": "power on"}"#, #"{"driver": "fake-hardware", "traits": ["CUSTOM_A"]}"#,
                         #"{"driver": "fake-hardware", "links": []}"#, #"{"driver": "fake-hardware", "reservation": "x"}"#,
                         #"{"driver": "fake-hardware", "protected": true}"#, #"{"driver": "fake-hardware", "": 1}"#,
                         #"{}"#, #"{"name": "n"}"#, #"{"driver": null}"#, #"{"driver": ""}"#, #"{"driver": "no-such-driver"}"#,
                         #"{"driver": "fake-hardware", "power_interface": "no-such-interface"}"#,
                         #"{"driver": "fake-hardware", "boot_mode": "legacy"}"#,
                         #"{"driver": "fake-hardware", "resource_class": "\#(String(repeating: "r", count: 81))"}"#,
                         #"{"driver": "fake-hardware", "description": "\#(String(repeating: "d", count: 4097))"}"#] {
                try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(json), version: "1.115", json)
            }
            try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(#"{"driver": "fake-hardware", "owner": "o"}"#),
                                    version: "1.39", status: .notAcceptable, "a field newer than the version")
        }
    }

    @Test("POST /v1/nodes: hostile names are 400")
    func createHostileNames() async throws {
        try await withAPI { client, conductor in
            for name in hostileNames {
                try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(#"{"driver": "fake-hardware", "name": \#(jsonString(name))}"#),
                                        status: .badRequest, "name \(name.debugDescription.prefix(40))")
            }
            _ = try await createNode(client, version: "1.39", json: #"{"driver": "fake-hardware", "name": "taken"}"#)
            try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(#"{"driver": "fake-hardware", "name": "taken"}"#),
                                    status: .conflict, "a duplicate name")
        }
    }

    @Test("PATCH /v1/nodes/{ident}: malformed JSON, bad patch documents, read-only and unknown fields, wrong types, hostile names")
    func patch() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.115", json: #"{"driver": "fake-hardware", "name": "patched"}"#))
            let uri = "/v1/nodes/\(node)"
            for (label, payload) in malformedBodies {
                try await expectRefused(client, conductor, .patch, uri, body: payload, version: "1.115", status: .badRequest, label)
            }
            try await expectRefused(client, conductor, .patch, uri, body: nil, version: "1.115", status: .badRequest, "no body")
            try await expectRefused(client, conductor, .patch, uri, body: oversizedBody(), version: "1.115", status: .contentTooLarge, "over 1 MiB")
            for json in Self.invalidPatches + Self.readOnlyPatches + Self.wrongTypePatches {
                try await expectRefused(client, conductor, .patch, uri, body: body(json), version: "1.115", json)
            }
            for name in hostileNames {
                try await expectRefused(client, conductor, .patch, uri,
                                        body: body(#"[{"op": "replace", "path": "/name", "value": \#(jsonString(name))}]"#), version: "1.115",
                                        status: .badRequest, "name \(name.debugDescription.prefix(40))")
            }
        }
    }

    /// Patch documents of the wrong shape.
    static let invalidPatches: [String] = [
        "{}", #"{"op": "replace", "path": "/name", "value": "x"}"#, "[]", "[1]", #"["x"]"#, "[[]]", "null",
        #"[{"path": "/name", "value": "x"}]"#, #"[{"op": "move", "from": "/name", "path": "/description"}]"#,
        #"[{"op": "copy", "from": "/name", "path": "/description"}]"#, #"[{"op": "test", "path": "/name", "value": "x"}]"#,
        #"[{"op": "REPLACE", "path": "/name", "value": "x"}]"#, #"[{"op": 1, "path": "/name", "value": "x"}]"#,
        #"[{"op": null, "path": "/name", "value": "x"}]"#, #"[{"op": "replace", "value": "x"}]"#,
        #"[{"op": "replace", "path": "", "value": "x"}]"#, #"[{"op": "replace", "path": "/", "value": "x"}]"#,
        #"[{"op": "replace", "path": "name", "value": "x"}]"#, #"[{"op": "replace", "path": "/name/", "value": "x"}]"#,
        #"[{"op": "replace", "path": "//name", "value": "x"}]"#, #"[{"op": "replace", "path": "/../name", "value": "x"}]"#,
        #"[{"op": "replace", "path": "/na me", "value": "x"}]"#, #"[{"op": "replace", "path": 1, "value": "x"}]"#,
        #"[{"op": "replace", "path": ["name"], "value": "x"}]"#, #"[{"op": "replace", "path": "/name"}]"#,
        #"[{"op": "add", "path": "/extra/a"}]"#, #"[{"op": "add", "path": "/bogus", "value": 1}]"#,
        #"[{"op": "replace", "path": "/bogus", "value": 1}]"#, #"[{"op": "remove", "path": "/bogus"}]"#,
        #"[{"op": "remove", "path": "/driver"}]"#, #"[{"op": "replace", "path": "/extra/a/b", "value": 1}]"#,
        #"[{"op": "remove", "path": "/extra/missing"}]"#, #"[{"op": "replace", "path": "/extra/missing", "value": 1}]"#,
        #"[{"op": "replace", "path": "/name", "value": "ok-name"}, {"op": "replace", "path": "/bogus", "value": 1}]"#,
    ]

    /// Patches of fields a client may not write.
    static let readOnlyPatches: [String] = [
        "uuid", "created_at", "updated_at", "provision_state", "target_provision_state", "power_state", "target_power_state",
        "provision_updated_at", "last_error", "reservation", "links", "ports", "states", "portgroups", "volume", "traits",
        "driver_internal_info", "inspection_started_at", "inspection_finished_at", "clean_step", "deploy_step", "service_step",
        "raid_config", "target_raid_config", "fault", "conductor", "allocation_uuid", "boot_mode", "secure_boot", "health",
        "console_enabled",
    ].flatMap { field in
        [#"[{"op": "replace", "path": "/\#(field)", "value": "x"}]"#, #"[{"op": "remove", "path": "/\#(field)"}]"#]
    }

    /// Patches giving a field the wrong kind of value.
    static let wrongTypePatches: [String] = {
        var patches: [String] = []
        for (kind, names) in [("string", ["name", "driver", "resource_class", "description", "owner", "power_interface"]),
                              ("object", ["driver_info", "extra", "instance_info", "properties", "network_data"]),
                              ("boolean", ["maintenance", "automated_clean", "protected", "retired", "disable_power_off"])] {
            for name in names {
                for value in wrongValues(for: kind) {
                    patches.append(#"[{"op": "replace", "path": "/\#(name)", "value": \#(value)}]"#)
                }
            }
        }
        for name in ["instance_uuid", "chassis_uuid"] {
            for value in [#""not-a-uuid""#, "1", "true", "{}"] { patches.append(#"[{"op": "replace", "path": "/\#(name)", "value": \#(value)}]"#) }
        }
        patches.append(#"[{"op": "replace", "path": "/driver", "value": "no-such-driver"}]"#)
        patches.append(#"[{"op": "replace", "path": "/driver", "value": ""}]"#)
        patches.append(#"[{"op": "replace", "path": "/driver", "value": null}]"#)
        patches.append(#"[{"op": "replace", "path": "/power_interface", "value": "no-such-interface"}]"#)
        return patches
    }()

    @Test("values nesting deeper than 64 levels are 400 and store nothing, in a body or built by a patch; the deepest allowed still shows in the log")
    func deepNesting() async throws {
        try await withAPI { client, conductor in
            /// `{"driver": …, "extra": {"a": [[…]]}}`, `depth` levels in all.
            func nested(_ depth: Int) -> String {
                let arrays = depth - 2
                return #"{"driver": "fake-hardware", "extra": {"a": \#(String(repeating: "[", count: arrays))\#(String(repeating: "]", count: arrays))}}"#
            }
            for depth in [65, 300, 508, 511] {
                try await expectRefused(client, conductor, .post, "/v1/nodes", body: body(nested(depth)), status: .badRequest, "\(depth) levels")
            }
            let node = try uuid(try await createNode(client, version: "1.39", json: nested(64)))
            // One level an operation: each is small, together they nest 70 deep.
            var path = "/extra/b"
            var operations = [#"{"op": "add", "path": "\#(path)", "value": {}}"#]
            for level in 0..<70 {
                path += "/k\(level)"
                operations.append(#"{"op": "add", "path": "\#(path)", "value": {}}"#)
            }
            try await expectRefused(client, conductor, .patch, "/v1/nodes/\(node)", body: body("[\(operations.joined(separator: ", "))]"),
                                    status: .badRequest, "a patch nesting 70 deep")
            for uri in ["/v1/events?limit=1000", "/v1/nodes/\(node)/history?detail=True", "/v1/nodes/\(node)", "/v1/events/stream?limit=1"] {
                try await client.execute(uri: uri, method: .get, headers: headers("1.39")) { response in
                    #expect(response.status == .ok, "\(uri): \(faultString(response))")
                }
            }
        }
    }

    @Test("bad idents in node paths are 400 or 404, whatever the method and sub-resource")
    func badIdents() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            _ = try await createNode(client, version: "1.115")
            let idents = [
                "not%20a%20uuid", "%00", "..%2F..%2Fetc", "%2E%2E", String(repeating: "x", count: 5000), "%27%3B%20DROP%20TABLE%20nodes",
                "%E2%80%AE", "n%C3%B6de", "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e0-4f89-11d3-9a0c-0305e82c33011",
                "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "%7B%7D", "-", "a%0Ab",
            ]
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "", nil), (.patch, "", #"[{"op": "replace", "path": "/description", "value": "x"}]"#), (.delete, "", nil),
                (.get, "/states", nil), (.put, "/states/provision", #"{"target": "manage"}"#), (.put, "/states/power", #"{"target": "power on"}"#),
                (.put, "/states/raid", "{}"), (.put, "/maintenance", #"{"reason": "r"}"#), (.delete, "/maintenance", nil),
                (.get, "/management/boot_device", nil), (.put, "/management/boot_device", #"{"boot_device": "pxe"}"#),
                (.put, "/traits", #"{"traits": ["CUSTOM_A"]}"#), (.put, "/traits/CUSTOM_A", nil), (.post, "/vifs", #"{"id": "v"}"#),
                (.get, "/validate", nil), (.get, "/ports", nil), (.get, "/history", nil),
            ]
            for ident in idents {
                for (method, suffix, json) in requests {
                    try await expectRefused(client, conductor, method, "/v1/nodes/\(ident)\(suffix)", body: json.map(body), version: "1.115",
                                            "ident \(ident.prefix(40))")
                }
            }
        }
    }
}
