#if canImport(Glibc)
import Glibc
#endif

/// How the C allocator hands memory back to the system, for a long-running process.
///
/// By default glibc serves every allocation above 128 KiB (raised on the fly up to 32 MiB) by a fresh `mmap` and
/// gives it back with `munmap` on free, and trims the heap's free top beyond 128 KiB. A server page that builds a
/// few arrays of 100 000 postings therefore page-faults and zeroes several megabytes on every request: a third of
/// a wide search's CPU at a million customers. Keeping those allocations in the heap, and its freed memory for
/// the next request, removes that cost for a bounded amount of resident memory per allocator arena.
public enum ProcessMemory {
    /// Allocations below `largeAllocation` come from the heap, and each arena keeps up to `keptFree` bytes of
    /// freed memory. False when a value does not fit a C int or the allocator refused it, or on a C library
    /// without these settings.
    @discardableResult
    public static func keepFreedMemoryForReuse(largeAllocation: Int = 16 << 20, keptFree: Int = 64 << 20) -> Bool {
        #if canImport(Glibc)
        guard let large = Int32(exactly: largeAllocation), let kept = Int32(exactly: keptFree),
              let mallopt = Self.mallopt
        else { return false }
        return mallopt(mmapThreshold, large) == 1 && mallopt(trimThreshold, kept) == 1
        #else
        return false
        #endif
    }

    #if canImport(Glibc)
    /// `int mallopt(int param, int value)` of glibc. `<malloc.h>` is not part of Swift's Glibc module, so the
    /// function is looked up by name (nil on a C library without it) and called with the C convention.
    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    private static let mallopt: Mallopt? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt").map { unsafeBitCast($0, to: Mallopt.self) }
    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` of `<malloc.h>`.
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3
    #endif
}
