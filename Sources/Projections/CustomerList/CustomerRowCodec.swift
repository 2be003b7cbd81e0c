import CompactCodec
import CustomerAggregate
import Foundation

/// The stored form of a `CustomerRow` (value of `customer-list.rows`, keyed by creation sequence u64 BE).
///
/// Layout (CompactCodec): format byte · customer id (16) · reference prefix · reference number · email ·
/// salutation code · first name · last name · gender code (0 none) · date of birth (bool [+ year, month, day]) ·
/// phone? · company? · locale · status code · created-at · verified-at?. The sequence is the key, not repeated.
/// Everything up to the locale is `CustomerCreated`'s v1 layout, written by the same encoder (the bulk rebuild
/// copies those bytes straight from the log).
enum CustomerRowCodec {
    static let format: UInt8 = 1

    static func encode(_ row: CustomerRow) -> [UInt8] {
        var bytes = encodeProfile(row)
        appendStatus(row.status, createdAt: row.createdAt, verifiedAt: row.verifiedAt, to: &bytes)
        return bytes
    }

    /// Everything up to and including the locale: the part that never changes after creation.
    static func encodeProfile(_ row: CustomerRow) -> [UInt8] {
        var writer = ByteWriter(capacity: 160)
        writer.writeByte(format)
        CustomerCreated.encodeIdentityAndProfile(customerId: row.customerId, reference: row.reference, profile: row.profile, into: &writer)
        return writer.bytes
    }

    /// The tail that a verification rewrites: status code · created-at · verified-at?.
    static func appendStatus(_ status: CustomerStatus, createdAt: Date, verifiedAt: Date?, to bytes: inout [UInt8]) {
        var writer = ByteWriter(capacity: 24)
        writer.writeByte(ListOrderKey.statusCode(status))
        writer.writeDate(createdAt)
        writer.writeOptionalDate(verifiedAt)
        bytes.append(contentsOf: writer.bytes)
    }

    /// The most bytes `writeStatus` writes.
    static let maximumStatusCount = 23

    /// `appendStatus` into raw memory (room for `maximumStatusCount` bytes); returns the number of bytes.
    /// Same bytes: the dates go through the same arithmetic as `ByteWriter.writeDate`.
    @inline(__always)
    static func writeStatus(_ status: CustomerStatus, createdAt: Date, verifiedAt: Date?, to target: UnsafeMutablePointer<UInt8>) -> Int {
        target[0] = ListOrderKey.statusCode(status)
        var count = 1 + writeDate(createdAt, to: target + 1)
        if let verifiedAt {
            target[count] = 1
            count += 1 + writeDate(verifiedAt, to: target + count + 1)
        } else {
            target[count] = 0
            count += 1
        }
        return count
    }

    @inline(__always)
    private static func writeDate(_ date: Date, to target: UnsafeMutablePointer<UInt8>) -> Int {
        let value = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var remaining = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var count = 0
        while remaining >= 0x80 {
            target[count] = UInt8(truncatingIfNeeded: remaining) | 0x80
            remaining >>= 7
            count += 1
        }
        target[count] = UInt8(remaining)
        return count + 1
    }

    static func decode(sequence: UInt64, bytes: UnsafeRawBufferPointer) throws -> CustomerRow {
        do {
            var reader = ByteReader(bytes)
            let found = try reader.readByte()
            guard found == format else {
                throw ProjectionError.corruptRow(sequence: sequence, reason: "unknown row format \(found)")
            }
            let (id, reference, profile) = try CustomerCreated.decodeIdentityAndProfile(&reader)
            let statusCode = try reader.readByte()
            let createdAt = try reader.readDate()
            let verifiedAt = try reader.readOptionalDate()
            guard let status = ListOrderKey.status(code: statusCode) else {
                throw ProjectionError.corruptRow(sequence: sequence, reason: "unknown status code \(statusCode)")
            }
            return CustomerRow(
                customerId: id, reference: reference, profile: profile, status: status, createdAt: createdAt,
                verifiedAt: verifiedAt, creationSequence: sequence)
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw ProjectionError.corruptRow(sequence: sequence, reason: "\(error)")
        }
    }
}
