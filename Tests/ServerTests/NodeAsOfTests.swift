import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing

@testable import Server

@Suite("Ironlog extension: nodes as of a log position or a time")
struct NodeAsOfTests {
    @Test("?as_of= on a node and on the lists: the nodes as they stood then, rendered like the live ones")
    func asOf() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "name": "a1", "extra": {"k": "old"}}"#))
            let enrolled = try conductor.store.currentHead().position
            let enrolledAt = try #require(try conductor.store.event(at: enrolled)).recordedAtMicroseconds
            try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.11"),
                                     body: body(#"[{"op": "replace", "path": "/extra/k", "value": "new"}]"#)) { response in
                #expect(response.status == .ok)
            }
            let other = try uuid(try await createNode(client))
            let head = try conductor.store.currentHead().position

            try await client.execute(uri: "/v1/nodes/\(id)?as_of=\(enrolled)", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let node = try #require(jsonObject(response.body))
                #expect((node["extra"] as? [String: Any])?["k"] as? String == "old")
            }
            let time = Timestamp.string(enrolledAt).replacingOccurrences(of: "+", with: "%2B")
            try await client.execute(uri: "/v1/nodes/a1?as_of=\(time)", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                #expect((jsonObject(response.body)?["extra"] as? [String: Any])?["k"] as? String == "old")
            }
            let live = try await client.execute(uri: "/v1/nodes/\(id)", method: .get, headers: headers("1.39")) { response in
                try #require(jsonObject(response.body))
            }
            try await client.execute(uri: "/v1/nodes/\(id)?as_of=\(head)", method: .get, headers: headers("1.39")) { response in
                let then = try #require(jsonObject(response.body))
                #expect(NSDictionary(dictionary: then) == NSDictionary(dictionary: live), "\(then)\n\(live)")
            }
            try await client.execute(uri: "/v1/nodes?as_of=\(enrolled)", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(nodes.map { $0["uuid"] as? String } == [id])
            }
            try await client.execute(uri: "/v1/nodes/detail?as_of=\(head)", method: .get, headers: headers("1.11")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                #expect(Set(nodes.compactMap { $0["uuid"] as? String }) == [id, other])
                #expect(nodes.allSatisfy { $0["driver_info"] != nil })
            }
            try await client.execute(uri: "/v1/nodes?as_of=\(head)&limit=1", method: .get, headers: headers("1.11")) { response in
                let next = try #require(jsonObject(response.body)?["next"] as? String)
                #expect(next.contains("as_of=\(head)"))
            }
            // A deleted node is still there as of before its deletion.
            try await client.execute(uri: "/v1/nodes/\(id)", method: .delete) { response in #expect(response.status == .noContent) }
            try await client.execute(uri: "/v1/nodes/\(id)?as_of=\(head)", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/nodes/\(id)", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("?as_of=: 400 when it can not be parsed, 404 for a node that did not exist then")
    func asOfErrors() async throws {
        try await withAPI { client, conductor in
            let before = try conductor.store.currentHead().position
            let id = try uuid(try await createNode(client))
            for value in ["yesterday", "-1", "2026-13-01T00:00:00Z", "1.5", ""] {
                for uri in ["/v1/nodes/\(id)?as_of=\(value)", "/v1/nodes?as_of=\(value)"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .badRequest, "\(uri)")
                        #expect(fault(response)?["faultcode"] as? String == "Client", "\(uri)")
                    }
                }
            }
            try await client.execute(uri: "/v1/nodes/\(id)?as_of=\(before)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(id)?as_of=2001-01-01T00:00:00Z", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes?as_of=\(before)", method: .get) { response in
                #expect(response.status == .ok)
                #expect((jsonObject(response.body)?["nodes"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
