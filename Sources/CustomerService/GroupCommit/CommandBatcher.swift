import CustomerAggregate
import EventStore
import Foundation

/// Group commit: commands submitted from many threads at once are decided and appended in one write transaction
/// (one durable commit) instead of one commit each.
///
/// A submitting thread enqueues its command and waits. One writer thread takes everything queued (up to
/// `maximumBatch`), runs the commands one after the other inside a single `store.write`, and wakes each waiter
/// only after that transaction has committed, so no caller hears of success before its events are durable.
/// While one batch commits, the next requests queue up and form the next batch: under load the commits per second
/// stay about the same while the commands per commit grow.
///
/// Wake-ups are targeted: a submission wakes only the writer, and a committed batch wakes exactly its own
/// waiters (each waits on its command's own semaphore). A shared condition broadcast instead would wake every
/// waiting request thread on every submission, which under 64 concurrent requests costs more CPU than the
/// commands themselves.
///
/// Each command keeps its own outcome: a `DomainError` (a refused command) is that command's answer and the others
/// still land — as in `createMany`, a command decides before it writes, so a refused one has written nothing. Any
/// other error (the store failed) aborts the transaction, and every command of the batch gets that error.
public final class CommandBatcher: @unchecked Sendable {
    public let store: EventStore
    public let maximumBatch: Int
    // Guarded by `condition`, on which only the writer waits.
    private let condition = NSCondition()
    private var queue: [any BatchedCommand] = []
    private var writerStarted = false
    private var committedBatches = 0

    public init(store: EventStore, maximumBatch: Int = 256) {
        precondition(maximumBatch > 0, "a batch holds at least one command")
        self.store = store
        self.maximumBatch = maximumBatch
    }

    /// Runs `body` inside a write transaction shared with the other commands queued meanwhile; returns once that
    /// transaction is durable. `body` must throw `DomainError` only before it writes anything.
    public func submit<Outcome>(_ body: @escaping (StoreWriter) throws -> Outcome) throws -> Outcome {
        let command = QueuedCommand(body)
        condition.lock()
        queue.append(command)
        if !writerStarted {
            writerStarted = true
            let thread = Thread { [self] in writerLoop() }
            thread.name = "group-commit-writer"
            thread.start()
        }
        condition.signal()
        condition.unlock()
        return try command.waitForAnswer().get()
    }

    /// Write transactions committed so far (for tests and benchmarks: fewer than the commands under load).
    public var commitCount: Int { condition.withLock { committedBatches } }

    /// Commands queued for the next batch now (for tests: what a batch will hold once the writer is free).
    public var waitingCount: Int { condition.withLock { queue.count } }

    private func writerLoop() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let batch = Array(queue.prefix(maximumBatch))
            queue.removeFirst(batch.count)
            condition.unlock()

            let failure: (any Error)?
            do {
                try store.write { writer in
                    for command in batch { try command.decide(in: writer) }
                }
                failure = nil
            } catch {
                failure = error
            }
            if failure == nil { condition.withLock { committedBatches += 1 } }
            for command in batch { command.finish(storeFailure: failure) }
        }
    }
}

/// One queued command, its type erased so that commands with different outcomes share a batch.
private protocol BatchedCommand: AnyObject {
    /// Runs the command; a `DomainError` is kept as its answer, any other error is rethrown (it fails the batch).
    func decide(in writer: StoreWriter) throws
    /// Publishes the answer once the transaction has ended (the decided one if it committed, else
    /// `storeFailure`) and wakes the command's waiter.
    func finish(storeFailure: (any Error)?)
}

private final class QueuedCommand<Outcome>: BatchedCommand {
    private let body: (StoreWriter) throws -> Outcome
    private var decided: Result<Outcome, any Error>?
    /// Written by the writer before it signals `answered`; read by the waiter only after that signal.
    private var answer: Result<Outcome, any Error>?
    private let answered = DispatchSemaphore(value: 0)

    init(_ body: @escaping (StoreWriter) throws -> Outcome) { self.body = body }

    func decide(in writer: StoreWriter) throws {
        do {
            decided = .success(try body(writer))
        } catch let refused as DomainError {
            decided = .failure(refused)
        }
    }

    func finish(storeFailure: (any Error)?) {
        if let storeFailure {
            answer = .failure(storeFailure)
        } else {
            answer = decided ?? .failure(CommandNotRun())
        }
        answered.signal()
    }

    /// Blocks until `finish` has run; its answer.
    func waitForAnswer() -> Result<Outcome, any Error> {
        answered.wait()
        return answer ?? .failure(CommandNotRun())
    }
}

/// A command of a batch whose transaction ended before it ran (cannot happen while `decide` runs every command).
struct CommandNotRun: Error, CustomStringConvertible {
    var description: String { "the command was not run: its write transaction ended early" }
}
