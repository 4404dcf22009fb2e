import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Server

@Suite("Ironic error bodies")
struct ErrorResponseTests {
    private let configuration = ServerConfiguration(host: "127.0.0.1", port: 6385)

    /// Checks `body` is `{"error_message": "<JSON string>"}` and returns the decoded inner document.
    private func fault(in body: ByteBuffer) throws -> [String: Any] {
        let outer = try #require(jsonObject(body), "the body is not a JSON object")
        #expect(Array(outer.keys) == ["error_message"])
        let message = try #require(outer["error_message"] as? String, "error_message is not a string")
        return try #require(jsonObject(message), "error_message does not hold a JSON object: \(message)")
    }

    @Test("an unknown path answers 404 with a double-encoded Client fault")
    func unknownPath() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                for path in ["/no/such/thing", "/v2", "/v1/nodes/../../etc"] {
                    try await client.execute(uri: path, method: .get) { response in
                        #expect(response.status == .notFound, "\(path)")
                        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                        #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
                        let fault = try fault(in: response.body)
                        #expect(Set(fault.keys) == ["faultcode", "faultstring", "debuginfo"])
                        #expect(fault["faultcode"] as? String == "Client")
                        #expect(fault["faultstring"] as? String == "The resource could not be found.")
                        #expect(fault["debuginfo"] is NSNull)
                    }
                }
            }
        }
    }

    @Test("the inner string is serialised the way Ironic's Python serialises it")
    func innerStringFormat() async throws {
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: configuration, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/nowhere", method: .get) { response in
                    let outer = try #require(jsonObject(response.body))
                    #expect(
                        outer["error_message"] as? String
                            == #"{"faultcode": "Client", "faultstring": "The resource could not be found.", "debuginfo": null}"#
                    )
                }
            }
        }
    }

    @Test("a thrown IronicError keeps its status and message; other errors become a bare 500")
    func thrownErrors() async throws {
        struct Unexpected: Error {}
        try await withConductor { conductor in
            let router = buildRouter(conductor: conductor, configuration: configuration)
            router.get("/conflict") { _, _ -> String in
                throw IronicError(status: .conflict, faultString: #"Node "a/b" is locked by host "x"."#)
            }
            router.get("/boom") { _, _ -> String in throw Unexpected() }
            let app = Application(router: router, logger: quietLogger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/conflict", method: .get) { response in
                    #expect(response.status == .conflict)
                    #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
                    let fault = try fault(in: response.body)
                    #expect(fault["faultcode"] as? String == "Client")
                    #expect(fault["faultstring"] as? String == #"Node "a/b" is locked by host "x"."#)
                }
                try await client.execute(uri: "/boom", method: .get) { response in
                    #expect(response.status == .internalServerError)
                    #expect(isOpenStackRequestID(response.headers[RequestIDMiddleware.headerName]))
                    let fault = try fault(in: response.body)
                    #expect(fault["faultcode"] as? String == "Server")
                    #expect(fault["faultstring"] as? String == "The server encountered an internal error.")
                    #expect(fault["debuginfo"] is NSNull)
                }
            }
        }
    }

    @Test("IronicError round-trips through its body, whatever its message holds")
    func roundTrip() throws {
        let error = IronicError(status: .badRequest, faultString: "quote \" backslash \\ slash / newline \n ünïcode", debugInfo: "trace")
        let body = try error.body()
        let data = try JSONEncoder().encode(body)
        let decodedBody = try JSONDecoder().decode(IronicErrorBody.self, from: data)
        let decodedFault = try JSONDecoder().decode(IronicFault.self, from: Data(decodedBody.errorMessage.utf8))
        #expect(decodedFault == IronicFault(faultcode: "Client", faultstring: error.faultString, debuginfo: "trace"))
        #expect(IronicError.internalError().faultCode == .server)
    }
}
