import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Vendor passthru: /v1/nodes/{id}/vendor_passthru, /v1/drivers/{name}/vendor_passthru")
struct VendorPassthruTests {
    @Test("the fake vendor's methods; an asynchronous call is 202, a synchronous one 200 with its value; node calls are recorded")
    func fakeVendor() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let methods = try await call(client, .get, "/v1/nodes/\(node)/vendor_passthru/methods", version: "1.1").body
            #expect(Set(methods.keys) == ["second_method", "third_method_sync", "fourth_method_shared_lock"])
            let third = try #require(methods["third_method_sync"] as? [String: Any])
            #expect(third["async"] as? Bool == false && third["http_methods"] as? [String] == ["POST"] && third["attach"] as? Bool == false)
            #expect(third["description"] as? String == "Test if the value of bar is meow" && third["require_exclusive_lock"] as? Bool == true)
            #expect((methods["fourth_method_shared_lock"] as? [String: Any])?["require_exclusive_lock"] as? Bool == false)

            try await client.execute(uri: "/v1/nodes/\(node)/vendor_passthru?method=second_method", method: .post, headers: headers("1.1"),
                                     body: body(#"{"bar": "kazoo"}"#)) { response in
                #expect(response.status == .accepted && response.body.readableBytes == 0, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(node)/vendor_passthru?method=third_method_sync", method: .post, headers: headers("1.1"),
                                     body: body(#"{"bar": "meow"}"#)) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "true")
            }
            try await client.execute(uri: "/v1/nodes/\(node)/vendor_passthru?method=third_method_sync", method: .post, headers: headers("1.1"),
                                     body: body(#"{"bar": "woof"}"#)) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "false")
            }
            #expect(try eventTypes(conductor, node).filter { $0 == "VendorPassthruCalled" }.count == 3)

            let driverMethods = try await call(client, .get, "/v1/drivers/fake-hardware/vendor_passthru/methods", version: "1.1")
            #expect(driverMethods.status == .ok && driverMethods.body.isEmpty)
        }
    }

    @Test("errors: no method, unknown method, wrong HTTP method, missing argument, no-vendor, unknown node or driver")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let cases: [(HTTPRequest.Method, String, String?, String)] = [
                (.post, "", #"{"bar": "x"}"#, "Method not specified"),
                (.post, "?method=first_method", #"{"bar": "x"}"#, "No handler for method first_method"),
                (.get, "?method=second_method", nil, "The method second_method does not support HTTP GET"),
                (.post, "?method=second_method", "{}", "Parameter 'bar' not passed to method 'second_method'."),
            ]
            for (method, query, json, message) in cases {
                let result = try await call(client, method, "/v1/nodes/\(node)/vendor_passthru\(query)", version: "1.1", json: json)
                #expect(result.status == .badRequest && result.fault == message, "\(query): \(result.fault)")
            }
            #expect(try eventTypes(conductor, node).contains("VendorPassthruCalled") == false)

            let none = try uuid(try await createNode(client, version: "1.31", json: #"{"driver": "fake-hardware", "vendor_interface": "no-vendor"}"#))
            let noMethods = try await call(client, .get, "/v1/nodes/\(none)/vendor_passthru/methods", version: "1.1")
            #expect(noMethods.status == .ok && noMethods.body.isEmpty)
            #expect(try await call(client, .post, "/v1/nodes/\(none)/vendor_passthru?method=second_method", version: "1.1",
                                   json: #"{"bar": "kazoo"}"#).status == .badRequest)
            #expect(try await call(client, .post, "/v1/drivers/fake-hardware/vendor_passthru?method=x", version: "1.1", json: "{}").fault
                    == "No handler for method x")
            #expect(try await call(client, .get, "/v1/drivers/nope/vendor_passthru/methods", version: "1.1").status == .notFound)
            #expect(try await call(client, .post, "/v1/drivers/nope/vendor_passthru?method=x", version: "1.1", json: "{}").status == .notFound)
            #expect(try await call(client, .get, "/v1/nodes/missing/vendor_passthru/methods", version: "1.5").status == .notFound)
        }
    }
}
