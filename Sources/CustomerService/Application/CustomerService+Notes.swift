import CustomerAggregate
import Foundation

extension CustomerService {
    /// `note add CUSTOMER --message TEXT`: the actor is the author; the note gets the customer's next id (`N1`, …).
    public func addNote(_ customer: String, message: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try decideOnLatestState(
            customer, .addNote(AddNote(message: message, author: metadata.actor)), fingerprint: ["note add", customer, message],
            metadata: metadata
        ) { event in
            guard case .note(.added(let added)) = event else { return "Note was added." }
            return "Note \(added.noteId) was added."
        }
    }

    /// `note withdraw CUSTOMER NOTE-ID [--reason TEXT]`: the note leaves `show`, stays in `history` with who
    /// withdrew it.
    public func withdrawNote(_ customer: String, noteId: String, reason: String?, metadata: CommandMetadata) throws -> CommandOutcome {
        try decideOnLatestState(
            customer, .withdrawNote(WithdrawNote(noteId: noteId, reason: reason, actor: metadata.actor)),
            fingerprint: ["note withdraw", customer, noteId, reason ?? ""], metadata: metadata
        ) { event in
            guard case .note(.withdrawn(let withdrawn)) = event else { return "Note was withdrawn." }
            return "Note \(withdrawn.noteId) was withdrawn."
        }
    }

    /// `note list CUSTOMER [--all]`: the live notes oldest first, or every note with its withdrawal.
    public func notes(of customer: String, includingWithdrawn: Bool = false) throws -> [CustomerNote] {
        let (_, state, _) = try self.customer(customer)
        return includingWithdrawn ? state.notes : state.liveNotes
    }
}
