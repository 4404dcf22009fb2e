import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash safety, tested for real: a child process appends as fast as it can and is killed with
/// SIGKILL at a random moment, again and again; after every kill each append the child had
/// reported as acknowledged must be in the log at the position it was given, the log must
/// verify, and appending must continue where it stopped.
///
/// The moment of each kill is "after the parent has read N acknowledgements", N drawn from a
/// seeded generator — random, reproducible, and independent of how fast the machine is.
public struct CrashTrials: Sendable {
    /// How the trials went.
    public struct Outcome: Sendable {
        /// Children killed.
        public var kills: Int
        /// Acknowledged appends checked after the kills.
        public var acknowledged: Int
        /// The log's head after the last kill.
        public var head: UInt64
    }

    /// A broken promise found after a kill.
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `ironlog` executable that runs `bench append-child`.
    public var executable: String
    /// The data directory the children append to.
    public var directory: String
    /// How many times to kill.
    public var kills: Int
    /// Seed of the kill moments.
    public var seed: UInt64
    /// A kill comes after 1 to this many acknowledgements.
    public var maxAcknowledgementsBeforeKill = 300
    /// Concurrent appenders in the child.
    public var writers = 16

    /// Creates trials.
    public init(executable: String, directory: String, kills: Int, seed: UInt64 = 0x1D0_C0FFEE) {
        self.executable = executable
        self.directory = directory
        self.kills = kills
        self.seed = seed
    }

    /// Runs every trial; throws a ``Violation`` naming the first broken promise.
    public func run(progress: (String) -> Void = { _ in }) throws -> Outcome {
        var random = SplitMix64(seed: seed)
        var acknowledged: [(position: UInt64, eventID: UUID)] = []
        var head: UInt64 = 0
        for kill in 1...kills {
            let target = Int(random.next() % UInt64(maxAcknowledgementsBeforeKill)) + 1
            let acks = try runChild(killAfter: target)
            acknowledged += acks
            head = try check(acknowledged, after: kill, previousHead: head)
            progress("kill \(kill)/\(kills): \(acks.count) acknowledged before SIGKILL, head \(head), log verified")
        }
        return Outcome(kills: kills, acknowledged: acknowledged.count, head: head)
    }

    /// Starts a child, reads its acknowledgements, kills it after `killAfter` of them.
    private func runChild(killAfter: Int) throws -> [(position: UInt64, eventID: UUID)] {
        let output = try ChildPipe(), errors = try ChildPipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(executable, ["bench", "append-child", "--data", directory, "--writers", String(writers)],
                                     standardOutput: .descriptor(output.writeEnd), standardError: .descriptor(errors.writeEnd))
        } catch {
            output.closeReading()
            errors.closeReading()
            throw error
        }
        // Only the child may hold the write ends, so that its death ends our reads.
        output.closeWriting()
        errors.closeWriting()
        defer {
            output.closeReading()
            errors.closeReading()
        }
        var buffer = [UInt8]()
        var acks: [(UInt64, UUID)] = []
        let descriptor = output.readEnd
        var chunk = [UInt8](repeating: 0, count: 65_536)
        reading: while acks.count < killAfter {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break reading }
            buffer += chunk[0..<count]
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                acks.append(try parse(line))
            }
        }
        let stillRunning = child.isRunning
        child.send(SIGKILL)
        let ended = child.waitBlocking()
        // Lines the child finished writing before it died are acknowledgements too.
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            buffer += chunk[0..<count]
        }
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: buffer[..<newline], as: UTF8.self)
            buffer.removeSubrange(...newline)
            acks.append(try parse(line))
        }
        if acks.count < killAfter && !stillRunning {
            throw Violation(description: "the appending child exited by itself (\(ended)): \(errors.readToEnd())")
        }
        return acks
    }

    private func parse(_ line: String) throws -> (UInt64, UUID) {
        let fields = line.split(separator: " ")
        guard fields.count == 3, fields[0] == "ack", let position = UInt64(fields[1]), let id = UUID(uuidString: String(fields[2])) else {
            throw Violation(description: "unreadable line from the child: \(line)")
        }
        return (position, id)
    }

    /// Opens the store as a restarted server would and checks every promise.
    private func check(_ acknowledged: [(position: UInt64, eventID: UUID)], after kill: Int, previousHead: UInt64) throws -> UInt64 {
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .durable))
        defer { store.close() }
        for ack in acknowledged {
            guard let position = try store.position(ofEvent: ack.eventID) else {
                throw Violation(description: "after kill \(kill): acknowledged event \(ack.eventID) (position \(ack.position)) is missing")
            }
            guard position == ack.position else {
                throw Violation(description: "after kill \(kill): event \(ack.eventID) was acknowledged at \(ack.position) but is at \(position)")
            }
        }
        let report = try store.verify()
        if let problem = report.firstProblem {
            throw Violation(description: "after kill \(kill): the log does not verify: \(problem)")
        }
        guard report.head.position >= previousHead else {
            throw Violation(description: "after kill \(kill): the head went back from \(previousHead) to \(report.head.position)")
        }
        return report.head.position
    }
}

/// A small, fast, seedable generator (SplitMix64), for reproducible random choices in trials and
/// tests: the same seed gives the same sequence on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
