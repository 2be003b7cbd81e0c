import CustomerAggregate
import Foundation

/// The readable form of the delivery events, for `events`, `history` and the event catalog: a one-line summary and
/// camelCase fields in a fixed order (an interface, like the customer events' fields).
extension OutboxEvent {
    public var summary: String {
        switch self {
        case .sent(let event):
            return "Email <\(event.messageId)> sent by \(event.transport) (attempt \(event.attempt))"
        case .deliveryFailed(let event):
            return "Email delivery attempt \(event.attempt) failed; next attempt at \(UTCTime.iso8601(event.nextAttemptAt)): \(event.error)"
        case .dead(let event):
            return event.reason.isNotSent
                ? "Email not sent (\(event.reason.rawValue)): \(event.message)"
                : "Email dead after \(event.attempts) attempt(s) (\(event.reason.rawValue)): \(event.message)"
        case .requeued(let event):
            return "Dead email requeued for delivery (after \(event.previousAttempts) attempt(s))"
        }
    }

    public var fields: [EventField] {
        switch self {
        case .sent(let event):
            return [
                EventField("entryId", .string(event.entryId.uuidString.lowercased())),
                EventField("attempt", .integer(Int64(event.attempt))),
                EventField("sentAt", .timestamp(event.sentAt)),
                EventField("transport", .string(event.transport)),
                EventField("messageId", .string(event.messageId)),
                EventField("detail", .string(event.detail)),
            ]
        case .deliveryFailed(let event):
            return [
                EventField("entryId", .string(event.entryId.uuidString.lowercased())),
                EventField("attempt", .integer(Int64(event.attempt))),
                EventField("failedAt", .timestamp(event.failedAt)),
                EventField("error", .string(event.error)),
                EventField("nextAttemptAt", .timestamp(event.nextAttemptAt)),
            ]
        case .dead(let event):
            return [
                EventField("entryId", .string(event.entryId.uuidString.lowercased())),
                EventField("attempts", .integer(Int64(event.attempts))),
                EventField("at", .timestamp(event.at)),
                EventField("reason", .string(event.reason.rawValue)),
                EventField("message", .string(event.message)),
            ]
        case .requeued(let event):
            return [
                EventField("entryId", .string(event.entryId.uuidString.lowercased())),
                EventField("requeuedAt", .timestamp(event.requeuedAt)),
                EventField("previousAttempts", .integer(Int64(event.previousAttempts))),
            ]
        }
    }
}
