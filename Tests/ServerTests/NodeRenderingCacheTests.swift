import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Node rendering: stored document text and the decoded fleet follow every change")
struct NodeRenderingCacheTests {
    @Test("the stored text is the rendered document; a new node version or another variant renders afresh; a full cache starts over")
    func documentCache() throws {
        let cache = NodeDocumentCache(capacity: 2)
        var aggregate = NodeAggregate(node: Node(uuid: UUID(), driver: "fake-hardware"))
        aggregate.version = 1
        let variant = NodeDocumentCache.Variant(baseURL: "http://a", version: MicroVersion(50), fields: nil, subResources: true)
        var renders = 0
        let render: () -> JSONValue = { renders += 1; return .object(["n": .number(Double(renders)), "b": "x/y"]) }

        #expect(cache.text(of: aggregate, as: variant, render: render) == Array(#"{"b":"x/y","n":1}"#.utf8))
        #expect(cache.text(of: aggregate, as: variant, render: render) == Array(#"{"b":"x/y","n":1}"#.utf8))
        #expect(renders == 1)

        aggregate.version = 2
        #expect(cache.text(of: aggregate, as: variant, render: render) == Array(#"{"b":"x/y","n":2}"#.utf8))
        var other = variant
        other.fields = ["uuid"]
        _ = cache.text(of: aggregate, as: other, render: render)
        #expect(renders == 3)
        // Three keys in a cache of two: it started over, so the first version renders again.
        aggregate.version = 1
        _ = cache.text(of: aggregate, as: variant, render: render)
        #expect(renders == 4)
    }

    @Test("lists and shows reflect each change at once: patch, provision, delete, enroll")
    func listsFollowChanges() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let first = try uuid(try await createNode(client, version: "1.50", json: #"{"driver": "fake-hardware", "name": "a"}"#))
            let descriptions: () async throws -> [String: String] = {
                var seen: [String: String] = [:]
                try await client.execute(uri: "/v1/nodes/detail", method: .get, headers: headers("1.51")) { response in
                    let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                    for node in nodes { seen[try uuid(node)] = (node["description"] as? String) ?? "" }
                }
                return seen
            }
            #expect(try await descriptions() == [first: ""])

            let patch = #"[{"op": "add", "path": "/description", "value": "rack 12"}]"#
            try await client.execute(uri: "/v1/nodes/\(first)", method: .patch, headers: headers("1.51"), body: body(patch)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await descriptions() == [first: "rack 12"])
            try await client.execute(uri: "/v1/nodes/\(first)", method: .get, headers: headers("1.51")) { response in
                #expect(jsonObject(response.body)?["description"] as? String == "rack 12")
            }

            let second = try uuid(try await createNode(client, version: "1.50", json: #"{"driver": "fake-hardware", "name": "b"}"#))
            #expect(try await descriptions() == [first: "rack 12", second: ""])

            try await client.execute(uri: "/v1/nodes/\(first)/states/provision", method: .put, headers: headers("1.51"), body: body(#"{"target": "manage"}"#)) { response in
                #expect(response.status == .accepted)
            }
            try await conductor.settle()
            try await client.execute(uri: "/v1/nodes?fields=uuid,provision_state", method: .get, headers: headers("1.51")) { response in
                let nodes = try #require(jsonObject(response.body)?["nodes"] as? [[String: Any]])
                let states = Dictionary(uniqueKeysWithValues: try nodes.map { (try uuid($0), $0["provision_state"] as? String) })
                #expect(states == [first: "manageable", second: "enroll"])
            }

            try await client.execute(uri: "/v1/nodes/\(second)", method: .delete, headers: headers("1.51")) { response in
                #expect(response.status == .noContent)
            }
            #expect(try await descriptions() == [first: "rack 12"])
        }
    }

    @Test("a page's text is the page's JSON: every node document and the next link parse and match the single shows")
    func pageText() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for index in 0..<3 {
                _ = try await createNode(client, version: "1.50", json: #"{"driver": "fake-hardware", "name": "n\#(index)", "extra": {"quote": "a\"b\\c\n"}}"#)
            }
            var next: String?
            var listed: [[String: Any]] = []
            try await client.execute(uri: "/v1/nodes/detail?limit=2", method: .get, headers: headers("1.50")) { response in
                let page = try #require(jsonObject(response.body))
                next = page["next"] as? String
                listed = try #require(page["nodes"] as? [[String: Any]])
            }
            #expect(listed.count == 2)
            #expect(next?.hasPrefix("http://localhost/v1/nodes/detail?limit=2&marker=") == true)
            for node in listed {
                #expect((node["extra"] as? [String: String])?["quote"] == "a\"b\\c\n")
                try await client.execute(uri: "/v1/nodes/\(try uuid(node))", method: .get, headers: headers("1.50")) { response in
                    let shown = try #require(jsonObject(response.body))
                    let canonical: ([String: Any]) throws -> Data = { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
                    #expect(try canonical(shown) == canonical(node))
                }
            }
        }
    }
}
