import CompactCodec

// EmailChangeRequested v1: email string · tokenId uuid · expiresAt date
extension EmailChangeRequested {
    func encode(into writer: inout ByteWriter) {
        writer.writeString(email)
        writer.writeUUID(tokenId)
        writer.writeDate(expiresAt)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> EmailChangeRequested {
        EmailChangeRequested(email: try reader.readString(), tokenId: try reader.readUUID(), expiresAt: try reader.readDate())
    }
}

// EmailChangeConfirmed v1: previousEmail string · email string · tokenId uuid · confirmedAt date
extension EmailChangeConfirmed {
    func encode(into writer: inout ByteWriter) {
        writer.writeString(previousEmail)
        writer.writeString(email)
        writer.writeUUID(tokenId)
        writer.writeDate(confirmedAt)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> EmailChangeConfirmed {
        EmailChangeConfirmed(
            previousEmail: try reader.readString(), email: try reader.readString(), tokenId: try reader.readUUID(),
            confirmedAt: try reader.readDate())
    }
}

// EmailChanged v1: previousEmail string · email string · reason string
extension EmailChanged {
    func encode(into writer: inout ByteWriter) {
        writer.writeString(previousEmail)
        writer.writeString(email)
        writer.writeString(reason)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> EmailChanged {
        EmailChanged(previousEmail: try reader.readString(), email: try reader.readString(), reason: try reader.readString())
    }
}
