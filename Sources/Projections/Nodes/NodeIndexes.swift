import Domain
import EventStore
import Foundation

/// Keeps the fleet-wide unique indexes (names, MACs, port names, connectors, resource owners)
/// in step with a node's aggregate, by the difference between its state before and after.
enum NodeIndexes {
    struct Entries: Equatable {
        var names: [[UInt8]: [UInt8]] = [:]
        var macs: [[UInt8]: [UInt8]] = [:]
        var portNames: [[UInt8]: [UInt8]] = [:]
        var connectors: [[UInt8]: [UInt8]] = [:]
        var resources: [[UInt8]: [UInt8]] = [:]
        var bindings: [[UInt8]: [UInt8]] = [:]
        var volumes: [[UInt8]: [UInt8]] = [:]

        /// Each kind of entry with the database it goes to.
        func tables(_ tables: NodeTables) -> [([[UInt8]: [UInt8]], Database)] {
            [(names, tables.names), (macs, tables.macs), (portNames, tables.portNames), (connectors, tables.connectors),
             (resources, tables.resources), (bindings, tables.bindings), (volumes, tables.volumes)]
        }

        mutating func merge(_ other: Entries) {
            names.merge(other.names) { _, new in new }
            macs.merge(other.macs) { _, new in new }
            portNames.merge(other.portNames) { _, new in new }
            connectors.merge(other.connectors) { _, new in new }
            resources.merge(other.resources) { _, new in new }
            bindings.merge(other.bindings) { _, new in new }
            volumes.merge(other.volumes) { _, new in new }
        }
    }

    private static let encoder = JSONValueEncoder()

    /// The index entries an aggregate owns.
    static func entries(of aggregate: NodeAggregate?) -> Entries {
        var entries = Entries()
        guard let aggregate, !aggregate.deleted else { return entries }
        let node = aggregate.uuid
        if let name = aggregate.node.name { entries.names[Array(name.utf8)] = NodeTables.key(node) }
        for port in aggregate.ports.values {
            entries.macs[Array(port.address.utf8)] = NodeTables.pair(node, port.uuid)
            if let name = port.name { entries.portNames[Array(name.utf8)] = NodeTables.pair(node, port.uuid) }
            entries.resources[NodeTables.key(port.uuid)] = NodeTables.key(node)
        }
        for group in aggregate.portGroups.values {
            if let address = group.address { entries.macs[Array(address.utf8)] = NodeTables.pair(node, group.uuid) }
            if let name = group.name { entries.portNames[Array(name.utf8)] = NodeTables.pair(node, group.uuid) }
            entries.resources[NodeTables.key(group.uuid)] = NodeTables.key(node)
        }
        for connector in aggregate.volumeConnectors.values {
            entries.connectors[NodeTables.connectorKey(type: connector.type, id: connector.connectorID)] = NodeTables.pair(node, connector.uuid)
            entries.resources[NodeTables.key(connector.uuid)] = NodeTables.key(node)
        }
        for target in aggregate.volumeTargets.values {
            entries.resources[NodeTables.key(target.uuid)] = NodeTables.key(node)
        }
        for (uuid, row) in aggregate.bindingRows {
            entries.bindings[NodeTables.key(uuid)] = (try? encoder.encode(row)) ?? []
        }
        for (uuid, row) in aggregate.volumeRows {
            entries.volumes[NodeTables.key(uuid)] = (try? encoder.encode(row)) ?? []
        }
        return entries
    }

    static func update(node: UUID, from before: NodeAggregate?, to after: NodeAggregate?, in transaction: WriteTransaction, tables: NodeTables) throws {
        let old = entries(of: before), new = entries(of: after)
        guard old != new else { return }
        for ((before, database), (after, _)) in zip(old.tables(tables), new.tables(tables)) {
            try sync(before, after, database, transaction)
        }
    }

    private static func sync(_ old: [[UInt8]: [UInt8]], _ new: [[UInt8]: [UInt8]], _ database: Database, _ transaction: WriteTransaction) throws {
        for key in old.keys where new[key] == nil {
            // Only remove an entry this node still owns: another node may hold it by now.
            if try transaction.reader.value(forKey: key, in: database) == old[key] { try transaction.delete(key, in: database) }
        }
        for (key, value) in new where old[key] != value { try transaction.put(value, forKey: key, in: database) }
    }
}
