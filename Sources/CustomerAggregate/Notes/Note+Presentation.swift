/// Notes as every reader shows them: `show`, `note list`, events' readable form, `history`'s diff.
extension CustomerNote {
    public var shownValues: [CustomerFieldValue] {
        [
            CustomerFieldValue(name: "id", label: "Note", value: .string(id.description)),
            CustomerFieldValue(name: "message", label: "Message", value: .string(message)),
            CustomerFieldValue(name: "author", label: "Author", value: .string(author)),
            CustomerFieldValue(name: "addedAt", label: "Added", value: .timestamp(addedAt)),
            CustomerFieldValue(name: "withdrawnBy", label: "Withdrawn by", value: .text(withdrawal?.withdrawnBy)),
            CustomerFieldValue(name: "withdrawnAt", label: "Withdrawn", value: withdrawal.map { .timestamp($0.withdrawnAt) } ?? .null),
            CustomerFieldValue(name: "withdrawalReason", label: "Reason", value: .text(withdrawal?.reason)),
        ]
    }
}

extension CustomerState {
    /// The notes that are not withdrawn, oldest first (what `show` lists).
    public var liveNotes: [CustomerNote] { notes.filter(\.isLive) }
}

extension NoteEvent {
    var fields: [EventField] {
        switch self {
        case .added(let event):
            return [
                EventField("noteId", .string(event.noteId.description)),
                EventField("message", .string(event.message)),
                EventField("author", .string(event.author)),
                EventField("addedAt", .timestamp(event.addedAt)),
            ]
        case .withdrawn(let event):
            return [
                EventField("noteId", .string(event.noteId.description)),
                EventField("reason", .text(event.reason)),
                EventField("withdrawnBy", .string(event.withdrawnBy)),
                EventField("withdrawnAt", .timestamp(event.withdrawnAt)),
            ]
        }
    }

    /// The first line of a note, cut at 60 characters, keeps `history` to one line per event.
    var summary: String {
        switch self {
        case .added(let event):
            let firstLine = event.message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let excerpt = firstLine.count > 60 || firstLine.count < event.message.count ? String(firstLine.prefix(60)) + "…" : firstLine
            return "Note \(event.noteId) added by \(event.author): \(excerpt)"
        case .withdrawn(let event):
            return "Note \(event.noteId) withdrawn by \(event.withdrawnBy)" + (event.reason.map { ": \($0)" } ?? "")
        }
    }
}
