import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing

@testable import Server

@Suite("Ironlog extensions: the event log and node history")
struct EventLogTests {
    /// The `events` of a `/v1/events` page.
    static func events(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(jsonObject(response.body)?["events"] as? [[String: Any]])
    }

    @Test("/v1/events pages the log by position, with a next link, filters by stream and type, and keeps secrets sealed")
    func eventLog() async throws {
        try await withAPI { client, conductor in
            let first = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "driver_info": {"ipmi_password": "s3cret"}}"#))
            try await createNode(client)
            try await createNode(client)
            let head = try conductor.store.currentHead().position
            let next = try await client.execute(uri: "/v1/events?limit=2", method: .get, headers: headers(user: "alice")) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("s3cret"))
                let page = try Self.events(response)
                #expect(page.count == 2)
                #expect(page.map { $0["position"] as? Int } == [1, 2])
                let event = try #require(page.first)
                #expect(event["type"] as? String == "NodeEnrolled")
                #expect(event["stream"] as? String == NodeStream.id(try #require(UUID(uuidString: first))))
                #expect(event["stream_version"] as? Int == 1)
                #expect(UUID(uuidString: event["event_id"] as? String ?? "") != nil)
                #expect((event["recorded_at"] as? String)?.hasSuffix("+00:00") == true)
                #expect(event["actor"] as? String == Caller.anonymous)
                #expect(isOpenStackRequestID(event["request_id"] as? String))
                #expect(event.keys.contains("project") && event.keys.contains("correlation_id") && event.keys.contains("causation_id"))
                let payload = try #require(event["payload"] as? [String: Any])
                #expect(payload["enrolled"] != nil, "\(payload)")
                return try #require(jsonObject(response.body)?["next"] as? String)
            }
            #expect(next == "http://localhost/v1/events?after=2&limit=2")
            try await client.execute(uri: "/v1/events?after=2&limit=1000", method: .get) { response in
                let page = try Self.events(response)
                #expect(page.first?["position"] as? Int == 3)
                #expect(page.last?["position"] as? Int == Int(head))
                #expect(jsonObject(response.body)?["next"] == nil)
            }
            try await client.execute(uri: "/v1/events?type=NodeEnrolled", method: .get) { response in
                let page = try Self.events(response)
                #expect(page.count == 3 && page.allSatisfy { $0["type"] as? String == "NodeEnrolled" })
            }
            try await client.execute(uri: "/v1/events?type=NodeEnrolled&after=1&limit=1", method: .get) { response in
                let page = try Self.events(response)
                #expect(page.count == 1 && page.first?["type"] as? String == "NodeEnrolled")
                #expect((page.first?["position"] as? Int ?? 0) > 1)
                let next = jsonObject(response.body)?["next"] as? String
                #expect(next?.hasSuffix("&limit=1&type=NodeEnrolled") == true)
            }
            let stream = NodeStream.id(try #require(UUID(uuidString: first)))
            try await client.execute(uri: "/v1/events?stream=\(stream)&limit=1", method: .get) { response in
                let page = try Self.events(response)
                #expect(page.count == 1 && page.first?["stream"] as? String == stream)
            }
            try await client.execute(uri: "/v1/events?after=\(head)", method: .get) { response in
                let page = try Self.events(response)
                #expect(page.isEmpty)
            }
        }
    }

    @Test("/v1/events refuses bad parameters with 400 and Ironic's error body", arguments: [
        "limit=0", "limit=1001", "limit=x", "after=-1", "after=x", "stream=", "type=", "colour=blue",
        "stream=node%2Fa%00b", "stream=\(String(repeating: "s", count: 401))",
    ])
    func eventLogErrors(query: String) async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/events?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(fault(response)?["faultcode"] as? String == "Client")
                #expect(!faultString(response).isEmpty)
            }
        }
    }

    @Test("/v1/nodes/{id}/history: every event of the node, at every version, paged by marker, one record by id")
    func history() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "name": "h1"}"#))
            try await createNode(client)
            try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.11", user: "bob"),
                                     body: body(#"[{"op": "add", "path": "/extra/a", "value": "b"}]"#)) { response in
                #expect(response.status == .ok)
            }
            let stream = try conductor.store.events(ofStream: NodeStream.id(try #require(UUID(uuidString: id))))
            let records = try await client.execute(uri: "/v1/nodes/\(id)/history", method: .get, headers: headers("1.1")) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                return try #require(jsonObject(response.body)?["history"] as? [[String: Any]])
            }
            #expect(records.count == stream.count)
            #expect(records.map { $0["event_id"] as? String } == stream.map { $0.eventID.uuidString.lowercased() })
            let first = try #require(records.first)
            #expect(first["type"] as? String == "NodeEnrolled" && first["severity"] as? String == "INFO")
            #expect(first["event_type"] as? String == "update" && first["event"] as? String == "NodeEnrolled")
            #expect(first["position"] as? Int == Int(stream[0].position))
            #expect(first["created_at"] is String && first["request_id"] is String)
            #expect(records.last?["user"] as? String == "bob")
            #expect(first["payload"] == nil)

            try await client.execute(uri: "/v1/nodes/h1/history?limit=1", method: .get, headers: headers("1.5")) { response in
                let page = try #require(jsonObject(response.body)?["history"] as? [[String: Any]])
                #expect(page.count == 1)
                let next = try #require(jsonObject(response.body)?["next"] as? String)
                #expect(next == "http://localhost/v1/nodes/\(id)/history?limit=1&marker=\(first["event_id"] as! String)")
            }
            try await client.execute(uri: "/v1/nodes/\(id)/history?marker=\(first["event_id"] as! String)", method: .get) { response in
                let page = try #require(jsonObject(response.body)?["history"] as? [[String: Any]])
                #expect(page.count == stream.count - 1)
            }
            let last = try #require(records.last?["event_id"] as? String)
            try await client.execute(uri: "/v1/nodes/\(id)/history/\(last)", method: .get) { response in
                #expect(response.status == .ok)
                let record = try #require(jsonObject(response.body))
                #expect(record["event_id"] as? String == last && record["type"] as? String == "NodeUpdated")
                #expect(record["payload"] is [String: Any])
            }
            // A deleted node keeps its history.
            try await client.execute(uri: "/v1/nodes/\(id)", method: .delete) { response in #expect(response.status == .noContent) }
            try await client.execute(uri: "/v1/nodes/\(id)/history", method: .get) { response in
                let page = try #require(jsonObject(response.body)?["history"] as? [[String: Any]])
                #expect(page.count == stream.count + 1 && page.last?["type"] as? String == "NodeDeleted")
            }
        }
    }

    @Test("/v1/nodes/{id}/history: 404 for an unknown node or event, 400 for a bad marker or limit")
    func historyErrors() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client))
            let unknown = UUID().uuidString.lowercased()
            for (uri, status) in [
                ("/v1/nodes/\(unknown)/history", HTTPResponse.Status.notFound),
                ("/v1/nodes/\(unknown)/history/\(unknown)", .notFound),
                ("/v1/nodes/\(id)/history/\(unknown)", .notFound),
                ("/v1/nodes/\(id)/history/not-a-uuid", .notFound),
                ("/v1/nodes/\(id)/history?marker=\(unknown)", .badRequest),
                ("/v1/nodes/\(id)/history?marker=x", .badRequest),
                ("/v1/nodes/\(id)/history?limit=0", .badRequest),
                ("/v1/nodes/\(id)/history?colour=blue", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .get, headers: headers("1.11")) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(fault(response) != nil, "\(uri)")
                }
            }
        }
    }
}
