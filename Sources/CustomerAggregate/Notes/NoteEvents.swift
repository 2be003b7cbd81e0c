import Foundation

/// What can happen to a customer's notes. One case of `CustomerEvent` (`.note`), two stored types. A note is
/// never edited: it is added, and may be withdrawn, and both stay in the log with who did it.
public enum NoteEvent: Sendable, Equatable {
    case added(NoteAdded)
    case withdrawn(NoteWithdrawn)
}

public struct NoteAdded: Sendable, Equatable {
    public var noteId: NoteID
    public var message: String
    /// The actor who wrote it.
    public var author: String
    public var addedAt: Date

    public init(noteId: NoteID, message: String, author: String, addedAt: Date) {
        self.noteId = noteId
        self.message = message
        self.author = author
        self.addedAt = addedAt
    }
}

public struct NoteWithdrawn: Sendable, Equatable {
    public var noteId: NoteID
    public var reason: String?
    /// The actor who withdrew it.
    public var withdrawnBy: String
    public var withdrawnAt: Date

    public init(noteId: NoteID, reason: String?, withdrawnBy: String, withdrawnAt: Date) {
        self.noteId = noteId
        self.reason = reason
        self.withdrawnBy = withdrawnBy
        self.withdrawnAt = withdrawnAt
    }
}

/// One note as its events have left it; a withdrawn note keeps its text (for `history` and `note list --all`)
/// and says who withdrew it, when and why.
public struct CustomerNote: Sendable, Equatable {
    public var id: NoteID
    public var message: String
    public var author: String
    public var addedAt: Date
    public var withdrawal: NoteWithdrawn?

    public var isLive: Bool { withdrawal == nil }
}

extension Array where Element == CustomerNote {
    mutating func apply(_ event: NoteEvent) {
        switch event {
        case .added(let added):
            guard !contains(where: { $0.id == added.noteId }) else { return }
            append(CustomerNote(id: added.noteId, message: added.message, author: added.author, addedAt: added.addedAt))
        case .withdrawn(let withdrawn):
            guard let index = firstIndex(where: { $0.id == withdrawn.noteId }), self[index].isLive else { return }
            self[index].withdrawal = withdrawn
        }
    }

    /// Notes are never removed from state, so the next number is one past the count.
    var nextID: NoteID { NoteID(number: UInt32(count) + 1) }
}
