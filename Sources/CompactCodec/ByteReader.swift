import Foundation

/// A malformed or truncated record. Carries the offset so that a corrupt event can be located in the log.
public struct CompactDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public let reason: String
    public let offset: Int

    public init(_ reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "malformed record at byte \(offset): \(reason)" }
}

/// Reads values written by `ByteWriter`, without copying, from a buffer it does not own.
///
/// The buffer must stay valid while the reader is used: with LMDB that means inside the transaction (or the
/// closure) that handed the bytes out. Every read checks bounds and throws `CompactDecodingError` instead of
/// trapping, because the bytes come from disk.
public struct ByteReader {
    public let buffer: UnsafeRawBufferPointer
    /// Where the next read starts. Moved only by the read methods (`_offset` is exposed to inlined code alone).
    @inlinable public var offset: Int { _offset }
    @usableFromInline var _offset: Int

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self._offset = offset
    }

    @inlinable
    public var isAtEnd: Bool { offset >= buffer.count }
    @inlinable
    public var remainingCount: Int { buffer.count - offset }

    /// Runs `body` with a reader over `bytes`.
    @inlinable
    public static func withReader<Bytes: ContiguousBytes, R>(
        over bytes: Bytes, _ body: (inout ByteReader) throws -> R
    ) throws -> R {
        try bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            return try body(&reader)
        }
    }

    @inlinable
    func need(_ count: Int) throws {
        guard count >= 0, count <= buffer.count - offset else { throw shortage(count) }
    }

    /// Kept out of line: only the check above is inlined into every read.
    @usableFromInline
    func shortage(_ count: Int) -> CompactDecodingError {
        CompactDecodingError("needs \(count) more byte(s), \(buffer.count - offset) left", offset: offset)
    }

    @inlinable
    public mutating func readByte() throws -> UInt8 {
        try need(1)
        defer { _offset += 1 }
        return buffer[offset]
    }

    @inlinable
    public mutating func readBool() throws -> Bool {
        let byte = try readByte()
        guard byte <= 1 else { throw CompactDecodingError("invalid boolean \(byte)", offset: offset - 1) }
        return byte == 1
    }

    @inlinable
    public mutating func readVarUInt() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63, byte > 1 { throw CompactDecodingError("varint overflows 64 bits", offset: offset - 1) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw CompactDecodingError("varint longer than 10 bytes", offset: offset) }
        }
    }

    @inlinable
    public mutating func readVarInt() throws -> Int64 {
        let raw = try readVarUInt()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint that must fit an `Int` length (and the remaining bytes).
    @inlinable
    public mutating func readLength() throws -> Int {
        let start = offset
        let raw = try readVarUInt()
        guard raw <= UInt64(remainingCount) else {
            throw CompactDecodingError("length \(raw) exceeds the \(remainingCount) bytes left", offset: start)
        }
        return Int(raw)
    }

    @inlinable
    public mutating func readUInt64BigEndian() throws -> UInt64 {
        try need(8)
        defer { _offset += 8 }
        return CompactCodec.readBigEndianUInt64(buffer, at: offset)
    }

    @inlinable
    public mutating func readString() throws -> String {
        let count = try readLength()
        let start = offset
        _offset += count
        let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
        return String(decoding: slice, as: UTF8.self)
    }

    @inlinable
    public mutating func readOptionalString() throws -> String? {
        try readBool() ? try readString() : nil
    }

    /// A length-prefixed blob, copied out of the buffer.
    @inlinable
    public mutating func readBytes() throws -> [UInt8] {
        Array(try readBytesView())
    }

    /// A length-prefixed blob as a view into the buffer (valid as long as the buffer is).
    @inlinable
    public mutating func readBytesView() throws -> UnsafeRawBufferPointer {
        let count = try readLength()
        return try readRawView(count: count)
    }

    @inlinable
    public mutating func readRawView(count: Int) throws -> UnsafeRawBufferPointer {
        try need(count)
        defer { _offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    @inlinable
    public mutating func readUUID() throws -> UUID {
        let raw = try readRawView(count: 16)
        return UUID(bytes: raw) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))  // 16 bytes: never nil
    }

    @inlinable
    public mutating func readOptionalUUID() throws -> UUID? {
        try readBool() ? try readUUID() : nil
    }

    @inlinable
    public mutating func readDate() throws -> Date {
        Date(timeIntervalSince1970: Double(try readVarInt()) / 1_000_000)
    }

    @inlinable
    public mutating func readOptionalDate() throws -> Date? {
        try readBool() ? try readDate() : nil
    }

    @inlinable
    public mutating func skip(_ count: Int) throws {
        try need(count)
        _offset += count
    }

    @inlinable
    public mutating func skipBytes() throws {
        try skip(try readLength())
    }
}
