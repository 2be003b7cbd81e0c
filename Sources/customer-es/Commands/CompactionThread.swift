import CustomerService
import Foundation

/// `serve`'s compaction after an erasure, on a thread of its own: a `forget` through the back office or the
/// API (or by another process, which could not compact while serve had the store open) leaves the data file's
/// compaction pending; this thread notices within `pollInterval` and compacts with the store kept open, so the
/// erased bytes leave the file while serve goes on answering (requests wait for the swap, they do not fail).
/// When another process has the store open it cannot compact: it says so once and tries again every
/// `retryInterval`.
final class CompactionThread: @unchecked Sendable {
    /// How soon a pending compaction is noticed (a `stat` of the marker file each time).
    static let pollInterval: TimeInterval = 0.5
    /// How long to wait after another process had the store open (it may be a short command, or a long tail).
    static let retryInterval: TimeInterval = 5

    private let service: CustomerService
    private let json: Bool
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var stopRequested = false
    private var finished = false

    private init(service: CustomerService, json: Bool) {
        self.service = service
        self.json = json
    }

    static func start(_ service: CustomerService, json: Bool) -> CompactionThread {
        let running = CompactionThread(service: service, json: json)
        let thread = Thread { running.run() }
        thread.name = "compaction"
        thread.start()
        return running
    }

    private func run() {
        var saidDeferred = false
        var pause = Self.pollInterval
        while waitOrStop(pause) {
            pause = Self.pollInterval
            do {
                switch try service.compactKeepingStoreOpenIfPending() {
                case .compacted:
                    saidDeferred = false
                    say("Compacted the data file after an erasure; the erased data is gone from it.")
                case .deferred:
                    if !saidDeferred {
                        say("The data file needs compacting after an erasure, but another process has the store open; retrying every \(Int(Self.retryInterval)) s.")
                        saidDeferred = true
                    }
                    pause = Self.retryInterval
                case .notNeeded:
                    break
                }
            } catch {
                say("Compacting the data file after an erasure failed: \(error). Retrying in \(Int(Self.retryInterval)) s.")
                pause = Self.retryInterval
            }
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// Waits `seconds` or until told to stop; false once stopping.
    private func waitOrStop(_ seconds: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !stopRequested, condition.wait(until: deadline) {}
        return !stopRequested
    }

    /// With `--json`, stderr carries only the access log's JSON Lines.
    private func say(_ line: String) {
        if !json { Terminal.err(line) }
    }

    /// Asks the thread to stop and waits for it (a compaction in progress finishes first).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopRequested = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
