import CompactCodec

/// The log read newest first, for pages that show the latest events and go back a page at a time: each page
/// reads only the events it walks past, wherever it starts (a position is a key of `events`, so starting anywhere
/// is one seek).
extension StoreReader {
    /// Visits the log from `position` (inclusive; a position past the head starts at the head) down to the first
    /// event, without copying, joining the vault like `forEachEvent`; `body` returns false to stop.
    public func forEachEventBackward(from position: UInt64, _ body: (EventView) throws -> Bool) throws {
        guard position >= 1 else { return }
        try transaction.withCursor(events) { cursor in
            var positioned = try cursor.seek(atOrBefore: BigEndianUInt64(position))
            while positioned {
                guard try body(try joinedView(at: cursor)) else { return }
                positioned = try cursor.previous()
            }
        }
    }

    /// The event under `cursor` (of `events`), joined with its vault entry when it is sealed: the whole payload
    /// while the entry exists, the public one after erasure.
    func joinedView(at cursor: Cursor) throws -> EventView {
        var view = try EventView(position: readBigEndianUInt64(cursor.key), bytes: cursor.value)
        if view.isSealed {
            view.vaultEntry = try transaction.get(vault, BigEndianUInt64(view.position)) { $0 }
        }
        return view
    }
}
