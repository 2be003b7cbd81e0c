/// The back office's "Add note": the text as typed, and the actor, who becomes the note's author.
public struct AddNote: Sendable, Equatable {
    public var message: String
    public var author: String

    public init(message: String, author: String) {
        self.message = message
        self.author = author
    }
}

/// Withdraw one note (it stays in the log and in `history`, no longer in `show`).
public struct WithdrawNote: Sendable, Equatable {
    /// As typed (`N2`).
    public var noteId: String
    public var reason: String?
    public var actor: String

    public init(noteId: String, reason: String? = nil, actor: String) {
        self.noteId = noteId
        self.reason = reason
        self.actor = actor
    }
}
