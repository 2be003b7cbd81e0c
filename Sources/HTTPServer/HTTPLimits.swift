/// Every bound the server enforces, each with the reason for its value. The per-server knobs (timeouts, the
/// connection bound) start from these and can be tightened in `HTTPServerConfiguration`.
public enum HTTPLimits {
    /// The request line (method, target, version). The links we send are a few hundred bytes; 8 KiB is what
    /// nginx and Apache allow by default, so real clients never hit it. Beyond it: 414 URI Too Long.
    public static let maxRequestLineBytes = 8 * 1024
    /// All header fields together (without the request line). Browsers send 1–2 KiB; 32 KiB leaves room for large
    /// cookies while keeping a connection's head buffer small. Beyond it: 431.
    public static let maxHeaderBytes = 32 * 1024
    /// Header fields per request. Browsers send about 15; a flood of tiny fields is a parsing-cost attack. 431.
    public static let maxHeaderFields = 100
    /// Default body limit of a route: our forms carry a token and two passwords of at most 128 characters, far
    /// below 16 KiB. Beyond a route's limit: 413, before any byte of the body is read.
    public static let defaultBodyBytes = 16 * 1024
    /// No route may accept more than this, so the memory one connection can hold stays bounded (see
    /// `maxConnectionBufferBytes`).
    public static let maxBodyBytes = 1024 * 1024
    /// A Content-Length with more digits cannot be below `maxBodyBytes` and could overflow an Int: 413 without
    /// parsing further.
    static let maxContentLengthDigits = 18
    /// Bytes read from the socket at a time.
    static let readChunkBytes = 16 * 1024
    /// The most a connection ever buffers: one head, one body at the largest route limit, one read chunk.
    public static let maxConnectionBufferBytes = maxRequestLineBytes + 2 + maxHeaderBytes + 2 + maxBodyBytes + readChunkBytes
    /// Stack of each connection thread. Handlers are shallow synchronous functions; 512 KiB (an eighth of the
    /// Linux default) keeps many idle connections cheap in address space and memory.
    static let connectionThreadStackBytes = 512 * 1024
    /// After an answer that closes the connection, what the client still sends is read and dropped for this long
    /// (and at most `lingerBytes`), so that closing with unread data does not reset the connection and destroy
    /// the answer before the client has read it.
    static let lingerSeconds = 1.0
    static let lingerBytes = 64 * 1024
    /// Pending connections the kernel queues while all threads are busy accepting.
    static let listenBacklog: Int32 = 1024
    /// Connections refused with 503 that are still lingering at once; beyond this they are closed without waiting.
    static let maxLingeringRejections = 4096
}
