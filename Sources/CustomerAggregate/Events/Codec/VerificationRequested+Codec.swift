import CompactCodec

// v1: tokenId uuid · expiresAt date · reason code byte
extension VerificationRequested {
    func encode(into writer: inout ByteWriter) {
        writer.writeUUID(tokenId)
        writer.writeDate(expiresAt)
        writer.writeByte(WireCodes.code(reason))
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> VerificationRequested {
        let tokenId = try reader.readUUID()
        let expiresAt = try reader.readDate()
        let reason = try reader.readCode()
        return VerificationRequested(
            tokenId: tokenId, expiresAt: expiresAt, reason: try WireCodes.reason(reason.code, offset: reason.offset)
        )
    }
}
