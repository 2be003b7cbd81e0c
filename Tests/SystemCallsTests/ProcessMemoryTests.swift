import SystemCalls
import XCTest

/// The allocator settings `serve` applies at start: glibc's `mallopt` is found and accepts them; a value no C int
/// holds is refused before it is passed on.
final class ProcessMemoryTests: XCTestCase {
    func testTheServersSettingsAreAcceptedAndAnImpossibleOneIsRefused() {
        XCTAssertFalse(ProcessMemory.keepFreedMemoryForReuse(largeAllocation: 1 << 40), "more than a C int")
        XCTAssertTrue(ProcessMemory.keepFreedMemoryForReuse())
        // Large allocations still work, from the heap now.
        let buffer = [UInt64](repeating: 7, count: 1 << 20)
        XCTAssertEqual(buffer.reduce(0, +), 7 << 20)
    }
}
