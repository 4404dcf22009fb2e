import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing

@testable import Server

@Suite("Node sub-resources: states, maintenance, management, validate, traits, VIFs, lists")
struct NodeSubResourceTests {
    @Test("the lifecycle through the API: manage, provide, active, power, deleted; events carry request id, actor, project")
    func lifecycle() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            func provision(_ target: String, version: String = "1.11") async throws {
                try await client.execute(uri: "/v1/nodes/\(id)/states/provision", method: .put,
                                         headers: headers(version, user: "alice", project: "p1"), body: body(#"{"target": "\#(target)"}"#)) { response in
                    #expect(response.status == .accepted, "\(target): \(faultString(response))")
                    #expect(response.headers[.location] == "http://localhost/v1/nodes/\(id)/states")
                    #expect(response.body.readableBytes == 0)
                }
                try await conductor.settle()
            }
            try await provision("manage")
            #expect(try projected(conductor, id).provisionState == .manageable)
            try await provision("provide")
            #expect(try projected(conductor, id).provisionState == .available)
            try await provision("active")
            #expect(try projected(conductor, id).provisionState == .active)
            try await client.execute(uri: "/v1/nodes/\(id)/states/power", method: .put, headers: headers("1.11"),
                                     body: body(#"{"target": "power off"}"#)) { response in
                #expect(response.status == .accepted)
            }
            try await conductor.settle()
            try await client.execute(uri: "/v1/nodes/\(id)/states", method: .get, headers: headers("1.11")) { response in
                let states = try #require(jsonObject(response.body))
                #expect(states["power_state"] as? String == "power off")
                #expect(states["provision_state"] as? String == "active")
                #expect(states["raid_config"] == nil, "raid_config arrives at 1.12")
            }
            try await provision("deleted")
            #expect(try projected(conductor, id).provisionState == .available)
            try await client.execute(uri: "/v1/nodes/\(id)", method: .get) { response in
                let node = try #require(jsonObject(response.body))
                #expect(node["provision_state"] is NSNull, "before 1.2 available shows as None")
            }

            let uuid = try #require(UUID(uuidString: id))
            let events = try conductor.store.events(ofStream: NodeStream.id(uuid))
            let requested = events.filter { $0.metadata.requestID != nil }
            #expect(requested.count >= 5)
            #expect(requested.allSatisfy { $0.metadata.requestID!.hasPrefix("req-") })
            let verbs = requested.filter { $0.metadata.actor == "alice" }
            #expect(verbs.count >= 4 && verbs.allSatisfy { $0.metadata.project == "p1" })
            #expect(events.first?.metadata.actor == Caller.anonymous)
        }
    }

    @Test("provision refusals: verbs gated (406), unknown targets and misplaced arguments (400), wrong state (400)")
    func provisionRefusals() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("1.1", #"{"target": "manage"}"#, .notAcceptable),
                ("1.72", #"{"target": "deploy"}"#, .notAcceptable),
                ("1.37", #"{"target": "rescue", "rescue_password": "x"}"#, .notAcceptable),
                ("1.11", #"{"target": "done"}"#, .badRequest),
                ("1.11", #"{}"#, .badRequest),
                ("1.11", #"{"target": "manage", "colour": 1}"#, .badRequest),
                ("1.11", #"{"target": "manage", "configdrive": "abc"}"#, .badRequest),
                ("1.20", #"{"target": "clean"}"#, .badRequest),
                ("1.11", #"{"target": "active"}"#, .badRequest),
                ("1.11", #"{"target": "clean", "clean_steps": []}"#, .notAcceptable),
            ]
            let head = try conductor.store.currentHead().position
            for (version, json, status) in cases {
                try await client.execute(uri: "/v1/nodes/\(id)/states/provision", method: .put, headers: headers(version), body: body(json)) { response in
                    #expect(response.status == status, "\(version) \(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == head)
        }
    }

    @Test("power: soft targets and timeout need 1.27 (406); bad targets and timeouts are 400")
    func power() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("1.26", #"{"target": "soft power off"}"#, .notAcceptable),
                ("1.26", #"{"target": "power on", "timeout": 10}"#, .notAcceptable),
                ("1.27", #"{"target": "power on", "timeout": 0}"#, .badRequest),
                ("1.27", #"{"target": "power on", "timeout": "ten"}"#, .badRequest),
                ("1.27", #"{"target": "sideways"}"#, .badRequest),
                ("1.27", #"{"target": "power on", "timeout": 10}"#, .accepted),
            ]
            for (version, json, status) in cases {
                try await client.execute(uri: "/v1/nodes/\(id)/states/power", method: .put, headers: headers(version), body: body(json)) { response in
                    #expect(response.status == status, "\(version) \(json): \(faultString(response))")
                }
            }
            try await conductor.settle()
            #expect(try projected(conductor, id).powerState == .on)
        }
    }

    @Test("maintenance: PUT with a reason, DELETE clears it (202)")
    func maintenance() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/maintenance", method: .put, headers: headers("1.11"),
                                     body: body(#"{"reason": "disk swap"}"#)) { response in
                #expect(response.status == .accepted)
            }
            #expect(try projected(conductor, id).maintenance)
            #expect(try projected(conductor, id).maintenanceReason == "disk swap")
            try await client.execute(uri: "/v1/nodes/\(id)/maintenance", method: .delete) { response in
                #expect(response.status == .accepted)
            }
            #expect(try !projected(conductor, id).maintenance)
            try await client.execute(uri: "/v1/nodes/\(id)/maintenance", method: .put, headers: headers("1.11"),
                                     body: body(#"{"reason": 5}"#)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("boot device: set (204), read back, supported list; an unsupported device is 400")
    func bootDevice() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/management/boot_device", method: .put, headers: headers("1.11"),
                                     body: body(#"{"boot_device": "pxe", "persistent": true}"#)) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(id)/management/boot_device", method: .get) { response in
                let document = try #require(jsonObject(response.body))
                #expect(document["boot_device"] as? String == "pxe")
                #expect(Set(document.keys) == ["boot_device", "persistent"])
            }
            try await client.execute(uri: "/v1/nodes/\(id)/management/boot_device/supported", method: .get) { response in
                let document = try #require(jsonObject(response.body))
                #expect(document["supported_boot_devices"] as? [String] == ["pxe", "disk"])
            }
            for json in [#"{"boot_device": "cdrom"}"#, #"{"boot_device": "floppy-disk"}"#, #"{}"#] {
                try await client.execute(uri: "/v1/nodes/\(id)/management/boot_device", method: .put, headers: headers("1.11"),
                                         body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json)")
                }
            }
        }
    }

    @Test("validate reports every interface but vendor")
    func validate() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/validate", method: .get) { response in
                let document = try #require(jsonObject(response.body))
                #expect(Set(document.keys) == ["bios", "boot", "console", "deploy", "firmware", "inspect", "management", "network",
                                               "power", "raid", "rescue", "storage"])
                let power = try #require(document["power"] as? [String: Any])
                #expect(power["result"] as? Bool == true)
            }
        }
    }

    @Test("traits: 404 before 1.37; replace, add, list, remove one (404 if absent), remove all")
    func traits() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .get, headers: headers("1.36")) { response in
                #expect(response.status == .notFound)
            }
            let v = headers("1.37")
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .put, headers: v,
                                     body: body(#"{"traits": ["CUSTOM_A", "HW_CPU_X86_VMX"]}"#)) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/CUSTOM_B", method: .put, headers: v) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .get, headers: v) { response in
                #expect(jsonObject(response.body)?["traits"] as? [String] == ["CUSTOM_A", "CUSTOM_B", "HW_CPU_X86_VMX"])
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/CUSTOM_A", method: .delete, headers: v) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/CUSTOM_A", method: .delete, headers: v) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/not_a_trait", method: .put, headers: v) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .delete, headers: v) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .get, headers: v) { response in
                #expect(jsonObject(response.body)?["traits"] as? [String] == [])
            }
        }
    }

    @Test("traits: at most 50 a node; a 51st, by replacing or adding, is 400 and stores nothing")
    func traitLimit() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            let v = headers("1.37")
            let fifty = (1...50).map { #""CUSTOM_T\#($0)""# }.joined(separator: ", ")
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .put, headers: v, body: body(#"{"traits": [\#(fifty)]}"#)) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            let head = try conductor.store.currentHead().position
            try await client.execute(uri: "/v1/nodes/\(id)/traits", method: .put, headers: v,
                                     body: body(#"{"traits": [\#(fifty), "CUSTOM_T51"]}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(faultString(response).contains("maximum number of traits per node (51 vs. 50)"), "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/CUSTOM_T51", method: .put, headers: v) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/traits/CUSTOM_T50", method: .put, headers: v) { response in
                #expect(response.status == .noContent, "adding a trait the node has is not a 51st")
            }
            #expect(try conductor.store.currentHead().position == head)
        }
    }

    @Test("VIFs: 404 before 1.28; empty list; attach with no free port is 400; detach of an unknown VIF is 400")
    func vifs() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/vifs", method: .get, headers: headers("1.27")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/vifs", method: .get, headers: headers("1.28")) { response in
                #expect(jsonObject(response.body)?["vifs"] as? [Any] != nil)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/vifs", method: .post, headers: headers("1.28"), body: body(#"{"id": "vif-1"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(faultString(response).contains("not enough free physical ports"))
            }
            try await client.execute(uri: "/v1/nodes/\(id)/vifs", method: .post, headers: headers("1.28"),
                                     body: body(#"{"id": "vif-1", "port_uuid": "\#(UUID().uuidString)"}"#)) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/vifs/vif-1", method: .delete, headers: headers("1.28")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("lists: default fields, detail, filters, fields, pagination with next, and their refusals")
    func lists() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            var ids: [String] = []
            for index in 0..<3 {
                ids.append(try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "name": "n\#(index)"}"#)))
            }
            try await client.execute(uri: "/v1/nodes/\(ids[1])/maintenance", method: .put, headers: headers("1.11")) { _ in }
            try await client.execute(uri: "/v1/nodes", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.map { $0["uuid"] as? String } == ids, "creation order")
                #expect(Set(nodes[0].keys) == ["uuid", "name", "instance_uuid", "power_state", "provision_state", "maintenance", "links"])
                #expect(jsonObject(response.body)?["next"] == nil)
            }
            try await client.execute(uri: "/v1/nodes/detail?maintenance=true", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.map { $0["uuid"] as? String } == [ids[1]])
                #expect(nodes.first?["driver_info"] != nil)
            }
            try await client.execute(uri: "/v1/nodes?limit=2&sort_key=name&sort_dir=desc", method: .get, headers: headers("1.11")) { response in
                let document = try #require(jsonObject(response.body))
                let nodes = try #require(document["nodes"] as? [[String: Any]])
                #expect(nodes.map { $0["name"] as? String } == ["n2", "n1"])
                #expect(document["next"] as? String == "http://localhost/v1/nodes?sort_key=name&sort_dir=desc&limit=2&marker=\(ids[1])")
            }
            try await client.execute(uri: "/v1/nodes?limit=2&sort_key=name&sort_dir=desc&marker=\(ids[1])", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.map { $0["name"] as? String } == ["n0"])
            }
            try await client.execute(uri: "/v1/nodes?detail=True", method: .get, headers: headers("1.43")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.first?["driver"] != nil)
            }
            try await client.execute(uri: "/v1/nodes?fields=uuid,driver&provision_state=enroll", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.count == 3 && Set(nodes[0].keys) == ["uuid", "driver", "links"])
            }
            let refusals: [(String, String, HTTPResponse.Status)] = [
                ("1.11", "limit=0", .badRequest), ("1.11", "sort_dir=up", .badRequest), ("1.11", "sort_key=driver_info", .badRequest),
                ("1.11", "provision_state=flying", .badRequest), ("1.8", "provision_state=enroll", .notAcceptable),
                ("1.11", "driver=fake-hardware", .notAcceptable), ("1.11", "detail=True", .notAcceptable),
                ("1.43", "detail=True&fields=uuid", .badRequest), ("1.11", "colour=blue", .badRequest),
                ("1.11", "marker=\(UUID().uuidString)", .notFound), ("1.11", "maintenance=perhaps", .badRequest),
            ]
            for (version, query, status) in refusals {
                try await client.execute(uri: "/v1/nodes?\(query)", method: .get, headers: headers(version)) { response in
                    #expect(response.status == status, "\(version) \(query): \(faultString(response))")
                }
            }
            try await client.execute(uri: "/v1/nodes?driver=fake-hardware&limit=5000", method: .get, headers: headers("1.16")) { response in
                #expect((jsonObject(response.body)?["nodes"] as? [Any])?.count == 3)
            }
        }
    }
}
