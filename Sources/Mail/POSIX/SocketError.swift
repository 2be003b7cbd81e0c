import SystemCalls

/// Why a socket operation failed, without context; `SMTPConnection` adds the host, port and what it was doing.
struct SocketError: Error, Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        case cannotResolve(String)
        case connectionRefused
        case timedOut
        case closedByPeer
        case system(call: String, errno: Int32)
    }

    let reason: Reason

    init(_ reason: Reason) { self.reason = reason }

    /// Lower-case phrase to complete "… because …".
    var explanation: String {
        switch reason {
        case .cannotResolve(let detail): "the host name cannot be resolved (\(detail))"
        case .connectionRefused: "the connection was refused"
        case .timedOut: "it timed out"
        case .closedByPeer: "the server closed the connection"
        case .system(let call, let code): SystemCallError(call: call, errno: code).description
        }
    }
}
