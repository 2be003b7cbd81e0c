import Foundation

/// Connections beyond the bound: answered at once with 503 and `Retry-After`, then kept for a moment on the accept
/// thread (reading and dropping what the client sends) so that closing does not reset the connection before the
/// client has read the 503. No thread is spent on them.
final class RejectedConnections {
    private var lingering: [(fd: Int32, deadline: ContinuousClock.Instant)] = []
    private let answer: [UInt8]
    private let accessLog: AccessLog?
    private var scratch = [UInt8](repeating: 0, count: 4096)

    init(configuration: HTTPServerConfiguration) {
        let response = HTTPError(
            .serviceUnavailable, "the server is busy; retry in \(configuration.retryAfterSeconds) s",
            headers: ["Retry-After": String(configuration.retryAfterSeconds)]
        ).response
        answer = ResponseSerializer.serialize(
            response, includeBody: true, keepAlive: false, version: .http1_1, defaults: configuration.responseHeaders)
        accessLog = configuration.accessLog
    }

    var isEmpty: Bool { lingering.isEmpty }
    var descriptors: [Int32] { lingering.map(\.fd) }

    /// Sends the 503 without waiting (a fresh socket's send buffer takes it whole) and starts lingering.
    func reject(_ fd: Int32) {
        let started = ContinuousClock.now
        let sent = Socket.sendAll(fd, answer, until: started)
        accessLog?.record(AccessLogEntry(
            time: Date(), method: "-", path: "-", status: 503, duration: started.duration(to: .now), bytes: sent ? answer.count : 0))
        Socket.shutdownWriting(fd)
        if lingering.count < HTTPLimits.maxLingeringRejections {
            lingering.append((fd, started + .seconds(HTTPLimits.lingerSeconds)))
        } else {
            Socket.close(fd)
        }
    }

    /// Drains the readable ones, closes those whose client has finished or whose time is up.
    func service(readable: [Int32]) {
        let now = ContinuousClock.now
        let readableSet = Set(readable)
        lingering.removeAll { entry in
            var done = now >= entry.deadline
            if !done && readableSet.contains(entry.fd) {
                if case .bytes = Socket.receive(entry.fd, into: &scratch) {} else { done = true }
            }
            if done { Socket.close(entry.fd) }
            return done
        }
    }

    func closeAll() {
        for entry in lingering { Socket.close(entry.fd) }
        lingering.removeAll()
    }
}
