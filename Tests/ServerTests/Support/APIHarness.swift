import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// Every microversion Ironic has defined, for reaching features gated above the served maximum.
let everyVersion = VersionRange(minimum: MicroVersion(1), maximum: MicroVersion(115))

/// The address tests pretend to be bound at.
let testConfiguration = ServerConfiguration(host: "127.0.0.1", port: 6385)

/// Runs `body` with a router test client over a started conductor, negotiating within `versions`,
/// served as `configuration` says.
func withAPI(versions: VersionRange = APIVersion.served, configuration: ServerConfiguration = testConfiguration,
             _ body: @Sendable (any TestClientProtocol, Conductor) async throws -> Void) async throws {
    try await withConductor { conductor in
        let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger, versions: versions)
        try await app.test(.router) { client in try await body(client, conductor) }
    }
}

/// Headers asking for microversion `version` (and naming a caller, if given).
func headers(_ version: String? = nil, user: String? = nil, project: String? = nil) -> HTTPFields {
    var fields: HTTPFields = [.contentType: "application/json"]
    if let version { fields[VersionNegotiation.legacyHeader] = version }
    if let user { fields[Caller.userHeader] = user }
    if let project { fields[Caller.projectHeader] = project }
    return fields
}

/// A JSON body.
func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

/// The decoded inner fault of an Ironic error body.
func fault(_ response: TestResponse) -> [String: Any]? {
    guard let outer = jsonObject(response.body), let message = outer["error_message"] as? String else { return nil }
    return jsonObject(message)
}

/// The faultstring of an Ironic error body, or "" if there is none.
func faultString(_ response: TestResponse) -> String {
    fault(response)?["faultstring"] as? String ?? ""
}

/// Creates a fake-hardware node through the API and returns its document.
@discardableResult
func createNode(_ client: any TestClientProtocol, version: String = "1.11", json: String = #"{"driver": "fake-hardware"}"#) async throws -> [String: Any] {
    try await client.execute(uri: "/v1/nodes", method: .post, headers: headers(version), body: body(json)) { response in
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(jsonObject(response.body))
    }
}

/// The node's UUID from its document.
func uuid(_ node: [String: Any]) throws -> String { try #require(node["uuid"] as? String) }

/// The node's projected state.
func projected(_ conductor: Conductor, _ uuid: String) throws -> Node {
    let id = try #require(UUID(uuidString: uuid))
    return try #require(try conductor.commands.aggregate(id)?.node)
}
