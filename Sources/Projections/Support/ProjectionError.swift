import CustomerAggregate
/// Something the read side found wrong with the store's contents or with how it is being used. Each message
/// says what was found and what to do about it.
public enum ProjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stored row does not decode: the projection is damaged and must be rebuilt from the log.
    case corruptRow(sequence: UInt64, reason: String)
    /// A stored index entry does not decode.
    case corruptIndex(table: String, reason: String)
    /// An event a projection must understand cannot be decoded (written by a newer customer-es?).
    case undecodableEvent(position: UInt64, type: String, reason: String)
    /// A projection's tables were written by another version of customer-es, with other keys.
    case outdatedFormat(projection: String, found: UInt64, expected: UInt64)
    /// Another `rebuild`/`verify` started while this one ran; it now owns the shadow tables.
    case rebuildSuperseded
    /// The store was opened without the tables a rebuild needs.
    case missingTables(String)

    public var description: String {
        switch self {
        case let .corruptRow(sequence, reason):
            return "the customer list row created at position \(sequence) is damaged (\(reason)); the projections must be rebuilt from the log"
        case let .corruptIndex(table, reason):
            return "the projection table \(table) is damaged (\(reason)); the projections must be rebuilt from the log"
        case let .undecodableEvent(position, type, reason):
            return "event \(type) at position \(position) cannot be read (\(reason)); it was probably written by a newer customer-es: upgrade"
        case let .outdatedFormat(projection, found, expected) where found < expected:
            return "\(projection) was built by an older customer-es (format \(found), this version reads \(expected)): "
                + "it must be rebuilt once from the log (others can keep reading and writing meanwhile)"
        case let .outdatedFormat(projection, found, expected):
            return "\(projection) was built by a newer customer-es (format \(found), this version reads \(expected)): upgrade customer-es"
        case .rebuildSuperseded:
            return "another rebuild or verify started meanwhile and took over; let it finish (this one stopped without changing the live projections)"
        case let .missingTables(detail):
            return "the store was opened without the projection tables: \(detail)"
        }
    }

    /// What the person can do about it, for the front end to say in its terms (the CLI names `rebuild`).
    public var remedy: Remedy? {
        switch self {
        case .corruptRow, .corruptIndex: .rebuildProjections
        case let .outdatedFormat(_, found, expected) where found < expected: .rebuildProjections
        case .undecodableEvent, .outdatedFormat, .rebuildSuperseded, .missingTables: nil
        }
    }
}
