import EventStore

extension EmailOutbox: ContentComparedProjection {
    /// An entry of an older store's format (its id repeated in the value) and the same entry in today's format
    /// are the same entry; every other difference is one. The state index of a table set written before it
    /// existed is built by the set's next write (`OutboxStateIndex`): until then there is nothing to compare.
    var contentComparedTables: [TableSpec] { [entries, states] }

    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        guard let rebuilt = rebuilt as? EmailOutbox else { return }
        try TableComparison.compare(
            live: reader.table(entries), rebuilt: reader.table(rebuilt.entries), in: reader
        ) { key, kind, liveValue, rebuiltValue in
            if kind == .different, let liveValue, let rebuiltValue,
               Self.sameEntry(key: key, liveValue, rebuiltValue) {
                return
            }
            report(entries.name, key, kind, liveValue, rebuiltValue)
        }
        guard try OutboxStateIndex.isBuilt(states, in: reader) else { return }
        try TableComparison.compare(live: reader.table(states), rebuilt: reader.table(rebuilt.states), in: reader) { key, kind, liveValue, rebuiltValue in
            report(states.name, key, kind, liveValue, rebuiltValue)
        }
    }

    /// Whether two stored values under `key` decode to equal entries (an undecodable one is a difference).
    static func sameEntry(key: [UInt8], _ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        key.withUnsafeBytes { key in
            lhs.withUnsafeBytes { lhs in
                rhs.withUnsafeBytes { rhs in
                    guard let left = try? OutboxEntry.decode(key: key, lhs),
                          let right = try? OutboxEntry.decode(key: key, rhs) else { return false }
                    return left == right
                }
            }
        }
    }
}
