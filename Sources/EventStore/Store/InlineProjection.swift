/// A read model kept in the same write transaction as the events it follows.
///
/// The store calls `apply` for every event appended through `StoreWriter.append`, then records the
/// projection's checkpoint (`name`) at the last appended position, all in the same transaction: the projection is
/// never behind or ahead of the log, even across kill -9. `apply` must only touch the projection's own tables
/// and must be deterministic (the same events give the same bytes), so that a rebuild reproduces it exactly.
public protocol InlineProjection: Sendable {
    /// Also the name of its checkpoint.
    var name: String { get }
    /// The tables this projection owns; opened with the store.
    var tables: [TableSpec] { get }
    func apply(_ event: RecordedEvent, in writer: StoreWriter) throws
    /// Several events at once, in log order (a rebuild chunk, or a transaction's events when applied at commit).
    func apply(batch events: [RecordedEvent], in writer: StoreWriter) throws
    /// When true, the store applies this projection once per write transaction, to all the events appended in
    /// it, just before the commit — still atomic with them, but batched (a bulk load touches each index page
    /// once instead of once per event). The price: code in the same transaction does not see its changes, so
    /// only read models that no command consults while deciding may opt in.
    var appliesAtCommit: Bool { get }
}

extension InlineProjection {
    public func apply(batch events: [RecordedEvent], in writer: StoreWriter) throws {
        for event in events { try apply(event, in: writer) }
    }

    public var appliesAtCommit: Bool { false }
}
