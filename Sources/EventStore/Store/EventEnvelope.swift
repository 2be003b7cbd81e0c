import CompactCodec
import Foundation

/// The stored form of one event: the value under its global position in the `events` table.
///
/// Layout (CompactCodec): format byte, event id (16 bytes), stream version, recorded-at (µs), schema version,
/// type, stream, actor, correlation id?, causation id?, payload, then optional trailing fields, each a tag byte and
/// its value: tag 1 = the OS user (a string), tag 2 = the commitment of a sealed event (32 bytes). Envelopes
/// written before a trailing field existed simply end after the payload, so they still decode. The position is
/// the key, so it is not repeated. Format 2 is a sealed event (`PersonalSeal`): the payload is the public one and
/// the whole payload sits in the `vault` table under the same position; a scan tells it from the first byte.
/// Fixed-size and numeric fields come first so that a scan can read them without decoding any string.
enum EventEnvelope {
    static let format: UInt8 = 1
    static let sealedFormat: UInt8 = 2

    /// `encodedStream` is the stream name as `ByteWriter.writeString` writes it, encoded once per append.
    static func encode(
        _ event: EventData, encodedStream: [UInt8], version: UInt64, recordedAt: Date, into writer: inout ByteWriter
    ) {
        writer.writeByte(event.personal == nil ? format : sealedFormat)
        writer.writeUUID(event.eventID)
        writer.writeVarUInt(version)
        writer.writeDate(recordedAt)
        writer.writeVarUInt(UInt64(event.schemaVersion))
        writer.writeString(event.type)
        writer.writeRaw(encodedStream)
        writer.writeString(event.metadata.actor)
        writer.writeOptionalUUID(event.metadata.correlationID)
        writer.writeOptionalUUID(event.metadata.causationID)
        writer.writeBytes(event.personal?.publicPayload ?? event.payload)
        if let osUser = event.metadata.osUser {
            writer.writeByte(osUserTag)
            writer.writeString(osUser)
        }
        if let seal = event.personal {
            writer.writeByte(commitmentTag)
            writer.writeBytes(seal.commitment)
        }
    }

    /// The envelope of a stored event, sealed: the same id, version, time, type, stream and metadata, with
    /// `seal`'s public payload and commitment (what `migrate` turns a format-1 event with personal data into).
    static func sealed(_ event: RecordedEvent, seal: PersonalSeal) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        var streamWriter = ByteWriter(capacity: 64)
        streamWriter.writeString(event.stream.rawValue)
        let data = EventData(
            eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion, metadata: event.metadata,
            payload: event.payload, personal: seal)
        encode(data, encodedStream: streamWriter.bytes, version: event.version, recordedAt: event.recordedAt, into: &writer)
        return writer.bytes
    }

    /// The tag of the trailing OS-user field.
    static let osUserTag: UInt8 = 1
    /// The tag of the trailing commitment of a sealed event.
    static let commitmentTag: UInt8 = 2

    static func decode(position: UInt64, bytes: UnsafeRawBufferPointer) throws(EventStoreError) -> RecordedEvent {
        do {
            var reader = ByteReader(bytes)
            let format = try reader.readByte()
            guard format == Self.format || format == sealedFormat else {
                throw EventStoreError.corruptEvent(position: position, reason: "unknown envelope format \(format)")
            }
            let eventID = try reader.readUUID()
            let version = try reader.readVarUInt()
            let recordedAt = try reader.readDate()
            let schemaVersion = try reader.readVarUInt()
            let type = try reader.readString()
            let stream = try reader.readString()
            let actor = try reader.readString()
            let correlation = try reader.readOptionalUUID()
            let causation = try reader.readOptionalUUID()
            let payload = try reader.readBytes()
            var osUser: String?
            var commitment: [UInt8]?
            while !reader.isAtEnd {
                let tag = try reader.readByte()
                switch tag {
                case osUserTag: osUser = try reader.readString()
                case commitmentTag: commitment = try reader.readBytes()
                default:
                    throw EventStoreError.corruptEvent(position: position, reason: "unknown trailing envelope field \(tag)")
                }
            }
            guard (format == sealedFormat) == (commitment != nil) else {
                throw EventStoreError.corruptEvent(position: position, reason: "a sealed envelope needs its commitment, and only it")
            }
            var event = RecordedEvent(
                position: position, stream: StreamName(unchecked: stream), version: version, eventID: eventID,
                type: type, schemaVersion: UInt16(truncatingIfNeeded: schemaVersion), recordedAt: recordedAt,
                metadata: EventMetadata(actor: actor, correlationID: correlation, causationID: causation, osUser: osUser),
                payload: payload)
            event.commitment = commitment
            return event
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .corruptEvent(position: position, reason: "\(error)")
        }
    }
}

/// A zero-copy look at one stored event, for scans over millions of events (replay, rebuild, benchmarks).
///
/// Valid only inside the closure that received it: `payload` points into the memory map. Strings are decoded
/// only when asked for; `typeIs(_:)` compares the type without allocating.
public struct EventView {
    public let position: UInt64
    public let version: UInt64
    public let recordedAtMicroseconds: Int64
    public let schemaVersion: UInt16
    let typeBytes: UnsafeRawBufferPointer
    let streamBytes: UnsafeRawBufferPointer
    let bytes: UnsafeRawBufferPointer
    let tailOffset: Int
    /// The vault entry of a sealed event (salt ‖ whole payload), nil when erased or not sealed.
    var vaultEntry: UnsafeRawBufferPointer?

    /// Whether the envelope is sealed (its personal data lives in the vault).
    public var isSealed: Bool { bytes.first == EventEnvelope.sealedFormat }

    public var personalData: PersonalDataState {
        guard isSealed else { return .none }
        return vaultEntry == nil ? .erased : .present
    }

    init(position: UInt64, bytes: UnsafeRawBufferPointer) throws(EventStoreError) {
        if let view = Self.parsed(position: position, bytes: bytes) {
            self = view
            return
        }
        try self.init(checking: position, bytes: bytes)
    }

    private init(
        position: UInt64, version: UInt64, recordedAtMicroseconds: Int64, schemaVersion: UInt16,
        typeBytes: UnsafeRawBufferPointer, streamBytes: UnsafeRawBufferPointer, bytes: UnsafeRawBufferPointer, tailOffset: Int
    ) {
        self.position = position
        self.version = version
        self.recordedAtMicroseconds = recordedAtMicroseconds
        self.schemaVersion = schemaVersion
        self.typeBytes = typeBytes
        self.streamBytes = streamBytes
        self.bytes = bytes
        self.tailOffset = tailOffset
    }

    /// The scan's fast path: the same fields as `init(checking:bytes:)` reads, from raw memory, or nil when
    /// anything is unusual (then that initializer decides, and names the problem).
    @inline(__always)
    private static func parsed(position: UInt64, bytes: UnsafeRawBufferPointer) -> EventView? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 17,
              base[0] == EventEnvelope.format || base[0] == EventEnvelope.sealedFormat
        else { return nil }
        let end = bytes.count
        var offset = 17  // format byte, event id
        guard let version = varUInt(base, end, &offset),
              let recorded = varUInt(base, end, &offset),
              let schemaVersion = varUInt(base, end, &offset),
              let typeCount = varUInt(base, end, &offset), typeCount <= UInt64(end - offset)
        else { return nil }
        let typeStart = offset
        offset += Int(typeCount)
        guard let streamCount = varUInt(base, end, &offset), streamCount <= UInt64(end - offset) else { return nil }
        let streamStart = offset
        offset += Int(streamCount)
        return EventView(
            position: position, version: version,
            recordedAtMicroseconds: Int64(bitPattern: (recorded >> 1) ^ (0 &- (recorded & 1))),
            schemaVersion: UInt16(truncatingIfNeeded: schemaVersion),
            typeBytes: UnsafeRawBufferPointer(start: base + typeStart, count: Int(typeCount)),
            streamBytes: UnsafeRawBufferPointer(start: base + streamStart, count: Int(streamCount)),
            bytes: bytes, tailOffset: offset)
    }

    /// A varint of at most 9 bytes (it cannot overflow, so it reads as `ByteReader.readVarUInt` would); nil for
    /// longer or truncated ones.
    @inline(__always)
    private static func varUInt(_ base: UnsafePointer<UInt8>, _ end: Int, _ offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end && shift <= 56 {
            let byte = base[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    private init(checking position: UInt64, bytes: UnsafeRawBufferPointer) throws(EventStoreError) {
        do {
            var reader = ByteReader(bytes)
            let format = try reader.readByte()
            guard format == EventEnvelope.format || format == EventEnvelope.sealedFormat else {
                throw EventStoreError.corruptEvent(position: position, reason: "unknown envelope format")
            }
            self.position = position
            try reader.skip(16)  // the event id, decoded on demand
            self.version = try reader.readVarUInt()
            self.recordedAtMicroseconds = try reader.readVarInt()
            self.schemaVersion = UInt16(truncatingIfNeeded: try reader.readVarUInt())
            self.typeBytes = try reader.readBytesView()
            self.streamBytes = try reader.readBytesView()
            self.bytes = bytes
            self.tailOffset = reader.offset
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .corruptEvent(position: position, reason: "\(error)")
        }
    }

    public var eventID: UUID {
        var reader = ByteReader(bytes, offset: 1)
        return (try? reader.readUUID()) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }

    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    public var stream: StreamName { StreamName(unchecked: String(decoding: streamBytes, as: UTF8.self)) }
    public var recordedAt: Date { Date(timeIntervalSince1970: Double(recordedAtMicroseconds) / 1_000_000) }

    /// The type's UTF-8 bytes, pointing into the map.
    public var typeUTF8: UnsafeRawBufferPointer { typeBytes }
    /// The stream name's UTF-8 bytes, pointing into the map (compare or hash them without making a String).
    public var streamUTF8: UnsafeRawBufferPointer { streamBytes }

    /// Compares the event type without decoding a String.
    public func typeIs(_ type: StaticString) -> Bool {
        guard type.hasPointerRepresentation else { return type.withUTF8Buffer { $0.elementsEqual(typeBytes) } }
        let count = type.utf8CodeUnitCount
        guard count == typeBytes.count else { return false }
        return count == 0 || memcmp(type.utf8Start, typeBytes.baseAddress!, count) == 0
    }

    /// The payload bytes, pointing into the map: the whole payload from the vault while it is there, else the
    /// log's (the public one for an erased event).
    public var payload: UnsafeRawBufferPointer {
        if let vaultEntry {
            return UnsafeRawBufferPointer(rebasing: vaultEntry[EventVault.saltByteCount...])
        }
        return logPayload
    }

    /// The payload as the log holds it.
    var logPayload: UnsafeRawBufferPointer {
        var reader = ByteReader(bytes, offset: tailOffset)
        _ = try? reader.skipBytes()  // actor
        _ = try? reader.readOptionalUUID()
        _ = try? reader.readOptionalUUID()
        return (try? reader.readBytesView()) ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// A copy that outlives the transaction.
    public func materialize() throws(EventStoreError) -> RecordedEvent {
        try EventEnvelope.decode(position: position, bytes: bytes).joined(vaultEntry: vaultEntry.map { Array($0) })
    }
}
