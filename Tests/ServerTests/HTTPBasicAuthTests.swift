import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("HTTP basic auth (auth_strategy = http_basic)")
struct HTTPBasicAuthTests {
    @Test("without --htpasswd nothing asks for credentials, and the caller comes from X-User-Id")
    func authOff() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(node)", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.wwwAuthenticate] == nil)
            }
            try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.11", user: "alice"),
                                     body: body(#"{"driver": "fake-hardware"}"#)) { response in
                #expect(response.status == .created)
            }
            let actors = try conductor.store.events(from: 1, limit: 10).map(\.metadata.actor)
            #expect(actors == ["anonymous", "alice"])
        }
    }

    @Test("a request without credentials is 401 with Ironic's error body and a Basic challenge",
          arguments: ["/v1/nodes", "/nodes", "/v1/ports", "/v1/events", "/v1/drivers", "/metrics", "/no/such/path"])
    func missingCredentials(path: String) async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            try await client.execute(uri: path, method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Basic realm="Baremetal API""#)
                #expect(fault(response)?["faultcode"] as? String == "Client")
                #expect(faultString(response).contains("Authentication is required"))
                #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
                #expect(response.headers[VersionNegotiation.maximumHeader] != nil)
            }
        }
    }

    @Test("a wrong password, an unknown user or a malformed header is 401",
          arguments: [
              BasicAuthFixtures.authorization("admin", "wrong"),
              BasicAuthFixtures.authorization("mallory", "hunter2"),
              BasicAuthFixtures.authorization("operator", ""),
              "Basic not-base64!",
              "Bearer some-token",
          ])
    func wrongCredentials(authorization: String) async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            var fields = headers("1.11")
            fields[.authorization] = authorization
            try await client.execute(uri: "/v1/nodes", method: .get, headers: fields) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Basic realm="Baremetal API""#)
                #expect(fault(response) != nil, "Ironic's error body: \(String(buffer: response.body))")
            }
        }
    }

    @Test("$2y$, $2b$ and $2a$ hashes all let their user in", arguments: ["admin", "operator", "legacy"])
    func hashVariants(user: String) async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            try await client.execute(uri: "/v1/nodes", method: .get, headers: BasicAuthFixtures.headers(user)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
        }
    }

    @Test("version discovery and the agent endpoints are public, as in Ironic",
          arguments: [("/", HTTPRequest.Method.get), ("/v1", .get), ("/v1/", .get), ("/v1/lookup?addresses=52:54:00:12:34:56", .get),
                      ("/lookup?addresses=52:54:00:12:34:56", .get), ("/v1/heartbeat/no-such-node", .post)])
    func publicEndpoints(path: String, method: HTTPRequest.Method) async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            try await client.execute(uri: path, method: method, headers: headers("1.22"), body: body("{}")) { response in
                #expect(response.status != .unauthorized, "\(method) \(path): \(String(buffer: response.body))")
                #expect(response.headers[.wwwAuthenticate] == nil)
            }
        }
    }

    @Test("the authenticated user is the actor recorded in event metadata, whatever X-User-Id says")
    func actorFromBasicAuth() async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, conductor in
            var fields = BasicAuthFixtures.headers("operator")
            fields[Caller.userHeader] = "someone-else"
            fields[Caller.projectHeader] = "tenant-a"
            let requestID = try await client.execute(uri: "/v1/nodes", method: .post, headers: fields,
                                                     body: body(#"{"driver": "fake-hardware"}"#)) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return response.headers[RequestIDMiddleware.headerName]
            }
            let event = try #require(try conductor.store.events(from: 1, limit: 1).first)
            #expect(event.metadata.actor == "operator")
            #expect(event.metadata.project == "tenant-a")
            #expect(event.metadata.requestID == requestID)
        }
    }

    @Test("verified credentials are cached: bcrypt runs once for repeated requests, and again for a wrong password")
    func credentialCache() async throws {
        let authenticator = HTTPBasicAuthenticator(file: BasicAuthFixtures.file)
        let good = BasicCredentials(user: "operator", password: "hunter2")
        #expect(await authenticator.authenticate(good))
        #expect(await authenticator.authenticate(good))
        #expect(await authenticator.authenticate(good))
        #expect(authenticator.verifications == 1)
        #expect(await authenticator.authenticate(BasicCredentials(user: "operator", password: "hunter3")) == false)
        #expect(await authenticator.authenticate(BasicCredentials(user: "operator", password: "hunter3")) == false)
        #expect(authenticator.verifications == 3, "failures are never cached")
    }

    @Test("the credential cache forgets entries after their lifetime and stays within its capacity")
    func cacheBounds() {
        let cache = VerifiedCredentialCache(lifetime: .seconds(60), capacity: 2)
        let start = ContinuousClock.now
        let a = BasicCredentials(user: "a", password: "1"), b = BasicCredentials(user: "b", password: "2")
        let c = BasicCredentials(user: "c", password: "3")
        cache.insert(a, now: start)
        #expect(cache.contains(a, now: start + .seconds(59)))
        #expect(!cache.contains(a, now: start + .seconds(61)))
        cache.insert(a, now: start)
        cache.insert(b, now: start + .seconds(1))
        cache.insert(c, now: start + .seconds(2))
        #expect(cache.count == 2)
        #expect(!cache.contains(a, now: start + .seconds(3)), "the entry closest to expiring made room")
        #expect(cache.contains(b, now: start + .seconds(3)) && cache.contains(c, now: start + .seconds(3)))
        #expect(!cache.contains(BasicCredentials(user: "b", password: "wrong"), now: start + .seconds(3)))
    }
}
