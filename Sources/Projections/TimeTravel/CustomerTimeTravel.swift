import CustomerAggregate
import EventStore
import Foundation

/// `customer-es show CUSTOMER --as-of TIME`: the customer as the store knew it at a past instant.
///
/// Replays the customer's stream up to and including the last event *recorded* at or before `asOf`. Recorded
/// times never go backwards along the log, so this cuts the stream at one point. It is what the store knew
/// then: a customer imported today as "registered in 2019" did not exist for the store in 2020.
public enum CustomerTimeTravel {
    /// nil when the customer did not exist (yet) at `asOf`.
    public static func state(of id: CustomerID, asOf: Date, in reader: StoreReader) throws -> CustomerState? {
        guard let stream = try? StreamName(id.streamName) else { return nil }
        var state = CustomerDecider.initialState
        var erasedSince = false
        for event in try reader.readStream(stream) {
            if event.personalData == .erased { erasedSince = true }
            guard event.recordedAt <= asOf else { continue }
            let decoded = try CustomerEvent.decode(event)
            state = CustomerDecider.evolve(state, decoded)
        }
        // What the store knew then, less what it has erased since: the events read blank.
        if erasedSince { state.personalDataErased = true }
        return state.exists ? state : nil
    }
}
