import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// `GET /v1/openapi.json` and the document behind it: it describes exactly the routes served,
/// and it is a valid OpenAPI document.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// Where the document lives, for failure messages.
    static let file = "Sources/Server/Resources/openapi.json"

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every registered route is documented, and every documented operation is registered")
    func routesMatchTheDocument() async throws {
        let document = try #require(OpenAPIDocument.bundled, "\(Self.file) is missing from the Server bundle or is not JSON")
        let documented = OpenAPIDocument.operations(of: document)
        let registered = try await withConductor { conductor in
            buildRoutes(conductor: conductor, configuration: testConfiguration).table.routes
        }
        // The web UI's pages under /ui are exempt: they are not the REST API the document describes.
        let served = Set(registered.filter { !$0.isAlias && !$0.isOutsideAPI && !["HEAD", "OPTIONS"].contains($0.method) }.map(\.description))
        #expect(registered.contains { $0.isOutsideAPI && $0.description == "GET /ui/{file}" })
        #expect(served.count > 60, "the route table lists \(served.count) routes")
        for route in served.subtracting(documented).sorted() {
            Issue.record("route \(route) registered but not documented in \(Self.file): add the operation under \"paths\"")
        }
        for operation in documented.subtracting(served).sorted() {
            Issue.record("operation \(operation) documented in \(Self.file) but no route serves it: remove it or register the route")
        }
    }

    @Test("unprefixed aliases mirror the /v1 routes, and the table maps :param to {param}")
    func aliases() async throws {
        let routes = try await withConductor { conductor in
            buildRoutes(conductor: conductor, configuration: testConfiguration).table.routes
        }
        let aliases = Set(routes.filter(\.isAlias).map(\.description))
        #expect(aliases.contains("GET /nodes/{node_ident}"))
        #expect(aliases.contains("GET /openapi.json"))
        for alias in aliases {
            let parts = alias.split(separator: " ", maxSplits: 1)
            #expect(routes.contains { !$0.isAlias && $0.description == "\(parts[0]) /v1\(parts[1])" }, "\(alias) has no /v1 twin")
        }
        #expect(!routes.contains { $0.openAPIPath.contains(":") })
    }

    @Test("GET /v1/openapi.json serves the document as JSON at any version, with the release and the served range")
    func served() async throws {
        try await withAPI { client, _ in
            for version in [nil, "1.1", "latest"] as [String?] {
                try await client.execute(uri: "/v1/openapi.json", method: .get, headers: headers(version)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    let document = try #require(jsonObject(response.body))
                    #expect(document["openapi"] as? String == "3.1.0")
                    let info = try #require(document["info"] as? [String: Any])
                    #expect(info["version"] as? String == IronlogVersion.current)
                    let range = try #require(info["x-ironic-api-versions"] as? [String: String])
                    #expect(range == ["minimum": "\(APIVersion.served.minimum)", "maximum": "\(APIVersion.served.maximum)"])
                    let paths = try #require(document["paths"] as? [String: Any])
                    #expect(paths["/v1/nodes/{node_ident}"] != nil)
                    #expect(paths["/v1/events/stream"] != nil)
                }
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/openapi.json?x=1", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("operations gated on a microversion say so with x-ironic-min-version")
    func gatedOperations() throws {
        let document = try #require(OpenAPIDocument.bundled)
        guard case .object(let members) = document, case .object(let paths)? = members["paths"] else {
            Issue.record("\(Self.file) has no paths")
            return
        }
        let expected: [String: String] = [
            "/v1/nodes/{node_ident}/traits": "1.37", "/v1/nodes/{node_ident}/vifs": "1.28", "/v1/nodes/{node_ident}/states/raid": "1.12",
            "/v1/nodes/{node_ident}/management/inject_nmi": "1.29", "/v1/portgroups": "1.23", "/v1/nodes/{node_ident}/portgroups": "1.24",
            "/v1/volume": "1.32", "/v1/lookup": "1.22", "/v1/heartbeat/{node_ident}": "1.22", "/v1/conductors": "1.49",
            "/v1/runbooks": "1.92", "/v1/runbooks/{runbook_ident}": "1.92", "/v1/runbooks/{runbook_ident}/traits": "1.112",
            "/v1/inspection_rules": "1.96", "/v1/inspection_rules/{rule_uuid}": "1.96",
        ]
        for (path, minimum) in expected {
            guard case .object(let item)? = paths[path] else {
                Issue.record("\(path) is not in \(Self.file)")
                continue
            }
            for method in OpenAPIDocument.methods {
                guard case .object(let operation)? = item[method] else { continue }
                #expect(operation["x-ironic-min-version"] == .string(minimum), "\(method.uppercased()) \(path) should carry x-ironic-min-version \(minimum)")
            }
        }
    }

    @Test("the served document passes openapi-spec-validator 0.9.0", .timeLimit(.minutes(5)))
    func validates() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-openapi-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("openapi.json")
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                try Data(response.body.readableBytesView).write(to: file)
            }
        }
        let log = directory.appendingPathComponent("validate.log").path
        let script: ChildProcess
        do {
            script = try ChildProcess("/bin/bash", [Self.root.appendingPathComponent("tools/openapi/validate").path, file.path],
                                      standardOutput: .file(log), standardError: .file(log))
        } catch {
            Issue.record("could not run tools/openapi/validate (needs bash and python3; see tools/install-deps): \(error)")
            return
        }
        let ended = await script.wait()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        switch ended.status {
        case 0:
            #expect(output.contains("OK"), "\(output)")
        case 2:
            let advice = "run tools/install-deps, which needs python3 with venv and pip access"
            Issue.record("the openapi-spec-validator venv could not be created, so the document was not validated (\(advice)):\n\(output)")
        default:
            Issue.record("\(Self.file) is not a valid OpenAPI document:\n\(output)")
        }
    }
}
