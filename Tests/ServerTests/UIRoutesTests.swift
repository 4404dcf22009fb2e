import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// `GET /ui/`: the web UI's files as the server hands them out — redirect, media types,
/// revalidation, Ironic's 404, and no credentials needed for the page itself.
@Suite("Web UI files")
struct UIRoutesTests {
    @Test("GET /ui redirects to /ui/, which is index.html")
    func indexAndRedirect() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/ui", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/ui/")
            }
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("<script type=\"module\" src=\"app.js\">"))
            }
        }
    }

    @Test("every shipped file has its media type, Cache-Control: no-cache and an ETag that answers 304")
    func filesAndRevalidation() async throws {
        let assets = UIAssets.bundled
        for name in ["index.html", "style.css", "app.js", "api.js", "stream.js", "fleet.js", "node.js", "chart.js", "actions.js", "dom.js"] {
            #expect(assets.files[name] != nil, "\(name) is missing from the Server bundle's ui directory")
        }
        try await withAPI { client, _ in
            var tag = ""
            try await client.execute(uri: "/ui/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                tag = response.headers[.eTag] ?? ""
            }
            #expect(tag.hasPrefix("\"") && tag.count > 10)
            try await client.execute(uri: "/ui/app.js", method: .get, headers: [.ifNoneMatch: tag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/ui/style.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
        }
    }

    @Test("an unknown file is 404 with Ironic's error body")
    func unknownFile() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/ui/nothing.js", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((fault(response)?["faultstring"] as? String)?.contains("nothing.js") == true)
            }
        }
    }

    @Test("under --htpasswd the page is public, and the API it calls is not")
    func publicUnderBasicAuth() async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/ui/api.js", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/nodes", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
