import CustomerAggregate
import EventStore

extension CustomerEvent {
    /// The customer event stored in `event`, or a `ProjectionError` naming the position that cannot be read:
    /// a read model must not silently skip an event it should have understood.
    static func decodeForProjection(_ event: RecordedEvent) throws -> CustomerEvent {
        do {
            return try CustomerEvent.decode(typeName: event.type, schemaVersion: event.schemaVersion, bytes: event.payload)
        } catch {
            throw ProjectionError.undecodableEvent(position: event.position, type: event.type, reason: "\(error)")
        }
    }
}
