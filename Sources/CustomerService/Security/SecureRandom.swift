#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// Bytes from the kernel's CSPRNG, for keys and token ids.
///
/// Swift's `SystemRandomNumberGenerator` is documented as cryptographically secure too, but its
/// source is an implementation detail; for secrets we want to name the source and control what
/// happens when it is unavailable.
public enum SecureRandom: Sendable {
    /// Returns `count` bytes from the operating system's cryptographically secure generator.
    ///
    /// Never returns weaker randomness. If the kernel offers no entropy source at all, this is a
    /// `fatalError`: every caller needs the bytes to mint something unguessable (store keys, token
    /// ids), and there is no safe degraded mode — a predictable token is an account takeover, and
    /// a thrown error would only move the same dead end into every call site, each tempted to
    /// "handle" it with a fallback. The condition is environmental (a broken chroot/container without
    /// /dev/urandom on a pre-3.17 kernel), not input-driven, so no request can trigger it.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count \(count)")
        guard count > 0 else { return [] }

        var output = [UInt8](repeating: 0, count: count)
        let filled = output.withUnsafeMutableBytes { buffer -> Bool in
            #if canImport(Darwin)
            // arc4random_buf is the kernel-seeded CSPRNG on Apple platforms and cannot fail.
            guard let base = buffer.baseAddress else { return false }
            arc4random_buf(base, buffer.count)
            return true
            #else
            return fillWithGetrandom(buffer) || fillFromDevURandom(buffer)
            #endif
        }
        guard filled else {
            fatalError("SecureRandom: no kernel entropy source (getrandom(2) and /dev/urandom both failed); refusing to mint secrets")
        }
        return output
    }

    #if !canImport(Darwin)
    /// `getrandom(2)` as exported by glibc ≥ 2.25. Swift's Glibc module map does not include
    /// <sys/random.h>, so the symbol is resolved once at runtime instead; nil on a libc without it.
    private typealias GetrandomFunction = @convention(c) (UnsafeMutableRawPointer?, Int, UInt32) -> Int

    private static let getrandomFunction: GetrandomFunction? = {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "getrandom") else { return nil }
        return unsafeBitCast(symbol, to: GetrandomFunction.self)
    }()

    /// Flags 0: the urandom pool, but blocking until it has been seeded once at boot — the one
    /// situation where /dev/urandom would hand out weak bytes without saying so.
    private static func fillWithGetrandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let getrandom = getrandomFunction, let base = buffer.baseAddress else { return false }
        var filled = 0
        while filled < buffer.count {
            let result = SystemCall.retryingOnInterrupt { getrandom(base + filled, buffer.count - filled, 0) }
            if result > 0 {
                // Requests above 256 bytes may legitimately come back short; keep going.
                filled += result
            } else {
                // ENOSYS (kernel < 3.17), EPERM (seccomp filter), or a 0 that should not happen:
                // let the caller try /dev/urandom rather than spin.
                return false
            }
        }
        return true
    }

    private static func fillFromDevURandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let descriptor = SystemCall.retryingOnInterrupt { open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }

        // A regular file planted at /dev/urandom (a sloppy chroot or container image) would yield
        // the same "random" bytes forever; only the real character device is acceptable.
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFCHR else { return false }

        var filled = 0
        while filled < buffer.count {
            let result = SystemCall.retryingOnInterrupt { read(descriptor, base + filled, buffer.count - filled) }
            if result > 0 {
                filled += result
            } else {
                return false
            }
        }
        return true
    }
    #endif
}
