import Foundation

/// Appends values to a growing byte buffer in customer-es' compact binary encoding.
///
/// The encoding is deliberately boring: unsigned integers as LEB128 varints, signed ones zig-zagged first,
/// strings and byte blobs as a varint length followed by the raw bytes, UUIDs as their 16 bytes, dates as
/// signed microseconds since 1970. There are no field tags: each record type starts with its own schema
/// version and reads its fields in a fixed order, so adding a field means bumping that version.
/// It is about 10× cheaper to encode and decode than Foundation's JSON, which matters on the write path and
/// during a replay of millions of events.
public struct ByteWriter: Sendable {
    /// The encoded bytes so far.
    @inlinable public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8]

    @inlinable
    public init(capacity: Int = 128) {
        _bytes = []
        _bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer but keeps its storage, so that one writer can encode many records without allocating.
    @inlinable
    public mutating func removeAll() {
        _bytes.removeAll(keepingCapacity: true)
    }

    @inlinable
    public mutating func writeByte(_ value: UInt8) {
        _bytes.append(value)
    }

    @inlinable
    public mutating func writeBool(_ value: Bool) {
        _bytes.append(value ? 1 : 0)
    }

    @inlinable
    public mutating func writeVarUInt(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            _bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        _bytes.append(UInt8(remaining))
    }

    @inlinable
    public mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Fixed-width big-endian, so that the bytes sort like the numbers (used for LMDB keys).
    @inlinable
    public mutating func writeUInt64BigEndian(_ value: UInt64) {
        appendBigEndian(value, to: &_bytes)
    }

    @inlinable
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarUInt(UInt64(utf8.count))
            _bytes.append(contentsOf: utf8)
        }
    }

    @inlinable
    public mutating func writeOptionalString(_ value: String?) {
        if let value {
            writeByte(1)
            writeString(value)
        } else {
            writeByte(0)
        }
    }

    @inlinable
    public mutating func writeBytes<Bytes: Collection>(_ value: Bytes) where Bytes.Element == UInt8 {
        writeVarUInt(UInt64(value.count))
        _bytes.append(contentsOf: value)
    }

    /// Appends bytes without a length prefix (the reader must know how many to take).
    @inlinable
    public mutating func writeRaw<Bytes: Sequence>(_ value: Bytes) where Bytes.Element == UInt8 {
        _bytes.append(contentsOf: value)
    }

    @inlinable
    public mutating func writeUUID(_ value: UUID) {
        withUnsafeBytes(of: value.uuid) { _bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeOptionalUUID(_ value: UUID?) {
        if let value {
            writeByte(1)
            writeUUID(value)
        } else {
            writeByte(0)
        }
    }

    /// Microseconds since 1970-01-01T00:00:00Z.
    @inlinable
    public mutating func writeDate(_ value: Date) {
        writeVarInt(Int64((value.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    @inlinable
    public mutating func writeOptionalDate(_ value: Date?) {
        if let value {
            writeByte(1)
            writeDate(value)
        } else {
            writeByte(0)
        }
    }
}
