extension CustomerDecider {
    static let maximumNoteLength = 5_000
    static let maximumWithdrawalReasonLength = 255

    /// `NoteAdded` with the next id. The message is trimmed and must have 1–5 000 characters; it may span
    /// lines (line feeds and tabs are kept, a CR LF becomes a line feed) but carry no other control character.
    static func decideAddNote(_ command: AddNote, state: CustomerState, context: DecisionContext) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let message = command.message.replacingCRLF().trimmed()
        var problems: [Problem] = []
        if message.isEmpty {
            problems.append(Problem(field: "message", message: "Message is required", rule: .required))
        } else if message.count > maximumNoteLength {
            problems.append(Problem(
                field: "message", message: "Message must be at most \(maximumNoteLength) characters (it has \(message.count))",
                rule: .tooLong, arguments: ["maximum": "\(maximumNoteLength)", "actual": "\(message.count)"]))
        }
        if message.contains(where: { $0 != "\n" && $0 != "\t" && String($0).containsControlCharacters }) {
            problems.append(Problem(
                field: "message", message: "Message must not contain control characters other than line breaks and tabs",
                rule: .controlCharactersBesideLineBreaks))
        }
        guard problems.isEmpty else { throw noteFailure(problems) }
        return [.note(.added(NoteAdded(noteId: state.notes.nextID, message: message, author: command.author, addedAt: context.stamp)))]
    }

    /// `NoteWithdrawn` for a live note; an optional one-line reason of at most 255 characters.
    static func decideWithdrawNote(_ command: WithdrawNote, state: CustomerState, context: DecisionContext) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        guard let id = NoteID(parsing: command.noteId), let note = state.notes.first(where: { $0.id == id }) else {
            let known = state.notes.filter(\.isLive).map(\.id.description)
            let list = known.isEmpty ? "the customer has no live note" : "the customer's live notes are \(known.joined(separator: ", "))"
            let text = command.noteId.escapingControlCharacters
            throw DomainError(.noteNotFound, "\(state.displayName) has no note \(text) (\(list))",
                              problems: [Problem(
                field: "note-id", message: "no note \(text); \(list)", rule: .unknownItem,
                arguments: ["id": text, "known": known.joined(separator: ", ")])])
        }
        if let withdrawal = note.withdrawal {
            throw DomainError(.noteAlreadyWithdrawn,
                              "Note \(id) was already withdrawn by \(withdrawal.withdrawnBy.escapingControlCharacters) at \(UTCTime.iso8601(withdrawal.withdrawnAt))")
        }
        let reason = command.reason?.trimmedNonEmpty()
        var problems: [Problem] = []
        if let reason {
            if reason.count > maximumWithdrawalReasonLength {
                problems.append(Problem(
                    field: "reason", message: "Reason must be at most \(maximumWithdrawalReasonLength) characters",
                    rule: .tooLong, arguments: ["maximum": "\(maximumWithdrawalReasonLength)"]))
            }
            if reason.containsControlCharacters {
                problems.append(Problem(
                    field: "reason", message: "Reason must not contain control characters (such as line breaks or tabs)",
                    rule: .controlCharacters))
            }
        }
        guard problems.isEmpty else { throw noteFailure(problems) }
        return [.note(.withdrawn(NoteWithdrawn(noteId: id, reason: reason, withdrawnBy: command.actor, withdrawnAt: context.stamp)))]
    }

    private static func noteFailure(_ problems: [Problem]) -> DomainError {
        DomainError(.validationFailed, "Invalid note: " + problems.map(\.message).joined(separator: "; "), problems: problems)
    }
}

extension String {
    /// CR LF and lone CR as line feeds: a note pasted from another system reads the same everywhere.
    func replacingCRLF() -> String {
        guard contains("\r") || unicodeScalars.contains("\r") else { return self }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCR = true
            } else {
                if !(scalar == "\n" && previousWasCR) { result.append(scalar) }
                previousWasCR = false
            }
        }
        return String(result)
    }
}
