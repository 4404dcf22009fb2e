import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Agent: /v1/lookup and /v1/heartbeat")
struct AgentTests {
    /// A fake-hardware node with a port, whose deploy waits for the agent, left in `wait call-back`.
    static func waitingNode(_ client: any TestClientProtocol, _ conductor: Conductor) async throws -> String {
        let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "driver_info": {"fake_wait": "deploy.deploy"}}"#))
        try await createPort(client, json: #"{"node_uuid": "\#(id)", "address": "52:54:00:12:34:56"}"#)
        for target in ["manage", "provide", "active"] {
            try await client.execute(uri: "/v1/nodes/\(id)/states/provision", method: .put, headers: headers("1.11"),
                                     body: body(#"{"target": "\#(target)"}"#)) { response in
                #expect(response.status == .accepted, "\(target): \(faultString(response))")
            }
            try await conductor.settle()
        }
        #expect(try projected(conductor, id).provisionState == .waitCallBack)
        return id
    }

    @Test("lookup by MAC gives the node, the config and a token once; heartbeat with it resumes the deploy (202)")
    func lookupAndHeartbeat() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try await Self.waitingNode(client, conductor)
            let token = try await client.execute(uri: "/v1/lookup?addresses=52:54:00:12:34:56,zz", method: .get, headers: headers("1.62")) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect((document["node"] as? [String: Any])?["uuid"] as? String == id)
                let config = try #require(document["config"] as? [String: Any])
                #expect(config["heartbeat_timeout"] as? Int == 300 && config["agent_token_required"] as? Bool == true)
                let token = try #require(config["agent_token"] as? String)
                #expect(token.count >= 40)
                return token
            }
            try await client.execute(uri: "/v1/lookup?node_uuid=\(id)", method: .get, headers: headers("1.62")) { response in
                #expect((jsonObject(response.body)?["config"] as? [String: Any])?["agent_token"] as? String == "******")
            }
            let url = "http://10.0.0.5:9999"
            try await client.execute(uri: "/v1/heartbeat/\(id)", method: .post, headers: headers("1.62"),
                                     body: body(#"{"callback_url": "\#(url)", "agent_token": "wrong"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/heartbeat/\(id)", method: .post, headers: headers("1.62"),
                                     body: body(#"{"callback_url": "\#(url)"}"#)) { response in
                #expect(response.status == .badRequest, "the token is required")
            }
            #expect(try projected(conductor, id).provisionState == .waitCallBack)
            try await client.execute(uri: "/v1/heartbeat/\(id)", method: .post, headers: headers("1.62"),
                                     body: body(#"{"callback_url": "\#(url)", "agent_token": "\#(token)", "agent_version": "9.0"}"#)) { response in
                #expect(response.status == .accepted, "\(faultString(response))")
                #expect(response.body.readableBytes == 0)
            }
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .active)
            try await client.execute(uri: "/v1/lookup?node_uuid=\(id)", method: .get, headers: headers("1.62")) { response in
                #expect(response.status == .notFound, "an active node is not looked up")
            }
        }
    }

    @Test("refusals: below 1.22 404, no address nor uuid 400, unknown MAC 404, fields newer than the version 400, bad URL 400, wrong types 400")
    func refusals() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/lookup?node_uuid=\(id)", method: .get, headers: headers("1.21")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/lookup", method: .get, headers: headers("1.22")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/lookup?addresses=52:54:00:00:00:99", method: .get, headers: headers("1.22")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/lookup?node_uuid=\(id)", method: .get, headers: headers("1.22")) { response in
                #expect(response.status == .notFound, "an enroll node is not looked up")
            }
            for (json, version) in [
                (#"{"callback_url": "http://x:1", "agent_token": "t"}"#, "1.61"),
                (#"{"callback_url": "ftp://x"}"#, "1.22"),
                (#"{}"#, "1.22"),
                (#"{"callback_url": "http://x:1", "agent_status": "sleeping"}"#, "1.72"),
                (#"{"callback_url": "http://x:1", "agent_verify_ca": 1}"#, "1.68"),
                (#"{"callback_url": "http://x:1", "agent_version": ["6"]}"#, "1.36"),
            ] {
                try await client.execute(uri: "/v1/heartbeat/\(id)", method: .post, headers: headers(version), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json)")
                }
            }
            try await client.execute(uri: "/v1/heartbeat/\(id)", method: .post, headers: headers("1.22"),
                                     body: body(#"{"callback_url": "http://x:1"}"#)) { response in
                #expect(response.status == .accepted, "a node not waiting acknowledges and ignores it")
            }
            #expect(try projected(conductor, id).provisionState == .enroll)
        }
    }
}
