import Foundation

/// A body written while it is produced (a live tail as `text/event-stream`) instead of a finished array: the
/// answer goes out without a `Content-Length`, with `Connection: close`, and ends when `produce` returns.
/// `produce` runs on the connection's thread; it must return soon after a write fails (the client has gone)
/// or `writer.isStopping` turns true (the server stops and waits for the requests in flight).
public struct ResponseStream: Sendable, Equatable {
    private let id = UUID()
    let produce: @Sendable (ResponseStreamWriter) -> Void

    public init(_ produce: @escaping @Sendable (ResponseStreamWriter) -> Void) {
        self.produce = produce
    }

    public static func == (left: ResponseStream, right: ResponseStream) -> Bool { left.id == right.id }
}

/// Writes a streamed body onto its connection (each write bounded by the server's write timeout).
public final class ResponseStreamWriter {
    private let sendBytes: ([UInt8]) -> Bool
    private let stopping: () -> Bool
    public private(set) var bytesWritten = 0
    public private(set) var hasFailed = false

    init(send: @escaping ([UInt8]) -> Bool, isStopping: @escaping () -> Bool) {
        sendBytes = send
        stopping = isStopping
    }

    /// False when the bytes could not be sent (the client has gone, or is too slow): stop producing.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !hasFailed else { return false }
        guard sendBytes(bytes) else {
            hasFailed = true
            return false
        }
        bytesWritten += bytes.count
        return true
    }

    public func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// True once the server is stopping.
    public var isStopping: Bool { stopping() }
}
