import Foundation

/// How long a back-office session lasts: it ends after `idleTimeout` without a request, and after
/// `maximumAge` whatever happens (a stolen cookie is not good forever). `serve --session-idle` and
/// `--session-max-age` set them.
public struct SessionPolicy: Sendable, Equatable {
    public var idleTimeout: TimeInterval
    public var maximumAge: TimeInterval

    /// 30 minutes idle, 12 hours in all: a working day with breaks, but not overnight.
    public static let standard = SessionPolicy(idleTimeout: 30 * 60, maximumAge: 12 * 3600)

    public init(idleTimeout: TimeInterval, maximumAge: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }

    /// A request refreshes the stored last-use time only when it is older than this (or a tenth of the idle
    /// timeout when that is shorter), so that reading pages does not cost a durable write each.
    var refreshInterval: TimeInterval { min(60, idleTimeout / 10) }
}
