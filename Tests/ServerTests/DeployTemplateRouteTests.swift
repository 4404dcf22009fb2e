import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Deploy templates: /v1/deploy_templates")
struct DeployTemplateRouteTests {
    static let raid = #"{"interface": "raid", "step": "create_configuration", "args": {"logical_disks": []}, "priority": 10}"#

    @Test("create, show by UUID and name, list (default fields, detail, paging), patch a step, delete")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let template = try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"),
                                                    body: body(#"{"name": "CUSTOM_RAID1", "steps": [\#(Self.raid)], "extra": {"a": 1}}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect((document["steps"] as? [[String: Any]])?.first?["priority"] as? Int == 10)
                #expect(response.headers[.location] == "http://localhost/v1/deploy_templates/\(try uuid(document))")
                return try uuid(document)
            }
            for ident in [template, "CUSTOM_RAID1"] {
                try await client.execute(uri: "/v1/deploy_templates/\(ident)", method: .get, headers: headers("1.55")) { response in
                    #expect(jsonObject(response.body)?["name"] as? String == "CUSTOM_RAID1")
                }
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"),
                                     body: body(#"{"name": "CUSTOM_OTHER", "steps": [\#(Self.raid)]}"#)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .get, headers: headers("1.55")) { response in
                let list = try #require(jsonObject(response.body)?["deploy_templates"] as? [[String: Any]])
                #expect(list.count == 2 && Set(list[0].keys) == ["uuid", "name", "links"])
            }
            try await client.execute(uri: "/v1/deploy_templates?detail=True&limit=1&sort_key=name", method: .get, headers: headers("1.55")) { response in
                let document = try #require(jsonObject(response.body))
                let list = try #require(document["deploy_templates"] as? [[String: Any]])
                #expect(list.count == 1 && list[0]["name"] as? String == "CUSTOM_OTHER" && list[0]["steps"] != nil)
                #expect((document["next"] as? String)?.contains("sort_key=name") == true)
            }
            try await client.execute(uri: "/v1/deploy_templates/CUSTOM_RAID1", method: .patch, headers: headers("1.55"),
                                     body: body(#"[{"op": "replace", "path": "/steps/0/priority", "value": 5}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                #expect(((jsonObject(response.body)?["steps"] as? [[String: Any]])?.first?["priority"] as? Int) == 5)
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"), body: body(
                #"{"name": "CUSTOM_BIOS", "steps": [{"interface": "bios", "step": "apply_configuration", "priority": 5, "args": {"settings": [{"name": "x", "admin_password": "hunter2"}]}}]}"#
            )) { response in
                let steps = try #require(jsonObject(response.body)?["steps"] as? [[String: Any]])
                let settings = try #require((steps.first?["args"] as? [String: Any])?["settings"] as? [[String: Any]])
                #expect(settings.first?["admin_password"] as? String == "******" && settings.first?["name"] as? String == "x")
            }
            try await client.execute(uri: "/v1/deploy_templates/\(template)", method: .delete, headers: headers("1.55")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/deploy_templates/\(template)", method: .get, headers: headers("1.55")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("errors: 400 bad templates, 409 duplicate name, 404 unknown, 404/405 below 1.55")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for json in [#"{"name": "lower", "steps": [\#(Self.raid)]}"#, #"{"name": "CUSTOM_X", "steps": []}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid), \#(Self.raid)]}"#, #"{"steps": [\#(Self.raid)]}"#,
                         #"{"name": "CUSTOM_X", "steps": [{"interface": "boot", "step": "x", "args": {}, "priority": 1}]}"#,
                         #"{"name": "CUSTOM_X", "steps": [\#(Self.raid)], "bogus": 1}"#] {
                try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                }
            }
            let create = body(#"{"name": "CUSTOM_X", "steps": [\#(Self.raid)]}"#)
            try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"), body: create) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.55"), body: create) { response in
                #expect(response.status == .conflict && faultString(response) == "A deploy template with name CUSTOM_X already exists.")
            }
            try await client.execute(uri: "/v1/deploy_templates/CUSTOM_X", method: .patch, headers: headers("1.55"),
                                     body: body(#"[{"op": "remove", "path": "/steps/0"}]"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/deploy_templates/CUSTOM_NONE", method: .get, headers: headers("1.55")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .get, headers: headers("1.54")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/deploy_templates", method: .post, headers: headers("1.54"), body: create) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.55")) { response in
                #expect(jsonObject(response.body)?["deploy_templates"] != nil)
            }
        }
    }
}
