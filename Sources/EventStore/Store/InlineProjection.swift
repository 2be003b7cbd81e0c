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
}
