#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This machine's name as SMTP's EHLO should give it: fully qualified when the system knows how.
public enum LocalHostName {
    /// `gethostname`, completed by the resolver's canonical name when the host name has no dot (a local lookup
    /// through /etc/hosts in the usual setup); the plain host name when that gives nothing better, and `localhost`
    /// when even that is unavailable. Looked up once per process.
    public static let fullyQualified: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard !name.isEmpty else { return "localhost" }
        if name.contains(".") { return name }
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return name }
        defer { freeaddrinfo(first) }
        guard let canonical = first.pointee.ai_canonname.map({ String(cString: $0) }), canonical.contains(".") else {
            return name
        }
        return canonical
    }()
}
