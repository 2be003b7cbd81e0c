import CompactCodec

// v1: tokenId uuid · expiresAt date
extension PasswordTokenIssued {
    func encode(into writer: inout ByteWriter) {
        writer.writeUUID(tokenId)
        writer.writeDate(expiresAt)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> PasswordTokenIssued {
        PasswordTokenIssued(tokenId: try reader.readUUID(), expiresAt: try reader.readDate())
    }
}
