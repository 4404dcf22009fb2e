import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("CORS: browser clients from allowed origins")
struct CrossOriginTests {
    static let console = "https://console.example.com"

    /// A preflight from `origin` for a PATCH with the headers an Ironic client sends.
    static func preflight(from origin: String) -> HTTPFields {
        [
            .origin: origin,
            .accessControlRequestMethod: "PATCH",
            .accessControlRequestHeaders: "openstack-api-version, x-openstack-ironic-api-version, content-type, authorization",
        ]
    }

    @Test("a preflight from an allowed origin is answered before authentication, allowing Ironic's headers")
    func preflightUnderAuth() async throws {
        var configuration = BasicAuthFixtures.configuration
        configuration.corsOrigins = [Self.console]
        try await withAPI(configuration: configuration) { client, _ in
            try await client.execute(uri: "/v1/nodes/some-node", method: .options, headers: Self.preflight(from: Self.console)) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == Self.console)
                #expect(response.headers[.accessControlAllowCredentials] == "true")
                let allowed = Set((response.headers[.accessControlAllowHeaders] ?? "").lowercased()
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                for header in ["openstack-api-version", "x-openstack-ironic-api-version", "content-type", "authorization",
                               "x-openstack-request-id", "last-event-id"] {
                    #expect(allowed.contains(header), "\(header) in \(allowed)")
                }
                #expect(response.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
                #expect(response.headers[.wwwAuthenticate] == nil)
            }
        }
    }

    @Test("an actual request from an allowed origin gets the origin and the exposed version and request-id headers")
    func actualRequest() async throws {
        var configuration = BasicAuthFixtures.configuration
        configuration.corsOrigins = [Self.console, "https://other.example.com"]
        try await withAPI(configuration: configuration) { client, _ in
            var fields = BasicAuthFixtures.headers("admin")
            fields[.origin] = Self.console
            try await client.execute(uri: "/v1/nodes", method: .get, headers: fields) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == Self.console)
                let exposed = (response.headers[.accessControlExposeHeaders] ?? "").lowercased()
                for header in ["openstack-api-version", "x-openstack-ironic-api-version", "x-openstack-ironic-api-minimum-version",
                               "x-openstack-ironic-api-maximum-version", "openstack-request-id", "x-openstack-request-id"] {
                    #expect(exposed.contains(header), "\(header) in \(exposed)")
                }
            }
            // Refused requests carry the CORS headers too, so the browser can show the 401.
            var anonymous = headers("1.11")
            anonymous[.origin] = Self.console
            try await client.execute(uri: "/v1/nodes", method: .get, headers: anonymous) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.accessControlAllowOrigin] == Self.console)
            }
        }
    }

    @Test("another origin gets no CORS headers, and its preflight is not answered")
    func otherOrigin() async throws {
        var configuration = testConfiguration
        configuration.corsOrigins = [Self.console]
        try await withAPI(configuration: configuration) { client, _ in
            var fields = headers("1.11")
            fields[.origin] = "https://evil.example.net"
            try await client.execute(uri: "/v1/nodes", method: .get, headers: fields) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.accessControlExposeHeaders] == nil)
            }
            try await client.execute(uri: "/v1/nodes", method: .options, headers: Self.preflight(from: "https://evil.example.net")) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.status != .noContent)
            }
        }
    }

    @Test("* allows any origin, without credentials")
    func anyOrigin() async throws {
        var configuration = testConfiguration
        configuration.corsOrigins = ["*"]
        try await withAPI(configuration: configuration) { client, _ in
            try await client.execute(uri: "/v1/nodes", method: .options, headers: Self.preflight(from: "https://anywhere.example")) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
            }
        }
    }

    @Test("without --cors-origin no CORS headers are sent")
    func corsOff() async throws {
        try await withAPI { client, _ in
            var fields = headers("1.11")
            fields[.origin] = Self.console
            try await client.execute(uri: "/v1/nodes", method: .get, headers: fields) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
