import CompactCodec

// v1: forgottenAt date · reason string
extension CustomerForgotten {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(forgottenAt)
        writer.writeString(reason)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> CustomerForgotten {
        CustomerForgotten(forgottenAt: try reader.readDate(), reason: try reader.readString())
    }
}
