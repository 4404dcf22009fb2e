import Foundation

/// Work for the writer thread.
enum WriterJob: Sendable {
    /// Appends waiting to be group-committed.
    case append(PendingAppend)
    /// A consumer's own write transaction (a catch-up projection, a checkpoint, a schema step).
    case transaction(TransactionJob)
}

/// An append waiting for its commit, with the task to resume once it is durable.
struct PendingAppend: Sendable {
    let appends: [StreamAppend]
    let condition: (any AppendCondition)?
    let eventCount: Int
    let continuation: CheckedContinuation<AppendResult, any Error>
}

/// A write transaction submitted by a consumer: `run` does the work, `finish` reports the outcome
/// once the transaction has committed or failed.
struct TransactionJob: @unchecked Sendable {
    let run: (WriteTransaction) throws -> Void
    let finish: ((any Error)?) -> Void
}

/// The single thread that owns every write transaction.
///
/// Appenders enqueue and suspend; the thread takes everything waiting, commits it in one durable
/// transaction and resumes them all (group commit). LMDB allows one writer at a time, so one
/// thread that never suspends is both the simplest and the fastest owner.
final class CommitWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [WriterJob] = []
    private var stopping = false
    private let stopped = DispatchSemaphore(value: 0)
    private let process: ([WriterJob]) -> Void
    private let idle: () -> Void

    /// Starts the thread; `process` runs on it for each batch of jobs, and `idle` whenever the
    /// queue has run dry (and once more before the thread ends).
    init(name: String, process: @escaping ([WriterJob]) -> Void, idle: @escaping () -> Void) {
        self.process = process
        self.idle = idle
        let thread = Thread { [self] in
            Thread.current.name = name // set from inside, so the OS thread carries it too
            runLoop()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a job; throws ``EventStoreError/closed`` once the writer is stopping.
    func enqueue(_ job: WriterJob) throws(EventStoreError) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw .closed }
        queue.append(job)
        condition.signal()
    }

    /// Finishes every queued job, then ends the thread. Waits for it to end.
    func stop() {
        condition.lock()
        let alreadyStopping = stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if !alreadyStopping { stopped.wait() }
    }

    private func runLoop() {
        while true {
            condition.lock()
            if queue.isEmpty {
                condition.unlock()
                idle()
                condition.lock()
            }
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                idle()
                stopped.signal()
                return
            }
            let jobs = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            process(jobs)
        }
    }
}
