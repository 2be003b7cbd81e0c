import CompactCodec
import CustomerAggregate
import EventStore

/// The keys of the customer list's order index (`customer-list.order`).
///
/// Layout: `field (1 byte) ‖ status (1 byte) ‖ position-in-order`, where position-in-order is
/// - for `created`: the creation sequence (u64 BE);
/// - for email, first and last name: the folded value (`TextFolding`, at most `maxCollationBytes`) ‖ 0x00 ‖
///   creation sequence (u64 BE).
///
/// Every customer has exactly one key per field, under its current status; a status change moves the keys.
/// An "all statuses" page merges the two status ranges, which are each already in order, so that no key is
/// stored twice. The 0x00 terminator makes a shorter value sort before its extensions ("ann" < "anna"), since
/// folded text never contains a NUL byte (they are mapped to 0x01 to be sure).
enum ListOrderKey {
    /// Keeps every key under LMDB's 511-byte limit; values that share their first 400 folded bytes are ordered
    /// by creation sequence (names and emails are at most 100 characters, so this is a safety net).
    static let maxCollationBytes = 400

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

    static func status(code: UInt8) -> CustomerStatus? {
        switch code {
        case 1: return .unverified
        case 2: return .verified
        default: return nil
        }
    }

    /// The folded, truncated, NUL-free collation bytes of a value.
    static func collation(_ text: String) -> [UInt8] {
        collation(folded: TextFolding.fold(text))
    }

    static func collation(folded: [UInt8]) -> [UInt8] {
        var bytes = folded
        if bytes.count > maxCollationBytes {
            var end = maxCollationBytes
            // Cut at a scalar boundary: never leave a UTF-8 continuation byte (10xxxxxx) as the first dropped byte.
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            bytes.removeSubrange(end...)
        }
        for index in bytes.indices where bytes[index] == 0 { bytes[index] = 1 }
        return bytes
    }

    /// The position-in-order bytes of a customer for one field (what follows `field ‖ status`).
    static func suffix(field: Field, collation: [UInt8], sequence: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        if field == .created {
            bytes.reserveCapacity(8)
        } else {
            bytes.reserveCapacity(collation.count + 9)
            bytes.append(contentsOf: collation)
            bytes.append(0)
        }
        appendBigEndian(sequence, to: &bytes)
        return bytes
    }

    static func key(field: Field, status: CustomerStatus, suffix: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [field.rawValue, statusCode(status)]
        bytes.append(contentsOf: suffix)
        return bytes
    }

    static func collation(of row: CustomerRow, _ field: Field) -> [UInt8] {
        switch field {
        case .created: return []
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
