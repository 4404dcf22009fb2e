import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Server

@Suite("GET / — Ironic's root version document")
struct RootDocumentTests {
    private let configuration = ServerConfiguration(host: "127.0.0.1", port: 6385)

    @Test("answers 200 with a JSON body and a request id")
    func status() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
                }
            }
        }
    }

    @Test("has exactly Ironic's shape, plus the ironlog section")
    func shape() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    let root = try #require(jsonObject(response.body))
                    #expect(Set(root.keys) == ["name", "description", "default_version", "versions", "ironlog"])
                    #expect(root["name"] as? String == "OpenStack Ironic API")
                    #expect(
                        root["description"] as? String
                            == "Ironic is an OpenStack project which enables the provision and management of baremetal machines."
                    )

                    let defaultVersion = try #require(root["default_version"] as? [String: Any])
                    #expect(Set(defaultVersion.keys) == ["id", "links", "status", "min_version", "version"])
                    #expect(defaultVersion["id"] as? String == "v1")
                    #expect(defaultVersion["status"] as? String == "CURRENT")
                    #expect(defaultVersion["min_version"] as? String == APIVersion.minimum)
                    #expect(defaultVersion["version"] as? String == APIVersion.maximum)
                    let links = try #require(defaultVersion["links"] as? [[String: Any]])
                    #expect(links.count == 1)
                    // The router test client sends the request with authority "localhost".
                    #expect(links.first?["href"] as? String == "http://localhost/v1/")
                    #expect(links.first?["rel"] as? String == "self")

                    let versions = try #require(root["versions"] as? [[String: Any]])
                    #expect(versions.count == 1)
                    #expect(NSDictionary(dictionary: versions[0]).isEqual(to: defaultVersion))

                    let ironlog = try #require(root["ironlog"] as? [String: Any])
                    #expect(Set(ironlog.keys) == ["version", "log_head"])
                    #expect(ironlog["version"] as? String == IronlogVersion.current)
                    #expect((ironlog["log_head"] as? NSNumber)?.uint64Value == 0)
                }
            }
        }
    }

    @Test("decodes to the document the server means to send")
    func decodes() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    let document = try JSONDecoder().decode(RootDocument.self, from: Data(response.body.readableBytesView))
                    #expect(document == RootDocument.current(baseURL: "http://localhost", logHead: 0))
                }
            }
        }
    }

    @Test("reports the store's current log head")
    func logHead() async throws {
        try await withConductor { conductor in
            let store = conductor.store
            _ = try await store.append(
                to: "test/\(UUID().uuidString.lowercased())",
                [ProposedEvent(type: "NodeEnrolled", payload: Data("{}".utf8)),
                 ProposedEvent(type: "NodeUpdated", payload: Data("{}".utf8))]
            )
            let expected = try store.currentHead().position
            #expect(expected == 2)
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    let root = try #require(jsonObject(response.body))
                    let ironlog = try #require(root["ironlog"] as? [String: Any])
                    #expect((ironlog["log_head"] as? NSNumber)?.uint64Value == expected)
                }
            }
        }
    }

    @Test("gives every request its own request id")
    func distinctRequestIDs() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                var seen: Set<String> = []
                for _ in 0..<5 {
                    let id = try await client.execute(uri: "/", method: .get) { $0.headers[RequestIDMiddleware.headerName] }
                    #expect(isOpenStackRequestID(id))
                    if let id { seen.insert(id) }
                }
                #expect(seen.count == 5)
            }
        }
    }
}
