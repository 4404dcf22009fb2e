import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing

@testable import Server

@Suite("Ironlog extension: the log as server-sent events")
struct EventStreamTests {
    /// The `(id, event, data)` of each message of a `text/event-stream` body.
    static func messages(_ body: ByteBuffer) -> [(id: String, event: String, data: [String: Any])] {
        String(buffer: body).components(separatedBy: "\n\n").filter { !$0.isEmpty }.compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            guard let id = fields["id"], let event = fields["event"], let data = fields["data"].flatMap(jsonObject) else { return nil }
            return (id, event, data)
        }
    }

    @Test("catch-up from Last-Event-ID or ?after=, then live events as they are appended")
    func stream() async throws {
        try await withAPI { client, conductor in
            let first = try uuid(try await createNode(client))
            try await createNode(client)
            let head = try conductor.store.currentHead().position
            try await client.execute(uri: "/v1/events/stream?limit=2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let messages = Self.messages(response.body)
                #expect(messages.map(\.id) == ["1", "2"])
                #expect(messages.first?.event == "NodeEnrolled")
                #expect(messages.first?.data["position"] as? Int == 1 && messages.first?.data["type"] as? String == "NodeEnrolled")
                #expect(messages.first?.data["payload"] is [String: Any] && messages.first?.data["stream_version"] as? Int == 1)
            }
            var resume = headers()
            resume[EventStreamRoutes.lastEventID] = "1"
            try await client.execute(uri: "/v1/events/stream?limit=1&after=5", method: .get, headers: resume) { response in
                #expect(Self.messages(response.body).map(\.id) == ["2"], "Last-Event-ID wins over after")
            }
            // Live: connected after the head, the response waits for the next append.
            async let live: [String] = client.execute(uri: "/v1/events/stream?after=\(head)&limit=1&type=NodeUpdated", method: .get) { response in
                Self.messages(response.body).map(\.event)
            }
            try await Task.sleep(for: .milliseconds(300))
            try await client.execute(uri: "/v1/nodes/\(first)", method: .patch, headers: headers("1.11"),
                                     body: body(#"[{"op": "add", "path": "/extra/live", "value": "yes"}]"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await live == ["NodeUpdated"])
        }
    }

    @Test("bad parameters are 400 with Ironic's error body", arguments: ["after=x", "limit=0", "stream=", "colour=blue"])
    func streamErrors(query: String) async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/events/stream?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(fault(response)?["faultcode"] as? String == "Client")
            }
            var bad = headers()
            bad[EventStreamRoutes.lastEventID] = "nope"
            try await client.execute(uri: "/v1/events/stream", method: .get, headers: bad) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
