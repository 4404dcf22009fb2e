import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Microversion negotiation and headers")
struct MicroversionTests {
    private func expectRangeHeaders(_ response: TestResponse) {
        #expect(response.headers[VersionNegotiation.minimumHeader] == APIVersion.minimum)
        #expect(response.headers[VersionNegotiation.maximumHeader] == APIVersion.maximum)
    }

    @Test("no header means the minimum, and every response says so")
    func noHeader() async throws {
        try await withAPI { client, _ in
            for path in ["/", "/v1", "/v1/nodes", "/no/such/thing"] {
                try await client.execute(uri: path, method: .get) { response in
                    expectRangeHeaders(response)
                    #expect(response.headers[VersionNegotiation.legacyHeader] == "1.1", "\(path)")
                    #expect(response.headers[VersionNegotiation.standardHeader] == "baremetal 1.1", "\(path)")
                }
            }
        }
    }

    @Test("latest, the legacy header and the standard header (which wins)")
    func requested() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1", method: .get, headers: headers("latest")) { response in
                #expect(response.headers[VersionNegotiation.legacyHeader] == APIVersion.maximum)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.5")) { response in
                #expect(response.headers[VersionNegotiation.standardHeader] == "baremetal 1.5")
            }
            var both = headers("1.5")
            both[VersionNegotiation.standardHeader] = "compute 2.1, baremetal 1.9"
            try await client.execute(uri: "/v1", method: .get, headers: both) { response in
                #expect(response.headers[VersionNegotiation.legacyHeader] == "1.9")
            }
        }
    }

    @Test("out of range, unparseable, or another major version: 406 with Ironic's body and the range headers",
          arguments: ["1.116", "1.0", "abc", "2.1", "1.", "1.1.1"])
    func refused(value: String) async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/nodes", method: .get, headers: headers(value)) { response in
                #expect(response.status == .notAcceptable)
                expectRangeHeaders(response)
                #expect(fault(response)?["faultcode"] as? String == "Client")
                #expect(!faultString(response).isEmpty)
                #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
            }
        }
    }

    @Test("the maximum is 1.115, the newest Ironic defines: latest negotiates it, 1.115 is served, 1.116 is not")
    func maximum() async throws {
        #expect(APIVersion.maximum == "1.115" && APIVersion.served.maximum == MicroVersion(115))
        try await withAPI { client, _ in
            for (asked, status) in [("latest", HTTPResponse.Status.ok), ("1.115", .ok), ("1.116", .notAcceptable)] {
                try await client.execute(uri: "/v1/nodes", method: .get, headers: headers(asked)) { response in
                    #expect(response.status == status, "\(asked)")
                    #expect(response.headers[VersionNegotiation.maximumHeader] == "1.115")
                    if status == .ok { #expect(response.headers[VersionNegotiation.legacyHeader] == "1.115") }
                }
            }
        }
    }

    @Test("the out-of-range message names the supported range")
    func rangeMessage() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.116")) { response in
                #expect(faultString(response) == "Version 1.116 was requested but the minor version is not supported by this service. "
                    + "The supported version range is: [1.1, \(APIVersion.maximum)].")
            }
        }
    }

    @Test("GET /v1 is Ironic's v1 document, linking only what is served")
    func v1Document() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1", method: .get) { response in
                #expect(response.status == .ok)
                let document = try #require(jsonObject(response.body))
                #expect(document["id"] as? String == "v1")
                #expect(Set(document.keys) == ["id", "links", "media_types", "chassis", "nodes", "ports", "drivers", "version"])
                let version = try #require(document["version"] as? [String: Any])
                #expect(version["min_version"] as? String == "1.1")
                #expect(version["version"] as? String == APIVersion.maximum)
                let nodes = try #require(document["nodes"] as? [[String: Any]])
                #expect(nodes.first?["href"] as? String == "http://localhost/v1/nodes/")
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.48")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(document["portgroups"] != nil && document["volume"] != nil && document["lookup"] != nil)
                #expect(document["conductors"] == nil, "conductors arrive at 1.49")
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("latest")) { response in
                let document = try #require(jsonObject(response.body))
                for collection in ["conductors", "allocations", "events", "deploy_templates", "shards", "continue_inspection"] {
                    #expect(document[collection] != nil, "\(collection) is linked at the maximum")
                }
            }
            try await client.execute(uri: "/v1", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }
}
