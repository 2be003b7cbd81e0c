import CompactCodec
import CustomerAggregate
import EventStore

/// A customer's place in a list order, written straight from its stored row bytes (`CustomerRowCodec`): the
/// `ListOrderKey` suffix of the sort's field, with the status code in front for the `status` sort — the bytes
/// `ListOrderKey.suffix(field:collation:sequence:)` gives for the decoded row, without decoding it.
///
/// A sorted search page that cannot walk the order index computes the place of every match; decoding each
/// row into a `CustomerRow` (a `String` per field, a `Date`, then folding the `String`) cost several times the
/// row's B-tree lookup, so this reads only the bytes the place needs, folds them with the same byte tables as
/// the bulk rebuild (`TextFolding.foldLatin`; other text goes through the `String` folding, as everywhere),
/// into buffers reused from one row to the next. Valid until the next call.
final class RowPlaceWriter {
    private var place: UnsafeMutablePointer<UInt8>
    private var placeCapacity: Int
    private var primary: UnsafeMutablePointer<UInt8>
    private var secondary: UnsafeMutablePointer<UInt8>
    private var levelCapacity: Int

    init() {
        placeCapacity = 1 + ListOrderKey.maxCollationBytes + 1 + 8
        place = .allocate(capacity: placeCapacity)
        levelCapacity = 1024
        primary = .allocate(capacity: levelCapacity)
        secondary = .allocate(capacity: levelCapacity)
    }

    deinit {
        place.deallocate()
        primary.deallocate()
        secondary.deallocate()
    }

    /// The place of the row stored as `row` (creation sequence `sequence`) in the order of `sort`.
    func place(ofRow row: UnsafeRawBufferPointer, sequence: UInt64, sort: CustomerListSort) throws -> UnsafeRawBufferPointer {
        guard let base = row.baseAddress?.assumingMemoryBound(to: UInt8.self), let fields = StoredRowFields(row)
        else { throw ProjectionError.corruptRow(sequence: sequence, reason: "row bytes do not parse") }
        var count = 0
        if sort == .status {
            place[0] = fields.statusCode
            count = 1
        }
        switch sort.indexField {
        case .created:
            let created = ListOrderKey.createdKey(microseconds: fields.createdAtMicroseconds, referenceNumber: fields.referenceNumber)
            for byte in created {
                place[count] = byte
                count += 1
            }
        case .email: count += collation(base + fields.email.lowerBound, fields.email.count, at: count)
        case .firstName: count += collation(base + fields.firstName.lowerBound, fields.firstName.count, at: count)
        case .lastName: count += collation(base + fields.lastName.lowerBound, fields.lastName.count, at: count)
        }
        if sort.indexField != .created {
            place[count] = 0
            count += 1
        }
        var bigEndian = sequence.bigEndian
        withUnsafeBytes(of: &bigEndian) { UnsafeMutableRawPointer(place + count).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        return UnsafeRawBufferPointer(start: place, count: count + 8)
    }

    /// `ListOrderKey.collation` of the UTF-8 text at `text` into `place` from `offset`; returns its length.
    private func collation(_ text: UnsafePointer<UInt8>, _ count: Int, at offset: Int) -> Int {
        if TextFolding.maximumFoldedCount(count) > levelCapacity {
            levelCapacity = TextFolding.maximumFoldedCount(count)
            primary.deallocate()
            secondary.deallocate()
            primary = .allocate(capacity: levelCapacity)
            secondary = .allocate(capacity: levelCapacity)
        }
        if let primaryCount = TextFolding.foldLatin(text, count, into: primary, table: TextFolding.baseTable),
           let secondaryCount = TextFolding.foldLatin(text, count, into: secondary, table: TextFolding.lowerTable) {
            return ListOrderKey.writeCollation(primary: primary, primaryCount, secondary: secondary, secondaryCount, to: place + offset)
        }
        // Text beyond U+02FF: the general folding of the same `String` the decoded row would hold.
        let key = ListOrderKey.collation(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        key.withUnsafeBufferPointer { (place + offset).update(from: $0.baseAddress!, count: $0.count) }
        return key.count
    }
}

/// Where the fields a list order needs sit in a stored row (`CustomerRowCodec`'s layout: format byte, the
/// customer's identity and profile as `CustomerProfileView` reads them, status code, created-at …), or nil when
/// the bytes do not parse.
private struct StoredRowFields {
    let referenceNumber: UInt64
    let email: Range<Int>
    let firstName: Range<Int>
    let lastName: Range<Int>
    let statusCode: UInt8
    let createdAtMicroseconds: Int64

    init?(_ row: UnsafeRawBufferPointer) {
        guard row.first == CustomerRowCodec.format, let profile = CustomerProfileView(row, from: 1) else { return nil }
        var reader = ByteReader(row, offset: profile.endOffset)
        guard let status = try? reader.readByte(), let created = try? reader.readVarInt() else { return nil }
        referenceNumber = profile.referenceNumber
        email = profile.email
        firstName = profile.firstName
        lastName = profile.lastName
        statusCode = status
        createdAtMicroseconds = created
    }
}
