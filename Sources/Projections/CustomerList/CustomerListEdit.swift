import CustomerAggregate
import CompactCodec
import EventStore

/// Applies one change of a customer's profile (`CustomerEdited`, or the email of `EmailChangeConfirmed` /
/// `EmailChanged`, or the erasure of `CustomerForgotten`) to a table set of the customer list: the row gets the new profile, the name and email order
/// keys move, the search index follows the new text. Status, counters and status bits do not change.
enum CustomerListEdit {
    /// The events applied here, one by one at their place in the log.
    static let types = [CustomerEvent.editedTypeName] + CustomerEvent.emailSwitchTypes + [CustomerEvent.forgottenTypeName]

    /// The new profile `event` gives a customer whose profile is `profile` (nil: the event is not a profile change).
    static func changedProfile(_ event: CustomerEvent, _ profile: CustomerProfile) -> CustomerProfile? {
        var result = profile
        switch event {
        case .edited(let edited): return edited.applied(to: profile)
        case .emailChangeConfirmed(let confirmed): result.email = confirmed.email
        case .emailChanged(let changed): result.email = changed.email
        // The row stays (reference, status, times) with the erased profile, so its name and email keys and its
        // search postings other than the reference's leave the indexes. A rebuild reads the customer's events
        // already blanked, so it arrives at the same row and keys.
        case .forgotten: return profile.withoutPersonalData
        default: return nil
        }
        return result
    }

    static func apply(_ event: CustomerEvent, stream: StreamName, tables: CustomerListTables, in writer: StoreWriter) throws {
        guard let sequence = try CustomerListView.creationSequence(of: stream, in: writer),
              var row = try CustomerListView.row(at: sequence, tables: tables, in: writer),
              let profile = changedProfile(event, row.profile)
        else { return }
        guard profile != row.profile else { return }  // already applied (a replayed event)
        let old = FoldedRow(row)
        row.profile = profile
        let new = FoldedRow(row)
        try writer.put(tables.rows, BigEndianUInt64(sequence), CustomerRowCodec.encode(row))
        for (oldKey, newKey) in zip(old.orderKeys(status: row.status, sequence: sequence), new.orderKeys(status: row.status, sequence: sequence))
        where oldKey != newKey {
            _ = try writer.delete(tables.order, oldKey)
            try writer.put(tables.order, newKey, [UInt8]())
        }
        try TrigramIndex.replace(sequence: sequence, old: old.searchFields, new: new.searchFields, table: tables.grams, in: writer)
    }
}
