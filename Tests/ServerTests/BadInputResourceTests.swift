import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The bad-input sweep over a node's resources — ports, port groups, volume connectors and
/// targets: creating and patching them with malformed JSON, wrong types, unknown fields, oversized
/// bodies, invalid patches and hostile names, and naming them with bad idents. Each is a 4xx with
/// Ironic's error body, and nothing is stored.
@Suite("Bad input: ports, port groups, volume resources")
struct BadInputResourceTests {
    /// One kind of resource: where it lives, a valid create body (with `NODE` for the node's
    /// UUID), and its fields by the kind of value each takes.
    struct Kind {
        let collection: String
        let valid: String
        let fields: [(kind: String, names: [String])]
        let readOnly: [String]
        let bad: [String]
    }

    static let kinds: [Kind] = [
        Kind(collection: "/v1/ports", valid: #""address": "52:54:00:00:00:01", "node_uuid": "NODE""#,
             fields: [("string", ["address", "physical_network", "name", "description", "vendor", "category"]),
                      ("object", ["extra", "local_link_connection"]), ("boolean", ["pxe_enabled", "is_smartnic"]),
                      ("uuid", ["uuid", "node_uuid", "portgroup_uuid"])],
             readOnly: ["uuid", "created_at", "updated_at", "internal_info", "links"],
             bad: [#"{"address": "not-a-mac", "node_uuid": "NODE"}"#, #"{"address": "", "node_uuid": "NODE"}"#,
                   #"{"address": "52:54:00:00:00:01:02", "node_uuid": "NODE"}"#, #"{"address": "52:54:00:00:00:0g", "node_uuid": "NODE"}"#,
                   #"{"node_uuid": "NODE"}"#, #"{"address": "52:54:00:00:00:01"}"#,
                   #"{"address": "52:54:00:00:00:01", "node_uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
                   #"{"address": "52:54:00:00:00:01", "node_uuid": "NODE", "portgroup_uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#,
                   #"{"address": "52:54:00:00:00:01", "node_uuid": "NODE", "local_link_connection": {"bogus": 1}}"#,
                   #"{"address": "52:54:00:00:00:01", "node_uuid": "NODE", "local_link_connection": {"switch_id": "not-a-mac"}}"#,
                   #"{"address": "52:54:00:00:00:01", "node_uuid": "NODE", "node_ident": "NODE"}"#]),
        Kind(collection: "/v1/portgroups", valid: #""address": "52:54:00:00:01:01", "node_uuid": "NODE""#,
             fields: [("string", ["address", "name", "mode", "physical_network", "category"]), ("object", ["extra", "properties"]),
                      ("boolean", ["standalone_ports_supported"]), ("uuid", ["uuid", "node_uuid"])],
             readOnly: ["uuid", "created_at", "updated_at", "internal_info", "links", "ports"],
             bad: [#"{"address": "not-a-mac", "node_uuid": "NODE"}"#, #"{"address": "52:54:00:00:01:01"}"#,
                   #"{"node_uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#]),
        Kind(collection: "/v1/volume/connectors", valid: #""type": "iqn", "connector_id": "iqn.2026-01.org.example:1", "node_uuid": "NODE""#,
             fields: [("string", ["type", "connector_id"]), ("object", ["extra"]), ("uuid", ["uuid", "node_uuid"])],
             readOnly: ["uuid", "created_at", "updated_at", "links"],
             bad: [#"{"type": "bogus", "connector_id": "x", "node_uuid": "NODE"}"#, #"{"type": "iqn", "node_uuid": "NODE"}"#,
                   #"{"connector_id": "x", "node_uuid": "NODE"}"#,
                   #"{"type": "iqn", "connector_id": "x", "node_uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#]),
        Kind(collection: "/v1/volume/targets", valid: #""volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1", "node_uuid": "NODE""#,
             fields: [("string", ["volume_type", "volume_id"]), ("integer", ["boot_index"]), ("object", ["extra", "properties"]),
                      ("uuid", ["uuid", "node_uuid"])],
             readOnly: ["uuid", "created_at", "updated_at", "links"],
             bad: [#"{"volume_type": "iscsi", "boot_index": 1e20, "volume_id": "v", "node_uuid": "NODE"}"#,
                   #"{"volume_type": "iscsi", "volume_id": "v", "node_uuid": "NODE"}"#, #"{"volume_type": "iscsi", "boot_index": 0, "node_uuid": "NODE"}"#,
                   #"{"boot_index": 0, "volume_id": "v", "node_uuid": "NODE"}"#]),
    ]

    /// The wrong values for a field of `kind`.
    static func wrong(_ kind: String) -> [String] {
        kind == "uuid" ? [#""not-a-uuid""#, "1", "true", "[]", "{}", #""""#] : wrongValues(for: kind)
    }

    @Test("create: malformed JSON, non-objects, oversized, wrong types, unknown fields, bad values")
    func create() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            for kind in Self.kinds {
                for (label, payload) in malformedBodies + nonObjectBodies {
                    try await expectRefused(client, conductor, .post, kind.collection, body: payload, version: "1.115", status: .badRequest, label)
                }
                try await expectRefused(client, conductor, .post, kind.collection, body: nil, version: "1.115", status: .badRequest, "no body")
                try await expectRefused(client, conductor, .post, kind.collection, body: oversizedBody(kind.valid.replacingOccurrences(of: "NODE", with: node) + ", "),
                                        version: "1.115", status: .contentTooLarge, "over 1 MiB")
                for (fieldKind, names) in kind.fields {
                    for name in names {
                        for value in Self.wrong(fieldKind) {
                            try await expectRefused(client, conductor, .post, kind.collection, body: body(Self.replacing(name, with: value, in: kind.valid, node: node)),
                                                    version: "1.115", "\(name) = \(value)")
                        }
                    }
                }
                for json in kind.bad + [#"{\#(kind.valid), "bogus": 1}"#, #"{\#(kind.valid), "created_at": "2020-01-01T00:00:00"}"#,
                                        #"{\#(kind.valid), "links": []}"#, #"{\#(kind.valid), "": 1}"#] {
                    try await expectRefused(client, conductor, .post, kind.collection, body: body(json.replacingOccurrences(of: "NODE", with: node)),
                                            version: "1.115", json)
                }
            }
        }
    }

    /// `valid` with `name` set to `value` (replacing it if `valid` has it), as a JSON object.
    static func replacing(_ name: String, with value: String, in valid: String, node: String) -> String {
        var members = valid.replacingOccurrences(of: "NODE", with: node).components(separatedBy: ", ").filter { !$0.hasPrefix("\"\(name)\":") }
        members.append("\"\(name)\": \(value)")
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test("patch: malformed JSON, bad patch documents, read-only and unknown fields, wrong types, another node")
    func patch() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            let other = try uuid(try await createNode(client, version: "1.39"))
            for kind in Self.kinds {
                let created = try await client.execute(uri: kind.collection, method: .post, headers: headers("1.115"),
                                                       body: body("{\(kind.valid.replacingOccurrences(of: "NODE", with: node))}")) { response in
                    #expect(response.status == .created, "\(String(buffer: response.body))")
                    return try #require(jsonObject(response.body)?["uuid"] as? String)
                }
                let uri = "\(kind.collection)/\(created)"
                for (label, payload) in malformedBodies {
                    try await expectRefused(client, conductor, .patch, uri, body: payload, version: "1.115", status: .badRequest, label)
                }
                try await expectRefused(client, conductor, .patch, uri, body: nil, version: "1.115", status: .badRequest, "no body")
                try await expectRefused(client, conductor, .patch, uri, body: oversizedBody(), version: "1.115", status: .contentTooLarge, "over 1 MiB")
                var patches = BadInputNodeTests.invalidPatches
                patches += ["{}", "[]", #"[{"op": "move", "from": "/extra", "path": "/extra/b"}]"#, #"[{"op": "add", "path": "/bogus", "value": 1}]"#]
                patches += kind.readOnly.flatMap { [#"[{"op": "replace", "path": "/\#($0)", "value": "x"}]"#, #"[{"op": "remove", "path": "/\#($0)"}]"#] }
                patches.append(#"[{"op": "replace", "path": "/node_uuid", "value": "\#(other)"}]"#)
                patches.append(#"[{"op": "replace", "path": "/node_uuid", "value": "not-a-uuid"}]"#)
                patches.append(#"[{"op": "remove", "path": "/node_uuid"}]"#)
                for (fieldKind, names) in kind.fields where fieldKind != "uuid" {
                    for name in names {
                        for value in Self.wrong(fieldKind) {
                            patches.append(#"[{"op": "replace", "path": "/\#(name)", "value": \#(value)}]"#)
                        }
                    }
                }
                for json in patches {
                    try await expectRefused(client, conductor, .patch, uri, body: body(json), version: "1.115", json)
                }
            }
        }
    }

    @Test("hostile port and port group names are 400")
    func hostileResourceNames() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, version: "1.39"))
            // `validate` is reserved for nodes only (`/v1/nodes/{ident}/validate`); ports have no such path.
            for (index, name) in hostileNames.filter({ $0 != "validate" }).enumerated() {
                let portMAC = String(format: "52:54:00:00:02:%02x", index), groupMAC = String(format: "52:54:00:00:03:%02x", index)
                for (collection, valid) in [("/v1/ports", #""address": "\#(portMAC)""#), ("/v1/portgroups", #""address": "\#(groupMAC)""#)] {
                    try await expectRefused(client, conductor, .post, collection,
                                            body: body(#"{\#(valid), "node_uuid": "\#(node)", "name": \#(jsonString(name))}"#), version: "1.115",
                                            status: .badRequest, "\(collection) name \(name.debugDescription.prefix(40))")
                }
            }
        }
    }

    @Test("bad idents in resource paths are 400 or 404")
    func badIdents() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            _ = try await createNode(client, version: "1.39")
            let idents = ["not%20a%20uuid", "%00", "..%2F..", String(repeating: "x", count: 5000), "%27%3B%20DROP%20TABLE%20ports", "%E2%80%AE",
                          "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"]
            for ident in idents {
                try await expectRefused(client, conductor, .get, "/v1/portgroups/\(ident)/ports", version: "1.115", "group ports \(ident.prefix(40))")
            }
            for collection in ["/v1/ports", "/v1/portgroups", "/v1/volume/connectors", "/v1/volume/targets"] {
                for ident in idents {
                    for (method, json) in [(HTTPRequest.Method.get, nil), (.patch, #"[{"op": "add", "path": "/extra/a", "value": 1}]"#), (.delete, nil)] as [(HTTPRequest.Method, String?)] {
                        try await expectRefused(client, conductor, method, "\(collection)/\(ident)", body: json.map(body), version: "1.115",
                                                "ident \(ident.prefix(40))")
                    }
                }
            }
        }
    }
}
