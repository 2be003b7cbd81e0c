import CompactCodec
import Foundation
import CustomerAggregate
import EventStore

/// The keys of the customer list's order index (`customer-list.order`).
///
/// Layout: `field (1 byte) ‖ status (1 byte) ‖ position-in-order`, where position-in-order is
/// - for `created`: the customer's `createdAt` (µs, i64 with its sign bit flipped, BE) ‖ reference number
///   (u64 BE) ‖ creation sequence (u64 BE): imported customers take their place by the date they were created;
/// - for email, first and last name: the collation key ‖ 0x00 ‖ creation sequence (u64 BE). The collation key is
///   the primary level (`TextFolding.fold`: base letters, case and accents ignored) ‖ 0x00 ‖ the secondary level
///   (`TextFolding.lowercased`: the accents), the latter left out when it equals the primary (text without
///   accents, such as every email). So "Muller" < "Müller" < "Mullers", and "Ångström" sorts with the A's.
///
/// Every customer has exactly one key per field, under its current status; a status change moves the keys.
/// An "all statuses" page merges the two status ranges, which are each already in order, so that no key is
/// stored twice. The 0x00 terminators make a shorter value sort before its extensions ("ann" < "anna"), since
/// folded text never contains a NUL byte (they are mapped to 0x01 to be sure).
enum ListOrderKey {
    /// Keeps every key under LMDB's 511-byte limit (2 + 240 + 1 + 240 + 1 + 8); values that share their first
    /// 240 folded bytes are ordered by their second level, then by creation sequence (names and emails are at
    /// most 100 characters, so this is a safety net).
    static let maxLevelBytes = 240

    enum Field: UInt8, CaseIterable {
        case created = 1
        case email = 2
        case firstName = 3
        case lastName = 4
    }

    static func statusCode(_ status: CustomerStatus) -> UInt8 {
        switch status {
        case .unverified: return 1
        case .verified: return 2
        }
    }

    /// The statuses in the order their ranges follow each other under the status sort.
    static func statusRangeOrder(_ statuses: [CustomerStatus], descending: Bool) -> [CustomerStatus] {
        statuses.sorted { descending ? statusCode($0) > statusCode($1) : statusCode($0) < statusCode($1) }
    }

    /// Under the status sort: whether the range of status `code` lies wholly before a cursor in the range of
    /// `cursorCode` (the page starts after it).
    static func statusRange(_ code: UInt8, isPassedBy cursorCode: UInt8, descending: Bool) -> Bool {
        descending ? code > cursorCode : code < cursorCode
    }

    /// Positions of several status ranges merged into list order.
    static func sortPositions(_ positions: inout [[UInt8]], descending: Bool) {
        positions.sort { descending ? compareBytes($0, $1) > 0 : compareBytes($0, $1) < 0 }
    }

    static func status(code: UInt8) -> CustomerStatus? {
        switch code {
        case 1: return .unverified
        case 2: return .verified
        default: return nil
        }
    }

    /// The collation key of a value (both levels).
    static func collation(_ text: String) -> [UInt8] {
        collation(primary: TextFolding.fold(text), secondary: TextFolding.lowercased(text))
    }

    static func collation(primary: [UInt8], secondary: [UInt8]) -> [UInt8] {
        primary.withUnsafeBufferPointer { p in
            secondary.withUnsafeBufferPointer { s in
                var key = [UInt8](repeating: 0, count: p.count + s.count + 1)
                let count = key.withUnsafeMutableBufferPointer { target in
                    writeCollation(primary: p.baseAddress, p.count, secondary: s.baseAddress, s.count, to: target.baseAddress!)
                }
                key.removeLast(key.count - count)
                return key
            }
        }
    }

    /// The most bytes `writeCollation` writes.
    static let maxCollationBytes = 2 * maxLevelBytes + 1

    /// The collation key into `target` (room for `min(primaryCount + secondaryCount + 1, maxCollationBytes)`
    /// bytes); returns its length. The one spelling of the key, for the incremental and the bulk path.
    @inline(__always)
    static func writeCollation(
        primary: UnsafePointer<UInt8>?, _ primaryCount: Int, secondary: UnsafePointer<UInt8>?, _ secondaryCount: Int,
        to target: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var count = writeLevel(primary, primaryCount, to: target)
        target[count] = 0
        count += 1
        let same = primaryCount == secondaryCount
            && (primaryCount == 0 || memcmp(primary!, secondary!, primaryCount) == 0)
        if !same { count += writeLevel(secondary, secondaryCount, to: target + count) }
        return count
    }

    /// Truncated at a scalar boundary (never leaving a UTF-8 continuation byte as the first dropped byte), NUL → 1.
    @inline(__always)
    private static func writeLevel(_ source: UnsafePointer<UInt8>?, _ count: Int, to target: UnsafeMutablePointer<UInt8>) -> Int {
        guard let source else { return 0 }
        var end = count
        if end > maxLevelBytes {
            end = maxLevelBytes
            while end > 0 && source[end] & 0xC0 == 0x80 { end -= 1 }
        }
        for index in 0..<end {
            let byte = source[index]
            target[index] = byte == 0 ? 1 : byte
        }
        return end
    }

    /// The `created` position's first 16 bytes: `createdAt` (µs, sign flipped, BE) ‖ reference number (BE).
    static func createdKey(microseconds: Int64, referenceNumber: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendBigEndian(UInt64(bitPattern: microseconds) ^ (1 << 63), to: &bytes)
        appendBigEndian(referenceNumber, to: &bytes)
        return bytes
    }

    /// `createdAt` in whole microseconds, as `ByteWriter.writeDate` stores it.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The position-in-order bytes of a customer for one field (what follows `field ‖ status`).
    static func suffix(field: Field, collation: [UInt8], sequence: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(collation.count + 9)
        bytes.append(contentsOf: collation)
        if field != .created { bytes.append(0) }  // `created`'s key has a fixed length
        appendBigEndian(sequence, to: &bytes)
        return bytes
    }

    static func key(field: Field, status: CustomerStatus, suffix: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [field.rawValue, statusCode(status)]
        bytes.append(contentsOf: suffix)
        return bytes
    }

    /// The collation of `row` for `field` (for `created`, its `createdKey`).
    static func collation(of row: CustomerRow, _ field: Field) -> [UInt8] {
        switch field {
        case .created: return createdKey(microseconds: microseconds(row.createdAt), referenceNumber: row.reference.number)
        case .email: return collation(row.profile.email)
        case .firstName: return collation(row.profile.firstName)
        case .lastName: return collation(row.profile.lastName)
        }
    }

    /// The creation sequence at the end of a suffix (or key).
    static func sequence(ofSuffix bytes: UnsafeRawBufferPointer) -> UInt64 {
        readBigEndianUInt64(UnsafeRawBufferPointer(rebasing: bytes[max(0, bytes.count - 8)...]))
    }

    static func sequence(ofSuffix bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { sequence(ofSuffix: $0) }
    }
}



/// memcmp order of two byte strings (LMDB's default key order).
@inline(__always)
func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
    let count = min(lhs.count, rhs.count)
    var index = 0
    while index < count {
        if lhs[index] != rhs[index] { return lhs[index] < rhs[index] ? -1 : 1 }
        index += 1
    }
    return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
}
