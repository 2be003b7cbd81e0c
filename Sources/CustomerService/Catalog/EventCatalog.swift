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
/// version) are shown as such instead of failing: `events` is the raw log, and the log outlives any one build.
public enum EventCatalog {
    public typealias Describer = @Sendable (RecordedEvent) throws -> DescribedEvent

    /// Every family of events customer-es writes. A new family is added here, and nowhere else in the catalog.
    public static let families: [any EventFamily.Type] = [CustomerEvent.self, SettingChanged.self, OutboxEvent.self, AccessEvent.self]

    /// Type name → describer, built from `families`.
    public static let describers: [String: Describer] = {
        var table: [String: Describer] = [:]
        for family in families {
            let describer = describer(of: family)
            for type in family.types { table[type.rawValue] = describer }
        }
        return table
    }()

    private static func describer<Family: EventFamily>(of family: Family.Type) -> Describer {
        { event in
            let decoded = try Family.decode(event)
            guard event.personalData == .erased else { return DescribedEvent(summary: decoded.summary, fields: decoded.fields) }
            // The public part only: its blanked values say nothing, so say that they were erased.
            return DescribedEvent(
                summary: decoded.erasedSummary, fields: decoded.fields + [EventField("personalData", .string("erased"))])
        }
    }

    /// Type name → the public payload of a stored event of that type (nil when it carries no personal data):
    /// what `migrate` seals old events with.
    static let publicPayloads: [String: @Sendable (RecordedEvent) throws -> [UInt8]?] = {
        var table: [String: @Sendable (RecordedEvent) throws -> [UInt8]?] = [:]
        for family in families {
            let splitter = publicPayload(of: family)
            for type in family.types { table[type.rawValue] = splitter }
        }
        return table
    }()

    private static func publicPayload<Family: EventFamily>(of family: Family.Type) -> @Sendable (RecordedEvent) throws -> [UInt8]? {
        { event in try Family.decode(event).encodePublicPayload() }
    }

    public static func describe(_ event: RecordedEvent) -> DescribedEvent {
        guard let describer = describers[event.type] else {
            return DescribedEvent(
                summary: "\(event.type) (schema \(event.schemaVersion)): not known to this version of customer-es",
                fields: [EventField("payloadBytes", .integer(Int64(event.payload.count)))])
        }
        // The raw log shows every event, so a damaged one is shown with the decoding error (which names its
        // position) rather than ending the listing.
        do {
            return try describer(event)
        } catch {
            return DescribedEvent(summary: "\(error)", fields: [])
        }
    }
}
