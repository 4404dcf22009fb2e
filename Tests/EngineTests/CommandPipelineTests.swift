import Domain
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// The command pipeline end to end: decide on the projected state, seal, append with the node's
/// expected version and the fleet's uniqueness rules checked by the writer, project inline, answer.
@Suite("Command pipeline")
struct CommandPipelineTests {
    // MARK: Read-your-writes

    @Test("an enrolled node is readable as soon as enroll returns")
    func enrollThenRead() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let uuid = UUID()
        let outcome = try await live.handler.handle(
            .enroll(uuid: uuid, fields: enrollFields(name: "rack1-node1", extra: ["rack": "r1"])),
            node: uuid, metadata: requestMetadata()
        )
        let read = try #require(try live.handler.aggregate(uuid))
        #expect(read.uuid == uuid)
        #expect(read.node.name == "rack1-node1")
        #expect(read.node.driver == "fake-hardware")
        #expect(read.node.extra == ["rack": "r1"])
        #expect(read.node.provisionState == .enroll)
        #expect(read.version == 1)
        #expect(outcome.node == read)
        #expect(outcome.events.count == 1)
        #expect(outcome.positions.count == 1)
        let enrolled = try #require(try live.store.event(at: outcome.positions[0]))
        #expect(enrolled.type == "NodeEnrolled")
        #expect(read.node.createdAt == enrolled.recordedAtMicroseconds)
    }

    @Test("a change is readable as soon as the command returns, and the version follows the stream")
    func updateThenRead() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let uuid = UUID()
        try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "n1")), node: uuid, metadata: requestMetadata())
        for step in 1...10 {
            let patch: JSONValue = [["op": "add", "path": "/extra/step", "value": .number(Double(step))]]
            let outcome = try await live.handler.handle(.update(patch: patch), node: uuid, metadata: requestMetadata())
            let read = try #require(try live.handler.aggregate(uuid))
            #expect(read.node.extra["step"] == .number(Double(step)))
            #expect(read.version == UInt64(step + 1))
            #expect(read.version == (try live.store.version(ofStream: NodeStream.id(uuid))))
            #expect(outcome.node == read)
        }
    }

    @Test("concurrent enrolls of different nodes each read their own write")
    func concurrentReadYourWrites() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let seen = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let uuid = UUID()
                    try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "node-\(index)")), node: uuid, metadata: requestMetadata())
                    let read = try live.handler.aggregate(uuid)
                    return read?.node.name == "node-\(index)" && read?.version == 1
                }
            }
            var all: [Bool] = []
            for try await ok in group { all.append(ok) }
            return all
        }
        #expect(seen.count == 32)
        #expect(seen.allSatisfy { $0 })
        #expect(try live.projectedFleet().count == 32)
    }

    @Test("a node deleted is gone from reads as soon as delete returns")
    func deleteThenRead() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let uuid = UUID()
        try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "doomed")), node: uuid, metadata: requestMetadata())
        let outcome = try await live.handler.handle(.delete, node: uuid, metadata: requestMetadata())
        #expect(outcome.node == nil)
        #expect(try live.handler.aggregate(uuid) == nil)
        // The name is free again at once.
        let other = UUID()
        try await live.handler.handle(.enroll(uuid: other, fields: enrollFields(name: "doomed")), node: other, metadata: requestMetadata())
        #expect(try live.handler.aggregate(other)?.node.name == "doomed")
    }

    @Test("a deleted node's UUID can be enrolled again, and its stream keeps the whole history")
    func reenrolAfterDelete() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let uuid = UUID()
        try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "phoenix")), node: uuid, metadata: requestMetadata())
        try await live.handler.handle(.delete, node: uuid, metadata: requestMetadata())
        try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "phoenix")), node: uuid, metadata: requestMetadata())
        #expect(try live.handler.aggregate(uuid)?.node.name == "phoenix")
        #expect(try live.store.events(ofStream: NodeStream.id(uuid)).map(\.type) == ["NodeEnrolled", "NodeDeleted", "NodeEnrolled"])
        await #expect(throws: DomainError.nodeAlreadyExists(uuid)) {
            try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "other")), node: uuid, metadata: requestMetadata())
        }
    }

    // MARK: Fleet-wide uniqueness under concurrency

    @Test("one name enrolled concurrently by 20 different nodes: exactly one wins, the rest are told duplicateName")
    func duplicateNameRace() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let contenders = (0..<20).map { _ in UUID() }
        let results = await withTaskGroup(of: (UUID, Result<NodeCommandHandler.Outcome, any Error>).self) { group in
            for uuid in contenders {
                group.addTask {
                    do {
                        let outcome = try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "contested")), node: uuid, metadata: requestMetadata())
                        return (uuid, .success(outcome))
                    } catch {
                        return (uuid, .failure(error))
                    }
                }
            }
            var all: [(UUID, Result<NodeCommandHandler.Outcome, any Error>)] = []
            for await result in group { all.append(result) }
            return all
        }
        let winners = results.filter { if case .success = $0.1 { true } else { false } }.map(\.0)
        #expect(winners.count == 1)
        let otherErrors = unexpectedFailures(results.map(\.1), expected: .duplicateName("contested"))
        #expect(otherErrors.isEmpty, "losers failed otherwise than duplicateName: \(otherErrors)")
        let winner = try #require(winners.first)
        let fleet = try live.projectedFleet()
        #expect(Array(fleet.keys) == [winner])
        #expect(ProjectedFleet(store: live.store, tables: live.projections.nodes.tables).node(named: "contested") == winner)
        let enrolled = try live.allEvents().filter { $0.type == "NodeEnrolled" }
        #expect(enrolled.map(\.streamID) == [NodeStream.id(winner)])
    }

    @Test("one MAC created concurrently on 20 different nodes: exactly one port exists, the rest are told duplicateMAC")
    func duplicateMACRace() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let nodes = (0..<20).map { _ in UUID() }
        for (index, node) in nodes.enumerated() {
            try await live.handler.handle(.enroll(uuid: node, fields: enrollFields(name: "mac-node-\(index)")), node: node, metadata: requestMetadata())
        }
        // The same address in the spellings Ironic accepts: all normalize to one MAC.
        let spellings = ["52:54:00:AA:BB:CC", "52-54-00-aa-bb-cc", "52:54:00:aa:bb:cc", "52-54-00-AA-BB-CC"]
        let results = await withTaskGroup(of: (UUID, UUID, Result<NodeCommandHandler.Outcome, any Error>).self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    let port = UUID()
                    let fields: [String: JSONValue] = ["address": .string(spellings[index % spellings.count])]
                    do {
                        let outcome = try await live.handler.handle(.createPort(uuid: port, fields: fields), node: node, metadata: requestMetadata())
                        return (node, port, .success(outcome))
                    } catch {
                        return (node, port, .failure(error))
                    }
                }
            }
            var all: [(UUID, UUID, Result<NodeCommandHandler.Outcome, any Error>)] = []
            for await result in group { all.append(result) }
            return all
        }
        let winners = results.filter { if case .success = $0.2 { true } else { false } }
        #expect(winners.count == 1)
        let otherErrors = unexpectedFailures(results.map(\.2), expected: .duplicateMAC("52:54:00:aa:bb:cc"))
        #expect(otherErrors.isEmpty, "losers failed otherwise than duplicateMAC: \(otherErrors)")
        let (winnerNode, winnerPort, _) = try #require(winners.first)
        let fleet = try live.projectedFleet()
        let ports = fleet.values.flatMap { $0.ports.values }
        #expect(ports.map(\.uuid) == [winnerPort])
        #expect(ports.first?.address == "52:54:00:aa:bb:cc")
        #expect(ports.first?.nodeUUID == winnerNode)
        #expect(ProjectedFleet(store: live.store, tables: live.projections.nodes.tables).owner(ofMAC: "52:54:00:aa:bb:cc") == winnerPort)
        #expect(try live.allEvents().filter { $0.type == "PortCreated" }.map(\.streamID) == [NodeStream.id(winnerNode)])
    }

    @Test("one volume connector id created concurrently on 20 different nodes: exactly one wins, the rest are told duplicateVolumeConnector")
    func duplicateConnectorRace() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let nodes = (0..<20).map { _ in UUID() }
        for (index, node) in nodes.enumerated() {
            try await live.handler.handle(.enroll(uuid: node, fields: enrollFields(name: "iqn-node-\(index)")), node: node, metadata: requestMetadata())
        }
        let connectorID = "iqn.2024-01.io.ironlog:shared"
        let results = await withTaskGroup(of: (UUID, UUID, Result<NodeCommandHandler.Outcome, any Error>).self) { group in
            for node in nodes {
                group.addTask {
                    let connector = UUID()
                    let fields: [String: JSONValue] = ["type": "iqn", "connector_id": .string(connectorID)]
                    do {
                        let outcome = try await live.handler.handle(.createVolumeConnector(uuid: connector, fields: fields), node: node, metadata: requestMetadata())
                        return (node, connector, .success(outcome))
                    } catch {
                        return (node, connector, .failure(error))
                    }
                }
            }
            var all: [(UUID, UUID, Result<NodeCommandHandler.Outcome, any Error>)] = []
            for await result in group { all.append(result) }
            return all
        }
        let winners = results.filter { if case .success = $0.2 { true } else { false } }
        #expect(winners.count == 1)
        let otherErrors = unexpectedFailures(results.map(\.2), expected: .duplicateVolumeConnector(type: "iqn", connectorID: connectorID))
        #expect(otherErrors.isEmpty, "losers failed otherwise than duplicateVolumeConnector: \(otherErrors)")
        let (winnerNode, winnerConnector, _) = try #require(winners.first)
        let connectors = try live.projectedFleet().values.flatMap { $0.volumeConnectors.values }
        #expect(connectors.map(\.uuid) == [winnerConnector])
        #expect(connectors.first?.nodeUUID == winnerNode)
        #expect(ProjectedFleet(store: live.store, tables: live.projections.nodes.tables).volumeConnector(type: "iqn", connectorID: connectorID) == winnerConnector)
        #expect(try live.allEvents().filter { $0.type == "VolumeConnectorCreated" }.map(\.streamID) == [NodeStream.id(winnerNode)])
    }

    // MARK: Audit metadata

    @Test("actor, project and request id land on every envelope a command writes")
    func metadataOnEveryEnvelope() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        var expected: [UInt64: EventMetadata] = [:]
        func run(_ command: NodeCommand, _ node: UUID, actor: String, project: String) async throws {
            let metadata = requestMetadata(actor: actor, project: project)
            let outcome = try await live.handler.handle(command, node: node, metadata: metadata, origin: .engine)
            for position in outcome.positions { expected[position] = metadata }
        }
        let first = UUID(), second = UUID()
        try await run(.enroll(uuid: first, fields: enrollFields(name: "audited-1", driverInfo: ["ipmi_password": "pw"])), first, actor: "alice", project: "p-a")
        try await run(.enroll(uuid: second, fields: enrollFields(name: "audited-2")), second, actor: "bob", project: "p-b")
        try await run(.setMaintenance(reason: "disk swap", fault: "power failure"), first, actor: "alice", project: "p-a") // two events
        try await run(.update(patch: [["op": "add", "path": "/extra/owner", "value": "bob"]]), second, actor: "bob", project: "p-b")
        try await run(.createVolumeConnector(uuid: UUID(), fields: ["type": "iqn", "connector_id": "iqn.2024-01.io.ironlog:audit"]), second, actor: "carol", project: "p-c")
        try await run(.requestPower(target: .on, timeout: nil), first, actor: "reactor:power", project: "service")
        try await run(.recordPowerState(.on), first, actor: "reactor:power", project: "service")
        try await run(.provision(verb: .manage, arguments: ProvisionArguments()), second, actor: "bob", project: "p-b")
        try await run(.advance(event: .done, error: nil), second, actor: "reactor:provision", project: "service")
        try await run(.clearMaintenance, first, actor: "alice", project: "p-a")
        try await run(.delete, first, actor: "alice", project: "p-a")

        let events = try live.allEvents()
        #expect(events.count == expected.count)
        #expect(events.count == 12)
        for event in events {
            let metadata = try #require(expected[event.position], "position \(event.position) was not written by any command")
            #expect(event.metadata == metadata, "position \(event.position) (\(event.type))")
            #expect(event.metadata.actor != nil && event.metadata.project != nil && event.metadata.requestID != nil)
        }
        // Each request id is on exactly the envelopes of its command.
        let byRequest = Dictionary(grouping: events, by: { $0.metadata.requestID! })
        #expect(byRequest.count == 11)
        #expect(byRequest.values.map(\.count).sorted() == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2])
    }

    // MARK: Optimistic concurrency on one node

    @Test("many concurrent power requests on one node: each either lands exactly once or is refused; none is lost")
    func staleVersionRace() async throws {
        let live = try await LiveEngineFixture.open("pipeline")
        let node = UUID()
        try await live.handler.handle(.enroll(uuid: node, fields: enrollFields(name: "hot-node")), node: node, metadata: requestMetadata())
        let targets: [PowerTarget] = [.on, .off, .rebooting]
        let requests = 48
        let results = await withTaskGroup(of: (Int, Result<NodeCommandHandler.Outcome, any Error>).self) { group in
            for index in 0..<requests {
                group.addTask {
                    let metadata = requestMetadata(requestID: "power-\(index)")
                    do {
                        let outcome = try await live.handler.handle(.requestPower(target: targets[index % targets.count], timeout: nil), node: node, metadata: metadata)
                        return (index, .success(outcome))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var all: [(Int, Result<NodeCommandHandler.Outcome, any Error>)] = []
            for await result in group { all.append(result) }
            return all
        }
        var succeeded: [Int: [UInt64]] = [:]
        for (index, result) in results {
            switch result {
            case .success(let outcome):
                #expect(outcome.positions.count == 1, "request \(index) wrote \(outcome.positions.count) events")
                succeeded[index] = outcome.positions
            case .failure(let error):
                // Losing the race too often is a refusal the client can retry, never a storage error.
                #expect(error is DomainError, "request \(index) failed with \(error)")
            }
        }
        #expect(!succeeded.isEmpty)
        let stream = try live.store.events(ofStream: NodeStream.id(node))
        let requested = stream.filter { $0.type == "PowerActionRequested" }
        #expect(requested.count == succeeded.count)
        #expect(Set(requested.map(\.position)) == Set(succeeded.values.flatMap { $0 }))
        // Every request that landed is there once, under its own request id, with its own target.
        #expect(Set(requested.compactMap(\.metadata.requestID)) == Set(succeeded.keys.map { "power-\($0)" }))
        #expect(requested.count == Set(requested.compactMap(\.metadata.requestID)).count)
        for event in requested {
            let index = try #require(event.metadata.requestID.flatMap { Int($0.dropFirst("power-".count)) })
            #expect(try NodeEvent.decode(payload: event.payload) == .powerActionRequested(target: targets[index % targets.count], timeout: nil))
        }
        // The stream is gapless and the projection is at its tip.
        #expect(stream.map(\.streamVersion) == Array(1...UInt64(stream.count)))
        let projected = try #require(try live.handler.aggregate(node))
        #expect(projected.version == UInt64(stream.count))
        let last = try #require(requested.last.flatMap { $0.metadata.requestID }.flatMap { Int($0.dropFirst("power-".count)) })
        #expect(projected.node.targetPowerState == targets[last % targets.count].targetPowerState)
    }
}

/// The failures among `results` that are not `expected`, described once each.
private func unexpectedFailures(_ results: [Result<NodeCommandHandler.Outcome, any Error>], expected: DomainError) -> [String] {
    var seen = Set<String>()
    for result in results {
        guard case .failure(let error) = result, error as? DomainError != expected else { continue }
        seen.insert("\(type(of: error)): \(error)")
    }
    return seen.sorted()
}
