import Foundation

/// Counts events (failed token attempts, failed sign-ins, failed API keys, resend requests) per client address in a sliding
/// window and says how long a client must wait once it has reached the limit (429 with `Retry-After`).
///
/// In memory, per process: a restart forgets the counts, and two `serve` processes count separately. That is
/// enough to make guessing tokens or passwords from one address slow (tokens carry 128 random bits and a MAC, so
/// guessing is hopeless anyway; the limit keeps the noise and the hashing cost down). The table holds at most
/// `maximumClients` addresses, so a flood of addresses cannot grow memory without bound: beyond it, expired entries
/// are dropped first, then arbitrary ones (which only ever forgives, never blocks, a client).
public final class ClientRateLimiter: @unchecked Sendable {
    public let limit: Int
    public let window: TimeInterval
    public let maximumClients: Int
    private let clock: @Sendable () -> Date
    // Guarded by `lock`: each client's event times within the window, oldest first (at most `limit`).
    private let lock = NSLock()
    private var events: [String: [Date]] = [:]

    public init(limit: Int, window: TimeInterval, maximumClients: Int = 10_000, clock: @escaping @Sendable () -> Date = { Date() }) {
        precondition(limit > 0 && window > 0, "a rate limit needs a positive count and window")
        self.limit = limit
        self.window = window
        self.maximumClients = maximumClients
        self.clock = clock
    }

    /// Whole seconds `client` must wait before its next attempt counts, or nil when it may go ahead now.
    public func retryAfter(_ client: String) -> Int? {
        let now = clock()
        return lock.withLock {
            let recent = (events[client] ?? []).filter { now.timeIntervalSince($0) < window }
            events[client] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Counts one event of `client`.
    public func record(_ client: String) {
        let now = clock()
        lock.withLock {
            if events[client] == nil && events.count >= maximumClients { makeRoom(now: now) }
            var recent = (events[client] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            events[client] = Array(recent.suffix(limit))
        }
    }

    /// Addresses with events in the table.
    public var clientCount: Int { lock.withLock { events.count } }

    private func makeRoom(now: Date) {
        events = events.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
        while events.count >= maximumClients, let any = events.keys.first { events[any] = nil }
    }
}
