import Foundation

/// An HTTP/1.1 server on POSIX sockets that knows nothing of what it serves: it parses and bounds requests,
/// runs the `Router`'s handlers and writes their answers.
///
/// Concurrency: one thread per connection, up to `maxConnections`. Handlers are synchronous and may block (an
/// LMDB write transaction must begin and end on one thread; password hashing takes tens of milliseconds), so
/// a thread per connection keeps them simple and isolated from each other, and the bound on connections bounds
/// the threads and the memory. An accept thread hands connections out and answers 503 beyond the bound.
///
///     let server = HTTPServer(configuration: .init(port: 8080), router: router)
///     let signals = StopSignals.install(stopping: server)   // SIGINT/SIGTERM → server.stop()
///     try server.run()                                       // returns once stopped and drained
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    private let router: Router
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var boundPort: UInt16?
    private var stopRequested = false
    private var finished = false
    private var activeConnections = 0
    private var stopPipe: (read: Int32, write: Int32)?

    public init(configuration: HTTPServerConfiguration, router: Router) {
        precondition(configuration.maxConnections > 0, "maxConnections must be positive")
        self.configuration = configuration
        self.router = router
    }

    /// Binds and starts accepting on a thread of its own; returns the port (the kernel's choice for port 0).
    @discardableResult
    public func start() throws(HTTPServerError) -> UInt16 {
        let listener = try Socket.listen(host: configuration.host, port: configuration.port)
        let pipe: (read: Int32, write: Int32)
        do {
            pipe = try Socket.makePipe()
        } catch {
            Socket.close(listener.fd)
            throw error
        }
        condition.withLock {
            precondition(stopPipe == nil, "an HTTPServer is started once")
            boundPort = listener.port
            stopPipe = pipe
            // stop() before start(): the accept loop ends at once.
            if stopRequested { Socket.writeByte(pipe.write) }
        }
        let acceptor = Thread { [self] in self.acceptLoop(listener: listener.fd, stop: pipe.read) }
        acceptor.name = "http-accept"
        acceptor.start()
        return listener.port
    }

    /// Starts, then blocks until `stop()` has been called and every request in flight is answered.
    public func run() throws(HTTPServerError) {
        try start()
        waitUntilStopped()
    }

    /// The bound port once started.
    public var port: UInt16? { condition.withLock { boundPort } }

    /// Stops accepting, closes idle connections and lets the requests in flight finish (their answers close the
    /// connection). Returns at once; `waitUntilStopped()` waits for the end. Safe from any thread, any number of
    /// times.
    public func stop() {
        condition.withLock {
            guard !stopRequested else { return }
            stopRequested = true
            if let stopPipe { Socket.writeByte(stopPipe.write) }
        }
    }

    /// Blocks until the server has stopped and its last connection has closed (call it after `start()`). A handler
    /// that never returns keeps it waiting: the server never abandons a request in flight.
    public func waitUntilStopped() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Connections being served right now.
    public var connectionCount: Int { condition.withLock { activeConnections } }

    private var isStopping: Bool { condition.withLock { stopRequested } }

    private func acceptLoop(listener: Int32, stop: Int32) {
        let context = ConnectionContext(
            configuration: configuration, router: router, stopDescriptor: stop, isStopping: { [self] in isStopping })
        let rejections = RejectedConnections(configuration: configuration)
        while true {
            var fds = [pollfd(fd: stop, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            fds += rejections.descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), rejections.isEmpty ? -1 : 100)
            if ready < 0 && errno != EINTR { break }
            if fds[0].revents != 0 { break }
            if fds[1].revents != 0 {
                accepting: while true {
                    switch Socket.accept(listener) {
                    case .connection(let fd, let address):
                        if admit() {
                            startConnection(fd: fd, address: address, context: context)
                        } else {
                            rejections.reject(fd)
                        }
                    case .none:
                        break accepting
                    case .outOfDescriptors:
                        // The listener stays readable, so polling again at once would spin: free what lingers
                        // and give finishing connections a moment to release theirs.
                        rejections.closeAll()
                        usleep(10_000)
                        break accepting
                    }
                }
            }
            rejections.service(readable: fds.dropFirst(2).filter { $0.revents != 0 }.map(\.fd))
        }
        Socket.close(listener)
        rejections.closeAll()
        condition.lock()
        while activeConnections > 0 { condition.wait() }
        if let stopPipe {
            Socket.close(stopPipe.read)
            Socket.close(stopPipe.write)
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func admit() -> Bool {
        condition.withLock {
            guard activeConnections < configuration.maxConnections else { return false }
            activeConnections += 1
            return true
        }
    }

    private func startConnection(fd: Int32, address: String, context: ConnectionContext) {
        let thread = Thread { [self] in
            Connection(fd: fd, remoteAddress: address, context: context).run()
            condition.withLock {
                activeConnections -= 1
                condition.broadcast()
            }
        }
        thread.stackSize = HTTPLimits.connectionThreadStackBytes
        thread.start()
    }
}
