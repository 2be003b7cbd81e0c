import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server could not start (the address is taken, not an IPv4 literal, …): what failed and what to do.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) { self.message = message }

    static func system(_ call: String, _ code: Int32) -> HTTPServerError {
        let advice = code == EADDRINUSE ? "; another process listens there: stop it or choose another --listen port" : ""
        return HTTPServerError("\(call) failed: \(SystemCall.describe(errno: code))\(advice)")
    }

    public var description: String { message }
}
