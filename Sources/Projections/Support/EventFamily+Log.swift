import CompactCodec
import CustomerAggregate
import EventStore

extension EventFamily {
    /// The event stored at `event`'s position, decoded; the one decoding entry point for readers of the log.
    ///
    /// - Throws: `ProjectionError.undecodableEvent` naming the position, whatever went wrong (a type or version
    ///   this build does not know, malformed bytes): a reader must never silently skip an event of its family.
    public static func decode(_ event: RecordedEvent) throws -> Self {
        try decodeAt(event.position, type: event.type) {
            try decode(typeName: event.type, schemaVersion: event.schemaVersion, bytes: event.payload)
        }
    }

    /// `decode(_:)` for an event read in place (valid only inside the scan that handed it out).
    public static func decode(_ event: EventView) throws -> Self {
        let type = event.type
        return try decodeAt(event.position, type: type) {
            try decode(typeName: type, schemaVersion: event.schemaVersion, payload: event.payload)
        }
    }

    private static func decodeAt(_ position: UInt64, type: String, _ body: () throws -> Self) throws -> Self {
        do {
            return try body()
        } catch {
            throw ProjectionError.undecodableEvent(position: position, type: type, reason: "\(error)")
        }
    }

    /// True when `event` is of this family (and so must decode).
    public static func contains(_ event: RecordedEvent) -> Bool {
        types.contains { $0.rawValue == event.type }
    }
}

extension RecordedEvent {
    public func typeIs(_ type: EventTypeName) -> Bool { self.type == type.rawValue }
}

extension EventView {
    /// Compares without making a `String`.
    public func typeIs(_ type: EventTypeName) -> Bool { typeIs(type.staticName) }
}

/// Makes the seal of an event that carries personal data: a fresh random salt and the commitment
/// SHA-256(salt ‖ payload). Injected (the application layer has the random source and the digest), so that no
/// event with personal data can be appended without one: `eventData` asks for it.
public protocol PersonalDataSealing: Sendable {
    func seal(payload: [UInt8], publicPayload: [UInt8]) -> PersonalSeal
}

extension EventFamily {
    /// The event as the store appends it: the one encoding entry point for writers of the log. An event with
    /// personal data (`withoutPersonalData` not nil) is sealed: the log gets the blanked payload, the vault the
    /// whole one. The event id is time-ordered (`TimeOrderedUUID`): the outbox keys its entries by the id of the
    /// event that asked for the email, and such keys fill its B-tree's pages instead of splitting them.
    public func eventData(metadata: EventMetadata, sealing: some PersonalDataSealing) -> EventData {
        let payload = encodePayload()
        let personal = encodePublicPayload().map { sealing.seal(payload: payload, publicPayload: $0) }
        return EventData(
            eventID: TimeOrderedUUID.next(), type: typeName, schemaVersion: schemaVersion, metadata: metadata,
            payload: payload, personal: personal)
    }
}
