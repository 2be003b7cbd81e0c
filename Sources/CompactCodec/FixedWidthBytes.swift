import Foundation

// The fixed-width layouts shared by the store's keys and the records: integers big-endian (so that LMDB's byte
// order is numeric order), UUIDs as their 16 bytes in order (the layout of `ByteWriter.writeUUID`).
// One copy of each, used by every module.

/// Reads a big-endian u64 at `offset` (a buffer shorter than 8 bytes reads as if zero-padded on the left).
@inlinable @inline(__always)
public func readBigEndianUInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
    if offset + 8 <= bytes.count {
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    var value: UInt64 = 0
    for index in offset..<min(offset + 8, bytes.count) { value = value << 8 | UInt64(bytes[index]) }
    return value
}

/// Appends `value` as 8 big-endian bytes.
@inlinable @inline(__always)
public func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
}

/// An 8-byte big-endian integer usable as an LMDB key or value without allocating an Array.
@frozen
public struct BigEndianUInt64: ContiguousBytes, Sendable {
    @usableFromInline let storage: UInt64
    @inlinable public init(_ value: UInt64) { storage = value.bigEndian }
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }
    /// The 8 bytes, as an array.
    @inlinable public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}

/// Two 8-byte big-endian integers (e.g. stream number ‖ version) as one 16-byte key, without allocating.
@frozen
public struct BigEndianUInt64Pair: ContiguousBytes, Sendable {
    @usableFromInline let storage: (UInt64, UInt64)
    @inlinable public init(_ first: UInt64, _ second: UInt64) { storage = (first.bigEndian, second.bigEndian) }
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }
}

extension UUID {
    /// The 16 bytes of the UUID, in order.
    @inlinable public var bytes: [UInt8] { Swift.withUnsafeBytes(of: uuid) { Array($0) } }

    /// The UUID held by the first 16 bytes of `bytes`; nil when there are fewer.
    @inlinable
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 16 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(16))) }
        self.init(uuid: raw)
    }

    /// The UUID held by the first 16 bytes of `bytes`; nil when there are fewer.
    @inlinable
    public init?(bytes: [UInt8]) {
        guard let uuid = bytes.withUnsafeBytes({ UUID(bytes: $0) }) else { return nil }
        self = uuid
    }
}
