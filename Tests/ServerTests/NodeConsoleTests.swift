import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Node console: /v1/nodes/{id}/states/console")
struct NodeConsoleTests {
    @Test("fake console: disabled, enabled (202, recorded, shown), enabled again changes nothing, disabled")
    func fakeConsole() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let initial = try await call(client, .get, "/v1/nodes/\(node)/states/console", version: "1.1")
            #expect(initial.status == .ok && initial.body["console_enabled"] as? Bool == false && initial.body["console_info"] is NSNull)
            try await client.execute(uri: "/v1/nodes/\(node)/states/console", method: .put, headers: headers("1.1"), body: body(#"{"enabled": true}"#)) { response in
                #expect(response.status == .accepted, "\(faultString(response))")
                #expect(response.headers[.location] == "http://localhost/v1/nodes/\(node)/states/console")
            }
            let enabled = try await call(client, .get, "/v1/nodes/\(node)/states/console", version: "1.1")
            #expect(enabled.body["console_enabled"] as? Bool == true && (enabled.body["console_info"] as? [String: Any])?.isEmpty == true)
            #expect(try await call(client, .get, "/v1/nodes/\(node)", version: "1.1").body["console_enabled"] as? Bool == true)
            #expect(try await call(client, .put, "/v1/nodes/\(node)/states/console", version: "1.1", json: #"{"enabled": true}"#).status == .accepted)
            #expect(try await call(client, .put, "/v1/nodes/\(node)/states/console", version: "1.1", json: #"{"enabled": false}"#).status == .accepted)
            #expect(try eventTypes(conductor, node).filter { $0 == "ConsoleModeSet" }.count == 2)
            #expect(try projected(conductor, node).consoleEnabled == false)
        }
    }

    @Test("errors: no-console (and ipmi's default) is 400, a bad body 400, an unknown node 404")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let none = try uuid(try await createNode(client, version: "1.31", json: #"{"driver": "fake-hardware", "console_interface": "no-console"}"#))
            let unsupported = "Driver fake-hardware does not support console (disabled or not implemented)."
            #expect(try await call(client, .get, "/v1/nodes/\(none)/states/console", version: "1.1").fault == unsupported)
            let refused = try await call(client, .put, "/v1/nodes/\(none)/states/console", version: "1.1", json: #"{"enabled": true}"#)
            #expect(refused.status == .badRequest && refused.fault == unsupported)
            let ipmi = try uuid(try await createNode(client, json: #"{"driver": "ipmi", "driver_info": {"ipmi_address": "10.0.0.1"}}"#))
            #expect(try await call(client, .get, "/v1/nodes/\(ipmi)", version: "1.31").body["console_interface"] as? String == "no-console")
            #expect(try await call(client, .get, "/v1/nodes/\(ipmi)/states/console", version: "1.1").status == .badRequest)
            let node = try uuid(try await createNode(client))
            for json in ["{}", #"{"enabled": "maybe"}"#, #"{"enabled": true, "extra": 1}"#] {
                #expect(try await call(client, .put, "/v1/nodes/\(node)/states/console", version: "1.1", json: json).status == .badRequest, "\(json)")
            }
            #expect(try await call(client, .get, "/v1/nodes/missing/states/console", version: "1.5").status == .notFound)
        }
    }
}
