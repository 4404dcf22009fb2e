import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("GET /metrics — Prometheus text format")
struct MetricsTests {
    /// The sample lines of a text exposition, keyed by series name with labels.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test("after some requests: request counts and latencies by method, route pattern and status; commit batch sizes and latency; lags")
    func namedSeries() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client))
            try await createNode(client)
            try await client.execute(uri: "/v1/nodes/\(node)", method: .get, headers: headers("1.11")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/nodes/no-such-node", method: .get, headers: headers("1.11")) { #expect($0.status == .notFound) }
            try await conductor.settle()
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == MetricsRoutes.contentType)
                let text = String(buffer: response.body)
                let samples = Self.samples(text)
                let created = samples.first { $0.key.hasPrefix("ironlog_http_requests_total{") && $0.key.contains(#"method="POST""#)
                    && $0.key.contains(#"route="/v1/nodes""#) && $0.key.contains(#"status="201""#) }
                #expect(created?.value == 2, "\(text)")
                let shown = samples.filter { $0.key.hasPrefix("ironlog_http_requests_total{") && $0.key.contains(#"method="GET""#)
                    && $0.key.contains("/v1/nodes/") && !$0.key.contains(node) }
                #expect(shown.map(\.value).reduce(0, +) == 2, "one series per route pattern, never per raw path: \(shown)")
                #expect(shown.contains { $0.key.contains(#"status="404""#) } && shown.contains { $0.key.contains(#"status="200""#) })
                #expect(text.contains("ironlog_http_request_duration_seconds_bucket{"))
                #expect(text.contains("ironlog_http_request_duration_seconds_count{"))
                #expect(samples["ironlog_store_commit_events_count"].map { $0 >= 2 } == true, "\(text)")
                #expect(samples["ironlog_store_commit_events_sum"].map { $0 >= 2 } == true)
                #expect(samples["ironlog_store_commit_appends_count"].map { $0 >= 2 } == true)
                #expect(samples["ironlog_store_commit_duration_seconds_count"].map { $0 >= 2 } == true)
                let head = try conductor.store.currentHead().position
                #expect(samples["ironlog_log_head_position"] == Double(head))
                #expect(samples["ironlog_projection_lag_events"] == 0)
                #expect(samples["ironlog_reactor_lag_events"] == 0, "the engine has settled")
            }
        }
    }

    @Test("each server has its own registry: two servers in one process count separately")
    func separateRegistries() async throws {
        for _ in 0..<2 {
            try await withAPI { client, _ in
                try await createNode(client)
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let created = Self.samples(String(buffer: response.body)).filter {
                        $0.key.hasPrefix("ironlog_http_requests_total{") && $0.key.contains(#"status="201""#)
                    }
                    #expect(created.map(\.value) == [1])
                }
            }
        }
    }

    @Test("with basic auth /metrics needs credentials like every other request")
    func followsAuth() async throws {
        try await withAPI(configuration: BasicAuthFixtures.configuration) { client, _ in
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: BasicAuthFixtures.headers("operator")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("ironlog_log_head_position"))
            }
        }
    }

    @Test("served open to the network with --insecure-no-auth, /metrics is refused")
    func exposedWithoutAuth() async throws {
        try await withAPI(configuration: ServerConfiguration(host: "0.0.0.0", port: 6385)) { client, _ in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(faultString(response).contains("--htpasswd"))
            }
        }
    }
}
