import Domain
import Foundation
import Testing

@Suite("Chassis: decide and evolve")
struct ChassisTests {
    static let uuid = UUID(uuidString: "c1000000-0000-4000-8000-000000000001")!

    static func created(_ fields: [String: JSONValue]) throws -> Chassis {
        guard case .chassisCreated(let chassis)? = try ChassisDecider.create(uuid: uuid, fields: fields).first else {
            throw DomainError.invalidState("not created")
        }
        return chassis
    }

    @Test("create: a description of at most 255 characters and an extra object")
    func create() throws {
        let chassis = try Self.created(["description": "rack", "extra": ["a": 1]])
        #expect(chassis.description == "rack" && chassis.extra == ["a": 1])
        #expect(try Self.created([:]) == Chassis(uuid: Self.uuid))
        for fields: [String: JSONValue] in [["description": .string(String(repeating: "x", count: 256))], ["description": 1], ["extra": "no"], ["name": "x"]] {
            #expect(throws: DomainError.self, "\(fields)") { try ChassisDecider.create(uuid: Self.uuid, fields: fields) }
        }
    }

    @Test("update: JSON Patch on description and extra; nothing changed, no event")
    func update() throws {
        let chassis = try Self.created(["description": "rack"])
        #expect(try ChassisDecider.update(chassis, patch: [["op": "remove", "path": "/description"]]) == [.chassisUpdated(changes: ["description": .null])])
        #expect(try ChassisDecider.update(chassis, patch: [["op": "replace", "path": "/description", "value": "rack"]]) == [])
        #expect(throws: DomainError.self) { try ChassisDecider.update(chassis, patch: [["op": "replace", "path": "/uuid", "value": "x"]]) }
        let evolved = ChassisEvolution.evolve(chassis, .chassisUpdated(changes: ["description": .null, "extra": ["b": 2]]), at: 5)
        #expect(evolved?.description == nil && evolved?.extra == ["b": 2] && evolved?.updatedAt == 5)
    }

    @Test("delete: refused with ChassisNotEmpty (400) while nodes name it")
    func delete() throws {
        let chassis = try Self.created([:])
        #expect(try ChassisDecider.delete(chassis, nodes: 0) == [.chassisDeleted])
        #expect(throws: DomainError.chassisNotEmpty(Self.uuid)) { try ChassisDecider.delete(chassis, nodes: 1) }
        #expect(DomainError.chassisNotEmpty(Self.uuid).httpStatus == 400)
        #expect(ChassisEvolution.evolve(chassis, .chassisDeleted, at: 9) == nil)
    }

    @Test("events round-trip through their payload; streams are chassis/<uuid>")
    func coding() throws {
        for event: ChassisEvent in [.chassisCreated(chassis: Chassis(uuid: Self.uuid, description: "d")), .chassisUpdated(changes: ["extra": [:]]), .chassisDeleted] {
            #expect(try ChassisEvent.decode(payload: try event.encodedPayload()) == event)
        }
        #expect(ChassisStream.chassis(of: ChassisStream.id(Self.uuid)) == Self.uuid && ChassisStream.chassis(of: "node/x") == nil)
    }
}
