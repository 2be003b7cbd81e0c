import CompactCodec

// The stored form of note events (all v1).
// NoteAdded: note id varuint · message string · author string · addedAt date.
// NoteWithdrawn: note id varuint · reason optional string · withdrawnBy string · withdrawnAt date.
extension NoteEvent {
    public static let addedTypeName = EventTypeName("NoteAdded")
    public static let withdrawnTypeName = EventTypeName("NoteWithdrawn")
    public static let types = [addedTypeName, withdrawnTypeName]

    public var type: EventTypeName {
        switch self {
        case .added: return Self.addedTypeName
        case .withdrawn: return Self.withdrawnTypeName
        }
    }

    func encode(into writer: inout ByteWriter) {
        switch self {
        case .added(let event):
            writer.writeVarUInt(UInt64(event.noteId.number))
            writer.writeString(event.message)
            writer.writeString(event.author)
            writer.writeDate(event.addedAt)
        case .withdrawn(let event):
            writer.writeVarUInt(UInt64(event.noteId.number))
            writer.writeOptionalString(event.reason)
            writer.writeString(event.withdrawnBy)
            writer.writeDate(event.withdrawnAt)
        }
    }

    static func decodeV1(_ type: EventTypeName, from reader: inout ByteReader) throws -> NoteEvent? {
        switch type {
        case addedTypeName:
            return .added(NoteAdded(
                noteId: try reader.readItemID(NoteID.self), message: try reader.readString(), author: try reader.readString(),
                addedAt: try reader.readDate()))
        case withdrawnTypeName:
            return .withdrawn(NoteWithdrawn(
                noteId: try reader.readItemID(NoteID.self), reason: try reader.readOptionalString(),
                withdrawnBy: try reader.readString(), withdrawnAt: try reader.readDate()))
        default:
            return nil
        }
    }
}
