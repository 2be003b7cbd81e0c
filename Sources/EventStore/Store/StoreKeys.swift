import Foundation

/// The tables of the event store and how their keys are laid out. Big-endian integers everywhere, so that
/// LMDB's byte order is numeric order and appends hit the right edge of the B-tree.
enum StoreTables {
    /// position (u64 BE) → envelope
    static let events = TableSpec("events")
    /// stream name (UTF-8) → stream number (u64 BE) ‖ current version (u64 BE)
    static let streams = TableSpec("streams")
    /// One entry per append (a run of consecutive versions stored at consecutive positions):
    /// stream number (u64 BE) ‖ last version of the run (u64 BE) → first position (u64 BE) ‖ run length (u64 BE).
    /// Numbers, not names, keep keys small and make a new stream's entries land at the end of the tree; one entry
    /// per append instead of per event keeps batched appends close to LMDB's raw speed.
    static let streamIndex = TableSpec("stream_index")
    /// checkpoint name → position (u64 BE)
    static let checkpoints = TableSpec("checkpoints")
    /// "format-version" → u32 BE, "next-stream-number" → u64 BE
    static let meta = TableSpec("meta")

    static let all = [events, streams, streamIndex, checkpoints, meta]
}

/// Reads a big-endian u64 (short buffers read as if zero-padded on the left).
@inline(__always)
public func readBigEndianUInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
    if offset + 8 <= bytes.count {
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    var value: UInt64 = 0
    for index in offset..<min(offset + 8, bytes.count) { value = value << 8 | UInt64(bytes[index]) }
    return value
}

/// An 8-byte big-endian integer usable as an LMDB key or value without allocating an Array.
public struct BigEndianUInt64: ContiguousBytes, Sendable {
    let storage: UInt64
    public init(_ value: UInt64) { storage = value.bigEndian }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }
}

/// Two 8-byte big-endian integers (e.g. stream number ‖ version) as one 16-byte key, without allocating.
public struct BigEndianUInt64Pair: ContiguousBytes, Sendable {
    let storage: (UInt64, UInt64)
    public init(_ first: UInt64, _ second: UInt64) { storage = (first.bigEndian, second.bigEndian) }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }
}
