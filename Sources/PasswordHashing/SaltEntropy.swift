import CCrypt
import SystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// Random bytes for salts, from the kernel's CSPRNG (`getrandom(2)`, blocking only until the pool is first seeded
/// at boot). A salt must never repeat; there is no weaker fallback, so a kernel without `getrandom` stops here.
enum SaltEntropy {
    static func bytes(_ count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            // Requests above 256 bytes may legitimately come back short; keep going.
            let result = SystemCall.retryingOnInterrupt {
                output.withUnsafeMutableBytes { buffer in getrandom(buffer.baseAddress.map { $0 + filled }, count - filled, 0) }
            }
            guard result > 0 else {
                fatalError("getrandom(2) failed (errno \(errno)); refusing to hash a password with a predictable salt")
            }
            filled += result
        }
        return output
    }
}
