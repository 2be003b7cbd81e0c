import CompactCodec

// v1: verifiedAt date · tokenId optional uuid
extension EmailVerified {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(verifiedAt)
        writer.writeOptionalUUID(tokenId)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> EmailVerified {
        EmailVerified(verifiedAt: try reader.readDate(), tokenId: try reader.readOptionalUUID())
    }
}
