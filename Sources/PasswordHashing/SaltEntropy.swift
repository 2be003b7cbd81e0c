import CCrypt
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
            let result = output.withUnsafeMutableBytes { buffer in
                getrandom(buffer.baseAddress! + filled, count - filled, 0)
            }
            if result > 0 {
                filled += result
            } else if !(result < 0 && errno == EINTR) {
                fatalError("getrandom(2) failed (errno \(errno)); refusing to hash a password with a predictable salt")
            }
        }
        return output
    }
}
