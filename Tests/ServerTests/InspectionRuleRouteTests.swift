import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Inspection rules: /v1/inspection_rules")
struct InspectionRuleRouteTests {
    static let rule = #"{"description": "x86", "priority": 20, "conditions": [{"op": "eq", "args": ["{inventory[cpu][architecture]}", "x86_64"]}], "actions": [{"op": "add-trait", "args": {"name": "CUSTOM_X86"}}]}"#

    @discardableResult
    static func create(_ client: any TestClientProtocol, _ json: String) async throws -> [String: Any] {
        try await client.execute(uri: "/v1/inspection_rules", method: .post, headers: headers("1.96"), body: body(json)) { response in
            #expect(response.status == .created, "\(json): \(faultString(response))")
            #expect(response.headers[.location]?.hasPrefix("http://localhost/v1/inspection_rules/") == true)
            return try #require(jsonObject(response.body))
        }
    }

    @Test("create, show, list (default fields, detail, fields, phase, paging), patch, delete")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let created = try await Self.create(client, Self.rule)
            let rule = try uuid(created)
            #expect(created["phase"] as? String == "main" && created["priority"] as? Int == 20 && created["sensitive"] as? Bool == false)
            #expect((created["actions"] as? [[String: Any]])?.first?["loop"] as? [Any] != nil)
            try await Self.create(client, #"{"priority": 5, "actions": [{"op": "set-attribute", "args": {"path": "/extra/x", "value": 1}}]}"#)
            try await client.execute(uri: "/v1/inspection_rules/\(rule)?fields=uuid,conditions", method: .get, headers: headers("1.96")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(Set(document.keys) == ["uuid", "conditions", "links"])
            }
            try await client.execute(uri: "/v1/inspection_rules", method: .get, headers: headers("1.96")) { response in
                let list = try #require(jsonObject(response.body)?["inspection_rules"] as? [[String: Any]])
                #expect(list.count == 2 && Set(list[0].keys) == ["uuid", "priority", "phase", "description", "links"])
            }
            try await client.execute(uri: "/v1/inspection_rules?phase=main&detail=True&sort_key=priority&sort_dir=desc&limit=1", method: .get,
                                     headers: headers("1.96")) { response in
                let document = try #require(jsonObject(response.body))
                let list = try #require(document["inspection_rules"] as? [[String: Any]])
                #expect(list.count == 1 && list[0]["priority"] as? Int == 20 && list[0]["actions"] != nil)
                #expect(document["next"] is String)
            }
            try await client.execute(uri: "/v1/inspection_rules?phase=other", method: .get, headers: headers("1.96")) { response in
                #expect((jsonObject(response.body)?["inspection_rules"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .patch, headers: headers("1.96"),
                                     body: body(#"[{"op": "replace", "path": "/priority", "value": 30}, {"op": "replace", "path": "/sensitive", "value": true}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect(document["priority"] as? Int == 30 && document["sensitive"] as? Bool == true)
                #expect(document["conditions"] is NSNull && document["actions"] is NSNull, "a sensitive rule hides its conditions and actions")
            }
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .patch, headers: headers("1.96"),
                                     body: body(#"[{"op": "replace", "path": "/sensitive", "value": false}]"#)) { response in
                #expect(response.status == .badRequest && faultString(response) == "Inspection rules cannot have the sensitive flag unset.")
            }
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .delete, headers: headers("1.96")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .get, headers: headers("1.96")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("errors: 400 unknown operators and actions, bad arguments and fields; 404 unknown; 404/405 below 1.96")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let action = #"{"op": "add-trait", "args": {"name": "CUSTOM_A"}}"#
            for json in [#"{"actions": []}"#, #"{}"#, #"{"actions": [{"op": "bogus", "args": {}}]}"#,
                         #"{"actions": [\#(action)], "conditions": [{"op": "bogus", "args": {}}]}"#,
                         #"{"actions": [{"op": "add-trait", "args": {}}]}"#, #"{"actions": [{"op": "add-trait", "args": {"name": "A", "x": 1}}]}"#,
                         #"{"actions": [{"op": "add-trait", "args": "CUSTOM_A"}]}"#, #"{"actions": [{"op": "add-trait"}]}"#,
                         #"{"actions": [\#(action)], "conditions": [{"op": "eq", "args": {"values": [1, 1]}, "multiple": "some"}]}"#,
                         #"{"actions": [\#(action)], "phase": "early"}"#, #"{"actions": [\#(action)], "priority": 10000}"#,
                         #"{"actions": [\#(action)], "priority": -1}"#, #"{"actions": [\#(action)], "sensitive": "yes"}"#,
                         #"{"actions": [\#(action)], "scope": "x"}"#, #"{"actions": [\#(action)], "description": 1}"#] {
                try await client.execute(uri: "/v1/inspection_rules", method: .post, headers: headers("1.96"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                    #expect(fault(response)?["faultcode"] as? String == "Client")
                }
            }
            let rule = try uuid(try await Self.create(client, #"{"actions": [\#(action)]}"#))
            try await client.execute(uri: "/v1/inspection_rules", method: .post, headers: headers("1.96"),
                                     body: body(#"{"uuid": "\#(rule)", "actions": [\#(action)]}"#)) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .patch, headers: headers("1.96"),
                                     body: body(#"[{"op": "add", "path": "/actions/-", "value": {"op": "nope", "args": []}}]"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/inspection_rules/\(UUID().uuidString.lowercased())", method: .get, headers: headers("1.96")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/inspection_rules/not-a-uuid", method: .get, headers: headers("1.96")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/inspection_rules", method: .get, headers: headers("1.95")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/inspection_rules", method: .post, headers: headers("1.95"), body: body(#"{"actions": [\#(action)]}"#)) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1/inspection_rules?fields=bogus", method: .get, headers: headers("1.96")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.96")) { response in
                #expect(jsonObject(response.body)?["inspection_rules"] != nil)
            }
        }
    }

    @Test("history: a rule's own stream in /v1/events, and the node's history names the rule that changed it, caused by the inspection")
    func history() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let rule = try uuid(try await Self.create(client, Self.rule))
            try await client.execute(uri: "/v1/inspection_rules/\(rule)", method: .patch, headers: headers("1.96"),
                                     body: body(#"[{"op": "replace", "path": "/priority", "value": 1}]"#)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/events?stream=inspection-rule/\(rule)", method: .get, headers: headers("1.96")) { response in
                let events = try #require(jsonObject(response.body)?["events"] as? [[String: Any]])
                #expect(events.map { $0["type"] as? String } == ["InspectionRuleCreated", "InspectionRuleUpdated"])
            }
            let node = try uuid(try await createNode(client))
            for target in ["manage", "inspect"] {
                try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.96"),
                                         body: body(#"{"target": "\#(target)"}"#)) { response in #expect(response.status == .accepted) }
                try await conductor.settle()
            }
            try await client.execute(uri: "/v1/nodes/\(node)/history?detail=True", method: .get, headers: headers("1.96")) { response in
                let records = try #require(jsonObject(response.body)?["history"] as? [[String: Any]])
                let inspection = try #require(records.first { $0["type"] as? String == "InspectionRecorded" })
                let applied = records.filter { $0["user"] as? String == "inspection-rule/\(rule)" }
                #expect(applied.map { $0["type"] as? String } == ["TraitsSet"])
                #expect(applied.first?["causation_id"] as? String == inspection["uuid"] as? String)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/traits", method: .get, headers: headers("1.96")) { response in
                #expect(jsonObject(response.body)?["traits"] as? [String] == ["CUSTOM_X86"])
            }
        }
    }
}
