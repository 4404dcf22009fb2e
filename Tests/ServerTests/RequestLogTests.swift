import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Server

@Suite("Request logs: a line per request, and the request id in the engine's lines")
struct RequestLogTests {
    @Test("every request is logged at info with its request id, method, path, status and duration")
    func accessLog() async throws {
        let log = CapturedLog()
        try await withConductor { conductor in
            let app = buildApplication(conductor: conductor, configuration: testConfiguration, logger: log.logger())
            try await app.test(.router) { client in
                let requestID = try await client.execute(uri: "/v1/nodes/missing", method: .get, headers: headers("1.11")) { response in
                    #expect(response.status == .notFound)
                    return response.headers[RequestIDMiddleware.headerName]
                }
                let line = try #require(log.lines.first { $0.metadata["path"] == "/v1/nodes/missing" })
                #expect(line.level == .info)
                #expect(line.metadata["request_id"] == requestID.map { .string($0) })
                #expect(line.metadata["method"] == "GET")
                #expect(line.metadata["status"]?.description == "404")
                #expect(line.metadata["duration_ms"].flatMap { Double($0.description) } != nil)
            }
        }
    }

    @Test("the engine's lines about work a request started carry that request's id")
    func engineLines() async throws {
        let log = CapturedLog()
        let engineLogger = log.logger(label: "engine", metadataProvider: RequestScope.metadataProvider)
        try await withConductor(logger: engineLogger) { conductor in
            try await buildApplication(conductor: conductor, configuration: testConfiguration, logger: quietLogger).test(.router) { client in
                let node = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "driver_info": {"fake_fail": "power.get_power_state"}}"#))
                let requestID = try await client.execute(uri: "/v1/nodes/\(node)/states/provision", method: .put, headers: headers("1.11"),
                                                         body: body(#"{"target": "manage"}"#)) { response in
                    #expect(response.status == .accepted)
                    return try #require(response.headers[RequestIDMiddleware.headerName])
                }
                try await conductor.settle()
                let failure = try #require(log.lines.first { $0.message.contains("Failed to verify node \(node)") }, "\(log.lines.map(\.message))")
                #expect(failure.metadata["request_id"] == .string(requestID))
            }
        }
    }
}
