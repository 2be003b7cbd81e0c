import CompactCodec
import EventStore
import Foundation

/// Reference numbers an import is about to use, reserved in its first write transaction so that a `create`
/// running at the same time (or between an interrupted import and its re-run) never takes a number the file
/// holds. Coordination state beside the log, not a projection: a create takes the number after both the
/// highest reference in use and the highest reserved one, so references are still never reused.
enum ReferenceReservation {
    static let table = TableSpec("reference-reservations")
    private static let key = Array("reserved-up-to".utf8)

    static func reservedUpTo(in reader: StoreReader) throws -> UInt64 {
        try reader.get(reader.table(table), key) { readBigEndianUInt64($0) } ?? 0
    }

    static func reserve(upTo number: UInt64, in writer: StoreWriter) throws {
        guard number > (try reservedUpTo(in: writer)) else { return }
        try writer.put(writer.table(table), key, BigEndianUInt64(number))
    }
}
