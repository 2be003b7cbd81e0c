import EventStore

/// The projections a store keeps, declared once and used both to open the store and to rebuild it.
///
/// ```swift
/// let catalog = ProjectionCatalog([CustomerListView(), CustomerDirectory()])
/// let store = try EventStore(directory: url, projections: catalog.inlineProjections,
///                            additionalTables: catalog.additionalTables)
/// try ProjectionRebuilder(store: store, catalog: catalog).rebuild { print($0) }
/// ```
public struct ProjectionCatalog: Sendable {
    /// Suffix of the shadow tables of `.copy` projections.
    public static let shadowSuffix = ".shadow"

    public let projections: [any RebuildableProjection]

    public init(_ projections: [any RebuildableProjection]) {
        self.projections = projections
    }

    /// What to pass as `EventStore(projections:)`.
    public var inlineProjections: [any InlineProjection] { projections }

    /// What to pass as `EventStore(additionalTables:)`: the shadow tables and the rebuild bookkeeping, so that
    /// every process opens them at start-up (LMDB handles must be opened before use).
    public var additionalTables: [TableSpec] {
        var tables = [ActiveTableSet.table]
        for projection in projections {
            switch projection.swapMethod {
            case .copy: tables += projection.withTableSuffix(Self.shadowSuffix).tables
            case .switchTableSet(let alternate): tables += projection.withTableSuffix(alternate).tables
            }
        }
        return tables
    }
}
