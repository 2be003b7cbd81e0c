import CompactCodec

// v1: change count byte · per change: field code byte · value — salutation code byte | first/last name string |
// gender code byte (0 = cleared) | dateOfBirth bool [+ year varuint + month byte + day byte] | phone/company
// optional string | locale string. Field codes: 1 salutation, 2 first name, 3 last name, 4 gender, 5 date of
// birth, 6 phone, 7 company, 8 locale (written out, never derived from case order; never reused).
extension CustomerEdited {
    func encode(into writer: inout ByteWriter) {
        writer.writeByte(UInt8(changes.count))
        for change in changes {
            switch change {
            case .salutation(let value):
                writer.writeByte(1)
                writer.writeByte(WireCodes.code(value))
            case .firstName(let value):
                writer.writeByte(2)
                writer.writeString(value)
            case .lastName(let value):
                writer.writeByte(3)
                writer.writeString(value)
            case .gender(let value):
                writer.writeByte(4)
                writer.writeByte(WireCodes.code(value))
            case .dateOfBirth(let value):
                writer.writeByte(5)
                if let value {
                    writer.writeBool(true)
                    writer.writeVarUInt(UInt64(value.year))
                    writer.writeByte(UInt8(value.month))
                    writer.writeByte(UInt8(value.day))
                } else {
                    writer.writeBool(false)
                }
            case .phone(let value):
                writer.writeByte(6)
                writer.writeOptionalString(value)
            case .company(let value):
                writer.writeByte(7)
                writer.writeOptionalString(value)
            case .locale(let value):
                writer.writeByte(8)
                writer.writeString(value)
            }
        }
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> CustomerEdited {
        let count = try reader.readByte()
        var changes: [ProfileChange] = []
        for _ in 0..<count {
            let field = try reader.readCode()
            switch field.code {
            case 1:
                let code = try reader.readCode()
                changes.append(.salutation(try WireCodes.salutation(code.code, offset: code.offset)))
            case 2: changes.append(.firstName(try reader.readString()))
            case 3: changes.append(.lastName(try reader.readString()))
            case 4:
                let code = try reader.readCode()
                changes.append(.gender(try WireCodes.gender(code.code, offset: code.offset)))
            case 5: changes.append(.dateOfBirth(try reader.readBool() ? try reader.readCalendarDate() : nil))
            case 6: changes.append(.phone(try reader.readOptionalString()))
            case 7: changes.append(.company(try reader.readOptionalString()))
            case 8: changes.append(.locale(try reader.readString()))
            default: throw CompactDecodingError("unknown edited field code \(field.code)", offset: field.offset)
            }
        }
        return CustomerEdited(changes: changes)
    }
}
