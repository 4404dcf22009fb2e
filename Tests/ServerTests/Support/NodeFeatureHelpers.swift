import Domain
import Engine
import EventStore
import Projections
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The status and the body (parsed if it is a JSON object) of one request.
func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, version: String? = nil,
          json: String? = nil) async throws -> (status: HTTPResponse.Status, body: [String: Any], fault: String) {
    try await client.execute(uri: uri, method: method, headers: headers(version), body: json.map(body)) { response in
        (response.status, jsonObject(response.body) ?? [:], faultString(response))
    }
}

/// Moves a fake node through `manage` (verifying, which caches its BIOS settings and firmware
/// components) to `manageable`.
func manage(_ client: any TestClientProtocol, _ conductor: Conductor, _ id: String) async throws {
    let result = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.11", json: #"{"target": "manage"}"#)
    #expect(result.status == .accepted, "\(result.fault)")
    try await conductor.settle()
    #expect(try projected(conductor, id).provisionState == .manageable)
}

/// The type names of the events in the node's stream.
func eventTypes(_ conductor: Conductor, _ id: String) throws -> [String] {
    let uuid = try #require(UUID(uuidString: id))
    return try conductor.store.events(ofStream: NodeStream.id(uuid)).map(\.type)
}
