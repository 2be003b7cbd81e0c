import CustomerService
import Foundation
import BackOffice
import CustomerAggregate
import Storefront

/// `serve`: the customer's pages (the links of the emails) over HTTP, with the outbox dispatcher running in the
/// same process so that one process on a fresh machine both answers the links and sends the emails.
enum ServeCommand {
    static let spec = CommandSpec(
        name: "serve",
        summary: "Serve the pages the emails link to, and deliver the outbox meanwhile; Ctrl-C or SIGTERM stops cleanly",
        options: [
            .value("listen", "HOST:PORT", "the IPv4 address and port to listen on (default: 127.0.0.1:8080)"),
            .value("transport", "file|smtp|none", "where the dispatcher delivers (default: file); none runs no dispatcher"),
            .value("dir", "DIR", "file transport: the folder of the .eml files (default: <store>/mail)"),
            .value("smtp-host", "HOST", "smtp transport: the relay (default: 127.0.0.1)"),
            .value("smtp-port", "PORT", "smtp transport: its port (default: 25)"),
            .value("header-timeout", "SECONDS", "how long a request's head may take from its first byte, \(seconds(secondsRange.lowerBound)) to \(seconds(secondsRange.upperBound)) (default: \(seconds(StorefrontServer.defaultHeaderReadTimeout))); a slower client gets 408 and is dropped"),
            .value("idle-timeout", "SECONDS", "how long a connection may wait for its next request, \(seconds(secondsRange.lowerBound)) to \(seconds(secondsRange.upperBound)) (default: \(seconds(StorefrontServer.defaultIdleTimeout)))"),
            .value("session-idle", "DURATION", "a back-office session ends after this long without a request (default: 30m)"),
            .value("session-max-age", "DURATION", "and after this long in any case (default: 12h)"),
            .value("commit-batch", "N", "the most concurrent commands written in one durable commit, 1 to \(Storefront.maximumCommitBatch) (default: \(Storefront.defaultCommitBatch); 1 commits each request on its own)"),
        ],
        readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let (host, port) = try listenAddress(invocation)
        let commitBatch = try invocation.integer("commit-batch", default: Storefront.defaultCommitBatch, range: 1...Storefront.maximumCommitBatch)
        let headerTimeout = try seconds(invocation, "header-timeout", default: StorefrontServer.defaultHeaderReadTimeout)
        let idleTimeout = try seconds(invocation, "idle-timeout", default: StorefrontServer.defaultIdleTimeout)
        let sessions = try sessionPolicy(invocation)
        let dispatching = (invocation.value("transport") ?? "file").lowercased() != "none"
        if !dispatching {
            for option in ["dir", "smtp-host", "smtp-port"] where invocation.value(option) != nil {
                throw CLIError.usage("--\(option) is for a transport; --transport none delivers nothing", command: invocation.command)
            }
        }
        let choice = dispatching ? try OutboxCommands.transportChoice(invocation) : nil
        let json = invocation.global.json
        let service = try invocation.openService(writes: true)
        var dispatcher: OutboxDispatcher?
        if let choice {
            do {
                dispatcher = try service.outboxDispatcher(choice, metadata: invocation.metadata)
            } catch let unusable as OutboxTransportUnusable {
                throw CLIError.usage("\(unusable)", command: invocation.command)
            }
        }

        let backOffice = BackOfficeSite(
            service: service, listenOrigins: ["http://\(host):\(port)"], sessionPolicy: sessions, commitBatch: commitBatch)
        let server = StorefrontServer(
            service: service, host: host, port: port, jsonAccessLog: json, commitBatch: commitBatch,
            headerReadTimeout: headerTimeout, idleTimeout: idleTimeout, additionalRoutes: backOffice.router())
        do {
            try server.start()
        } catch {
            throw CLIError.store("cannot listen on \(host):\(port): \(error)")
        }
        let delivering = dispatcher.map { DispatcherThread.start($0, json: json) }
        let compacting = CompactionThread.start(service, json: json)
        let what = choice.map { "delivering the outbox (\(OutboxCommands.describe($0, service)))" } ?? "not delivering emails"
        // With --json, stderr carries only the access log's JSON Lines.
        if !json { Terminal.err("Serving \(service.storeDirectory.path) on \(server.origin), \(what); Ctrl-C stops.") }

        // Stop accepting and answer what is in flight first, then let the dispatcher finish the email in flight.
        server.waitUntilStopped()
        compacting.stop()
        let failure = delivering?.stop()
        if let failure { throw failure }
        // An erasure whose compaction the compaction thread could not do yet (another process had the store
        // open, or it came in the last moments): do it now that serve no longer needs the store.
        if let compaction = try? service.compactIfPending(), compaction != .notNeeded, !json {
            Terminal.err(compaction == .compacted
                ? "Compacted the data file after an erasure."
                : "The data file still needs compacting after an erasure (another process has the store open): run `customer-es compact`.")
        }
        if !json { Terminal.err("Stopped.") }
    }

    /// The timeouts a server may be given: below a second a real client on a slow link would be cut off; above
    /// ten minutes a dripping or idle client holds one of the bounded connection threads for too long.
    static let secondsRange: ClosedRange<Double> = 1...600

    /// A timeout option in seconds (decimals allowed, e.g. 2.5) within `secondsRange`.
    static func seconds(_ invocation: Invocation, _ name: String, default defaultValue: Double) throws -> Double {
        guard let text = invocation.value(name) else { return defaultValue }
        guard let value = Double(text), value.isFinite, secondsRange.contains(value) else {
            throw CLIError.usage(
                "--\(name) must be a number of seconds from \(seconds(secondsRange.lowerBound)) to \(seconds(secondsRange.upperBound)) (e.g. 10 or 2.5), got \"\(text)\"",
                command: invocation.command)
        }
        return value
    }

    /// `10` rather than `10.0`.
    static func seconds(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    static func sessionPolicy(_ invocation: Invocation) throws -> SessionPolicy {
        func duration(_ name: String, default value: TimeInterval) throws -> TimeInterval {
            guard let text = invocation.value(name) else { return value }
            guard let parsed = StoreSettings.parseDuration(text), parsed > 0 else {
                throw CLIError.usage("--\(name) must be a duration such as 90s, 15m, 2h or 7d, got \"\(text)\"", command: invocation.command)
            }
            return parsed
        }
        return SessionPolicy(
            idleTimeout: try duration("session-idle", default: SessionPolicy.standard.idleTimeout),
            maximumAge: try duration("session-max-age", default: SessionPolicy.standard.maximumAge))
    }

    static func listenAddress(_ invocation: Invocation) throws -> (host: String, port: UInt16) {
        let text = invocation.value("listen") ?? "127.0.0.1:8080"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let isIPv4 = parts.count == 2 && parts[0].split(separator: ".", omittingEmptySubsequences: false).count == 4
            && inet_addr(String(parts[0])) != INADDR_NONE
        guard isIPv4, let port = UInt16(parts[1]), port > 0 else {
            throw CLIError.usage("--listen must be an IPv4 address and a port from 1 to 65535, e.g. 127.0.0.1:8080, got \"\(text)\"", command: invocation.command)
        }
        return (String(parts[0]), port)
    }
}

/// The outbox dispatcher of `serve`, on a thread of its own: it watches the outbox until told to stop, and stops
/// after the email in flight (recorded), like `outbox dispatch --watch`.
final class DispatcherThread: @unchecked Sendable {
    private let dispatcher: OutboxDispatcher
    private let json: Bool
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var stopRequested = false
    private var finished = false
    private var failure: (any Error)?

    private init(dispatcher: OutboxDispatcher, json: Bool) {
        self.dispatcher = dispatcher
        self.json = json
    }

    static func start(_ dispatcher: OutboxDispatcher, json: Bool) -> DispatcherThread {
        let running = DispatcherThread(dispatcher: dispatcher, json: json)
        let thread = Thread { running.run() }
        thread.name = "outbox-dispatcher"
        thread.start()
        return running
    }

    private func run() {
        var failure: (any Error)?
        do {
            _ = try dispatcher.watch(shouldStop: { [self] in condition.withLock { stopRequested } }) { [json] delivery in
                Terminal.out(json ? OutboxCommands.deliveryJSON(delivery).text : OutboxCommands.line(delivery))
            }
        } catch {
            // The pages keep working; the emails stay queued for the next dispatcher.
            Terminal.err("The outbox dispatcher stopped: \(error). The emails stay queued; `customer-es outbox dispatch` delivers them.")
            failure = error
        }
        condition.withLock {
            self.failure = failure
            finished = true
            condition.broadcast()
        }
    }

    /// Asks the dispatcher to stop, waits for it, and returns the error that ended it early, if any.
    func stop() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        stopRequested = true
        while !finished { condition.wait() }
        return failure
    }
}
