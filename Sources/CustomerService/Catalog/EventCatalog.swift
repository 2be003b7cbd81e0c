import CustomerAggregate
import EventStore
import Foundation
import Projections

/// An event of the log in words and fields, for `events`, `history` and `audit`.
public struct DescribedEvent: Sendable {
    public let summary: String
    /// The payload as named fields (camelCase keys in a fixed order; times as ISO 8601 UTC).
    public let fields: [EventField]
}

/// Knows every event type customer-es writes and how to present it. Unknown types (written by a newer
/// version) are shown as such instead of failing: the log outlives any one build.
public enum EventCatalog {
    public typealias Describer = @Sendable (RecordedEvent) throws -> DescribedEvent

    /// Type name → describer. Each module that writes events contributes its entries here.
    public static let describers: [String: Describer] = {
        var table: [String: Describer] = [:]
        for type in CustomerEvent.typeNames {
            table[type] = { event in
                let decoded = try CustomerEvent.decode(typeName: event.type, schemaVersion: event.schemaVersion, bytes: event.payload)
                return DescribedEvent(summary: decoded.summary, fields: decoded.fields)
            }
        }
        table[SettingChanged.typeName] = { event in
            let decoded = try SettingChanged.decode(typeName: event.type, schemaVersion: event.schemaVersion, bytes: event.payload)
            return DescribedEvent(summary: decoded.summary, fields: decoded.fields)
        }
        for (type, describer) in additionalDescribers { table[type] = describer }
        return table
    }()

    /// Describers of event types defined outside the customer aggregate: the outbox's delivery events.
    static var additionalDescribers: [String: Describer] {
        let outbox: Describer = { event in
            let decoded = try OutboxEvent.decode(typeName: event.type, schemaVersion: event.schemaVersion, bytes: event.payload)
            return DescribedEvent(summary: decoded.summary, fields: decoded.fields)
        }
        return Dictionary(uniqueKeysWithValues: OutboxEvent.typeNames.map { ($0, outbox) })
    }

    public static func describe(_ event: RecordedEvent) -> DescribedEvent {
        guard let describer = describers[event.type] else {
            return DescribedEvent(
                summary: "\(event.type) (schema \(event.schemaVersion)): not known to this version of customer-es",
                fields: [EventField("payloadBytes", .integer(Int64(event.payload.count)))])
        }
        do {
            return try describer(event)
        } catch {
            return DescribedEvent(summary: "\(event.type): cannot be decoded (\(error))", fields: [])
        }
    }
}
