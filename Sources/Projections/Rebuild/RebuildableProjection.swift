import EventStore

/// How a finished rebuild becomes the live projection.
public enum RebuildSwapMethod: Sendable, Equatable {
    /// The live tables have fixed names. The rebuild fills the same tables with the suffix `.shadow` and, in its
    /// last write transaction, empties the live tables and copies the shadow rows into them in key order.
    /// Nothing changes for readers, at the price of one write transaction as large as the projection
    /// (fine for small lookup tables such as the customer directory).
    case copy
    /// The projection has two table sets, suffix "" and `alternateSuffix`, and finds the live one with
    /// `ActiveTableSet.suffix(of:in:)` in every transaction (its `apply` and its readers). The rebuild fills the
    /// idle set and goes live by rewriting that one value: the last transaction stays small however large the
    /// projection is.
    case switchTableSet(alternateSuffix: String)
}

/// An inline projection that `ProjectionRebuilder` can rebuild from the log and verify.
///
/// To make a projection rebuildable, implement `withTableSuffix(_:)`: the same projection (same `name`, same
/// code) writing to tables whose names carry `suffix`, with `tables` listed in the same order whatever the
/// suffix (the verifier compares them pairwise). `withTableSuffix("")` must be the live projection. Keep
/// `apply` deterministic: the same events must give the same bytes, batched or not.
public protocol RebuildableProjection: InlineProjection {
    /// The same projection over the tables named with `suffix` (always those, whatever is live).
    func withTableSuffix(_ suffix: String) -> Self
    /// `.copy` unless the projection manages two table sets itself.
    var swapMethod: RebuildSwapMethod { get }
    /// Rebuild fast path: return false for events `apply` ignores, judged on the zero-copy view (e.g. with
    /// `event.typeIs(_:)`), so that the rebuild does not copy them out of the map.
    func isInterested(in event: EventView) -> Bool
    // Rebuild also uses `InlineProjection.apply(batch:in:)`, which must leave exactly the bytes that `apply` one
    // event at a time would.
}

extension RebuildableProjection {
    public var swapMethod: RebuildSwapMethod { .copy }
    public func isInterested(in event: EventView) -> Bool { true }
}
