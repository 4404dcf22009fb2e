import Domain
import Foundation

/// The boot files one node owns, and the record of them (`<node>/files`): what they boot
/// (``BootPurpose``) and every path written for the node.
///
/// The record is what makes clean-up complete: a port deleted or re-addressed between preparing
/// and cleaning up still has its per-MAC file listed. It is written before the files (listing
/// old and new) and again after (listing the new only), so an interruption anywhere leaves no
/// file that the record does not name.
struct NodeBootFiles: Sendable {
    let node: UUID
    let configuration: BootConfiguration
    let store: BootFileStore

    init(node: UUID, configuration: BootConfiguration) {
        self.node = node
        self.configuration = configuration
        store = BootFileStore(root: configuration.root)
    }

    /// What the node's files boot now, if it has any.
    var purpose: BootPurpose? { record()?.purpose }

    /// Replaces the node's files with `files` (path → content), booting for `purpose`: writes
    /// each atomically, then removes those of the node no longer wanted.
    func install(_ files: [String: String], purpose: BootPurpose) throws(DriverError) {
        let old = record()
        let previous = old?.paths ?? []
        let wanted = files.keys.sorted()
        try writeRecord(old?.purpose ?? purpose, paths: Array(Set(previous).union(wanted)).sorted())
        for path in wanted { try store.write(files[path]!, to: path) }
        for path in previous where files[path] == nil { try store.remove(path) }
        try writeRecord(purpose, paths: wanted)
    }

    /// Removes every file of the node, and `alsoIfOwned` (per-MAC files of its current ports)
    /// where they point at this node; then the node's directory.
    func removeAll(alsoIfOwned candidates: [String] = []) throws(DriverError) {
        for path in record()?.paths ?? [] { try store.remove(path) }
        for path in candidates where store.read(path)?.contains(node.lowercased) == true { try store.remove(path) }
        try store.remove(configuration.manifest(node))
        try store.removeDirectory(configuration.nodeDirectory(node))
    }

    // MARK: The record

    private func record() -> (purpose: BootPurpose, paths: [String])? {
        guard let text = store.read(configuration.manifest(node)) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.first, let purpose = BootPurpose(rawValue: first) else { return nil }
        return (purpose, Array(lines.dropFirst()))
    }

    private func writeRecord(_ purpose: BootPurpose, paths: [String]) throws(DriverError) {
        try store.write(([purpose.rawValue] + paths).joined(separator: "\n") + "\n", to: configuration.manifest(node))
    }
}
