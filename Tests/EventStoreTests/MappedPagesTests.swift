@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// `releaseMappedPages`: the pages of the data file a process has read leave its resident memory, and what it
/// reads afterwards — in the same transaction too — is the same bytes.
final class MappedPagesTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("mapped-pages") }
    override func tearDown() { folder = nil }

    func testReleasedPagesLeaveResidentMemoryAndReadTheSameAgain() throws {
        let store = try EventStore(directory: folder.url)
        let payload = String(repeating: "x", count: 4000)
        for batch in 0..<8 {
            try store.write { writer in
                for index in 0..<250 {
                    try writer.append([sampleEvent(payload: "\(batch)-\(index)-" + payload)], to: StreamName("s-\(batch)-\(index)"), expectedVersion: .noStream)
                }
            }
        }
        store.releaseMappedPages()
        let file = folder.url.resolvingSymlinksInPath().appendingPathComponent("data.mdb").path
        let before = try XCTUnwrap(Self.residentKilobytes(ofMappingOf: file), "\(file) is mapped")
        try store.read { reader in
            var first: [[UInt8]] = []
            try reader.forEachEvent { view in
                first.append(try view.materialize().payload)
                return true
            }
            XCTAssertEqual(first.count, 2000)
            let read = Self.residentKilobytes(ofMappingOf: file) ?? 0
            XCTAssertGreaterThan(read, before + 4000, "reading 8 MB of events maps their pages")
            store.releaseMappedPages()
            let released = Self.residentKilobytes(ofMappingOf: file) ?? 0
            XCTAssertLessThan(released, read / 4, "the pages read were let go")
            // Inside the same snapshot: mapped again from the file, the same bytes.
            var again: [[UInt8]] = []
            try reader.forEachEvent { view in
                again.append(try view.materialize().payload)
                return true
            }
            XCTAssertEqual(again, first)
        }
    }

    /// The resident kilobytes of this process's mappings of `path` (from /proc/self/smaps), nil when unmapped.
    static func residentKilobytes(ofMappingOf path: String) -> Int? {
        // Read to the end by hand: a /proc file reports no size, and whole-file readers stop after a page.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return nil }
        defer { try? handle.close() }
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var total: Int?
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5 {
                inside = fields.count >= 6 && fields[5...].joined(separator: " ") == path
            } else if inside, fields.first == "Rss:", fields.count >= 2, let kilobytes = Int(fields[1]) {
                total = (total ?? 0) + kilobytes
            }
        }
        return total
    }
}
