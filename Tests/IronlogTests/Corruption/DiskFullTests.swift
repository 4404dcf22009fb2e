import Engine
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends that cannot be written because there is no room: modelled, unprivileged, by a file
/// size limit (RLIMIT_FSIZE) on `ironlog serve`, so that growing `data.mdb` fails as on a full disk.
@Suite("corruption: a full disk", .serialized)
struct DiskFullTests {
    @Test("writes are refused with 507 and what to do, reads go on, nothing acknowledged is lost, appends resume with room",
          .timeLimit(.minutes(5)))
    func diskFull() async throws {
        let fixture = try await CorruptionFixture.make(nodes: 4, named: "full")
        defer { fixture.remove() }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: fixture.data + "/data.mdb")[.size] as? NSNumber).uint64Value
        let limit = (size + 512 * 1024) / 4096 * 4096

        var acknowledged: [String] = []
        do {
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", fixture.data, "--host", "127.0.0.1", "--port", "\(port)"], fileSizeLimit: limit)
            defer { server.killIfRunning() }
            _ = try await firstAnswer(from: server, port: port)
            var refusal: RawHTTP.Response?
            for _ in 0..<400 {
                let response = try RawHTTP.request("POST", "/v1/nodes", port: port, body: Self.enrollBody())
                guard response.status == 201 else { refusal = response; break }
                acknowledged.append(try Self.uuid(of: response))
            }
            let refused = try #require(refusal, "the limit of \(limit) bytes was never reached")
            #expect(refused.status == 507, "\(String(decoding: refused.body, as: UTF8.self))")
            let message = try #require(faultString(of: refused))
            #expect(message.contains("disk is full") && message.contains("was not recorded") && message.contains("Free disk space"), "\(message)")
            #expect(!acknowledged.isEmpty)

            // Reads keep working, writes keep being refused the same way, and the server stays up.
            for uuid in acknowledged {
                #expect(try RawHTTP.get("/v1/nodes/\(uuid)", port: port).status == 200)
            }
            #expect(try RawHTTP.request("POST", "/v1/nodes", port: port, body: Self.enrollBody()).status == 507)
            #expect(server.isRunning)
            let whileFull = try await fixture.run(["verify", "--data", fixture.data])
            #expect(whileFull.termination == .exit(0), "\(whileFull.output)")

            // Room again, without a restart: the same server takes the next append.
            let lifted = server.liftFileSizeLimit()
            #if os(Linux)
            #expect(lifted, "the file size limit of ironlog serve could not be lifted")
            #endif
            if lifted {
                let resumed = try RawHTTP.request("POST", "/v1/nodes", port: port, body: Self.enrollBody())
                #expect(resumed.status == 201, "\(String(decoding: resumed.body, as: UTF8.self))")
                if resumed.status == 201 { acknowledged.append(try Self.uuid(of: resumed)) }
            }
            server.send(SIGTERM)
            #expect(try await server.waitForExit(seconds: 30) != nil, "ironlog serve did not stop on SIGTERM")
        }

        let verified = try await fixture.run(["verify", "--data", fixture.data])
        #expect(verified.termination == .exit(0), "\(verified.output)")

        // With room again (no limit), every acknowledged node is there and appends go on.
        let port = try LoopbackPort.free()
        let server = try IronlogProcess(["serve", "--data", fixture.data, "--host", "127.0.0.1", "--port", "\(port)"])
        defer { server.killIfRunning() }
        _ = try await firstAnswer(from: server, port: port)
        for uuid in acknowledged {
            #expect(try RawHTTP.get("/v1/nodes/\(uuid)", port: port).status == 200, "acknowledged node \(uuid) was lost")
        }
        #expect(try RawHTTP.request("POST", "/v1/nodes", port: port, body: Self.enrollBody()).status == 201)
        server.send(SIGTERM)
        #expect(try await server.waitForExit(seconds: 30) == .exit(0), "\(server.standardError)")
        let after = try await fixture.run(["verify", "--data", fixture.data])
        #expect(after.termination == .exit(0), "\(after.output)")
    }

    /// A node with 16 KiB of `extra`, so that a few enrolls fill the room left.
    static func enrollBody() throws -> Data {
        try JSONSerialization.data(withJSONObject: ["driver": "fake-hardware", "extra": ["padding": String(repeating: "x", count: 16 * 1024)]])
    }

    static func uuid(of response: RawHTTP.Response) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        return try #require(object["uuid"] as? String)
    }
}
