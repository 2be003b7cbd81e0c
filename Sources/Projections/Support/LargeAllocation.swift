#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Zeroed memory for large tables that are read and written all over (a 64 MB trigram directory, a stream
/// table): mapped directly and, on Linux, in huge pages when the kernel allows it, so that random accesses do
/// not miss the TLB on every other access. Free with `LargeAllocation.free`.
enum LargeAllocation {
    static func zeroed(bytes: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        let size = (bytes + hugePage - 1) / hugePage * hugePage
        if let memory = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED {
            _ = madvise(memory, size, MADV_HUGEPAGE)  // advice only: without it the memory is still fine
            return memory
        }
        #endif
        return calloc(bytes, 1)!
    }

    static func free(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        munmap(memory, (bytes + hugePage - 1) / hugePage * hugePage)
        #else
        Darwin.free(memory)
        #endif
    }

    private static let hugePage = 2 << 20
}
