import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Runbooks: /v1/runbooks")
struct RunbookRouteTests {
    static let raid = #"{"interface": "raid", "step": "delete_configuration", "args": {}, "order": 2}"#
    static let bios = #"{"interface": "bios", "step": "apply_configuration", "args": {"settings": [{"name": "x", "admin_password": "hunter2"}]}, "order": 1}"#

    @discardableResult
    static func create(_ client: any TestClientProtocol, _ json: String, version: String = "1.92") async throws -> [String: Any] {
        try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers(version), body: body(json)) { response in
            #expect(response.status == .created, "\(json): \(faultString(response))")
            return try #require(jsonObject(response.body))
        }
    }

    @Test("create, show by UUID and name, list (default fields, detail, fields, filters, paging), patch a step, delete")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let created = try await Self.create(client, #"{"name": "CUSTOM_FIRMWARE", "steps": [\#(Self.raid), \#(Self.bios)], "extra": {"a": 1}, "disable_ramdisk": true}"#)
            let runbook = try uuid(created)
            #expect(created["disable_ramdisk"] as? Bool == true && created["public"] as? Bool == false && created["owner"] is NSNull)
            #expect(created["description"] == nil && created["traits"] == nil, "1.112 fields are hidden at 1.92")
            let steps = try #require(created["steps"] as? [[String: Any]])
            #expect(steps.map { $0["order"] as? Int } == [2, 1])
            #expect(((steps[1]["args"] as? [String: Any])?["settings"] as? [[String: Any]])?.first?["admin_password"] as? String == "******")
            for ident in [runbook, "CUSTOM_FIRMWARE"] {
                try await client.execute(uri: "/v1/runbooks/\(ident)", method: .get, headers: headers("1.92")) { response in
                    #expect(response.status == .ok && jsonObject(response.body)?["name"] as? String == "CUSTOM_FIRMWARE")
                }
            }
            try await client.execute(uri: "/v1/runbooks/\(runbook)?fields=name,steps", method: .get, headers: headers("1.92")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(Set(document.keys) == ["name", "steps", "links"])
            }
            try await Self.create(client, #"{"name": "CUSTOM_PUBLIC", "steps": [\#(Self.raid)], "public": true}"#)
            try await Self.create(client, #"{"name": "CUSTOM_OWNED", "steps": [\#(Self.raid)], "owner": "p1"}"#)
            try await client.execute(uri: "/v1/runbooks", method: .get, headers: headers("1.92")) { response in
                let list = try #require(jsonObject(response.body)?["runbooks"] as? [[String: Any]])
                #expect(list.count == 3 && Set(list[0].keys) == ["uuid", "name", "links"])
            }
            try await client.execute(uri: "/v1/runbooks?public=True", method: .get, headers: headers("1.92")) { response in
                #expect((jsonObject(response.body)?["runbooks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["CUSTOM_PUBLIC"])
            }
            try await client.execute(uri: "/v1/runbooks?owner=p1&fields=name,owner", method: .get, headers: headers("1.92")) { response in
                let list = try #require(jsonObject(response.body)?["runbooks"] as? [[String: Any]])
                #expect(list.count == 1 && list[0]["owner"] as? String == "p1" && list[0]["steps"] == nil)
            }
            try await client.execute(uri: "/v1/runbooks?detail=True&limit=1&sort_key=name", method: .get, headers: headers("1.92")) { response in
                let document = try #require(jsonObject(response.body))
                let list = try #require(document["runbooks"] as? [[String: Any]])
                #expect(list.count == 1 && list[0]["name"] as? String == "CUSTOM_FIRMWARE" && list[0]["steps"] != nil)
                #expect((document["next"] as? String)?.contains("sort_key=name") == true)
            }
            try await client.execute(uri: "/v1/runbooks/CUSTOM_FIRMWARE", method: .patch, headers: headers("1.92"),
                                     body: body(#"[{"op": "replace", "path": "/steps/0/order", "value": 0}, {"op": "add", "path": "/extra/b", "value": 2}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect(((document["steps"] as? [[String: Any]])?.first?["order"] as? Int) == 0)
                #expect((document["extra"] as? [String: Any])?["b"] as? Int == 2 && document["updated_at"] is String)
            }
            try await client.execute(uri: "/v1/runbooks/\(runbook)", method: .delete, headers: headers("1.92")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/runbooks/\(runbook)", method: .get, headers: headers("1.92")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("errors: 400 bad runbooks, 409 duplicate name, 404 unknown, 404/405 below 1.92, 406 for a newer field")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for json in [#"{"name": "lower", "steps": [\#(Self.raid)]}"#, #"{"name": "CUSTOM_X", "steps": []}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid), \#(Self.raid)]}"#, #"{"steps": [\#(Self.raid)]}"#,
                         #"{"name": "CUSTOM_X", "steps": [{"interface": "boot", "step": "x", "args": {}, "order": 1}]}"#,
                         #"{"name": "CUSTOM_X", "steps": [{"interface": "raid", "step": "x", "args": {}}]}"#,
                         #"{"name": "CUSTOM_X", "steps": [{"interface": "raid", "step": "x", "args": {}, "order": -1}]}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid)], "public": true, "owner": "p1"}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid)], "public": "yes"}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid)], "description": "only from 1.112"}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid)], "bogus": 1}"#, "[]"] {
                try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers("1.92"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                    #expect(fault(response)?["faultcode"] as? String == "Client")
                }
            }
            let create = body(#"{"name": "CUSTOM_X", "steps": [\#(Self.raid)]}"#)
            try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers("1.92"), body: create) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers("1.92"), body: create) { response in
                #expect(response.status == .conflict && faultString(response) == "A runbook with name CUSTOM_X already exists.")
            }
            try await client.execute(uri: "/v1/runbooks/CUSTOM_X", method: .patch, headers: headers("1.92"),
                                     body: body(#"[{"op": "remove", "path": "/steps/0"}]"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/runbooks/CUSTOM_X", method: .patch, headers: headers("1.92"),
                                     body: body(#"[{"op": "replace", "path": "/uuid", "value": "x"}]"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/runbooks/CUSTOM_NONE", method: .get, headers: headers("1.92")) { response in
                #expect(response.status == .notFound && faultString(response) == "Runbook CUSTOM_NONE could not be found.")
            }
            try await client.execute(uri: "/v1/runbooks?fields=description", method: .get, headers: headers("1.92")) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/runbooks?bogus=1", method: .get, headers: headers("1.92")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/runbooks", method: .get, headers: headers("1.91")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers("1.91"), body: create) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.92")) { response in
                #expect(jsonObject(response.body)?["runbooks"] != nil && jsonObject(response.body)?["inspection_rules"] == nil)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.91")) { response in
                #expect(jsonObject(response.body)?["runbooks"] == nil)
            }
        }
    }

    @Test("1.112: description, traits and any logical name; /traits adds, replaces and removes them")
    func traits() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let created = try await Self.create(client, #"{"name": "firmware-2026.1", "description": "BIOS then RAID", "steps": [\#(Self.raid)]}"#,
                                                version: "1.112")
            #expect(created["description"] as? String == "BIOS then RAID" && (created["traits"] as? [String]) == [])
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits/CUSTOM_RACK_A", method: .put, headers: headers("1.112")) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits", method: .put, headers: headers("1.112"),
                                     body: body(#"{"traits": ["CUSTOM_B", "CUSTOM_A"]}"#)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits/CUSTOM_B", method: .delete, headers: headers("1.112")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits", method: .get, headers: headers("1.112")) { response in
                #expect(jsonObject(response.body)?["traits"] as? [String] == ["CUSTOM_A"])
            }
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits", method: .put, headers: headers("1.112"),
                                     body: body(#"{"traits": ["lower"]}"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/runbooks/firmware-2026.1/traits", method: .get, headers: headers("1.111")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/runbooks", method: .post, headers: headers("1.111"),
                                     body: body(#"{"name": "not-a-trait", "steps": [\#(Self.raid)]}"#)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("PUT states/provision with a runbook: cleaning with its steps, 400 without the node's trait, 404 for none, 406 below 1.92")
    func provisionWithRunbook() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            try await Self.create(client, #"{"name": "CUSTOM_FIRMWARE", "steps": [\#(Self.raid), \#(Self.bios)]}"#)
            let node = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.92"),
                                     body: body(#"{"target": "manage"}"#)) { response in #expect(response.status == .accepted) }
            try await conductor.settle()
            let clean = body(#"{"target": "clean", "runbook": "CUSTOM_FIRMWARE"}"#)
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.92"), body: clean) { response in
                #expect(response.status == .badRequest)
                #expect(faultString(response).contains("This runbook has not been approved for use on this node"))
            }
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.92"),
                                     body: body(#"{"target": "clean", "runbook": "CUSTOM_NONE"}"#)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.91"), body: clean) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/traits/CUSTOM_FIRMWARE", method: .put, headers: headers("1.92")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.92"),
                                     body: body(#"{"target": "clean", "runbook": "CUSTOM_FIRMWARE", "clean_steps": []}"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.92"), body: clean) { response in
                #expect(response.status == .accepted, "\(faultString(response))")
            }
            try await conductor.settle()
            try await client.execute(uri: "/v1/nodes/\(node)", method: .get, headers: headers("1.92")) { response in
                #expect(jsonObject(response.body)?["provision_state"] as? String == "manageable")
                #expect(jsonObject(response.body)?["last_error"] is NSNull)
            }
        }
    }
}
