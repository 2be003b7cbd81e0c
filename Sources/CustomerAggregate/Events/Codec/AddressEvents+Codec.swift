import CompactCodec

// The stored form of address events (all v1).
// AddressAdded: address id varuint · defaults byte (bit 0 billing, bit 1 shipping) · field count byte · per
//   present field: field code byte (`AddressField.wireCode`) · value string.
// AddressEdited: address id varuint · billing byte · shipping byte (0 unchanged, 1 becomes the default, 2 gives
//   it up) · change count byte · per change: field code byte · value optional string (absent: cleared).
// AddressRemoved: address id varuint.
extension AddressEvent {
    public static let addedTypeName = EventTypeName("AddressAdded")
    public static let editedTypeName = EventTypeName("AddressEdited")
    public static let removedTypeName = EventTypeName("AddressRemoved")
    public static let types = [addedTypeName, editedTypeName, removedTypeName]

    public var type: EventTypeName {
        switch self {
        case .added: return Self.addedTypeName
        case .edited: return Self.editedTypeName
        case .removed: return Self.removedTypeName
        }
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeVarUInt(UInt64(addressId.number))
        switch self {
        case .added(let event):
            writer.writeByte((event.defaultBilling ? 1 : 0) | (event.defaultShipping ? 2 : 0))
            let fields = event.address.presentFields
            writer.writeByte(UInt8(fields.count))
            for (field, value) in fields {
                writer.writeByte(field.wireCode)
                writer.writeString(value)
            }
        case .edited(let event):
            writer.writeByte(Self.code(event.defaultBilling))
            writer.writeByte(Self.code(event.defaultShipping))
            writer.writeByte(UInt8(event.changes.count))
            for change in event.changes {
                writer.writeByte(change.field.wireCode)
                writer.writeOptionalString(change.value)
            }
        case .removed:
            break
        }
    }

    static func decodeV1(_ type: EventTypeName, from reader: inout ByteReader) throws -> AddressEvent? {
        let id: AddressID = try reader.readItemID()
        switch type {
        case addedTypeName:
            let defaults = try reader.readCode()
            guard defaults.code <= 3 else { throw CompactDecodingError("unknown address defaults \(defaults.code)", offset: defaults.offset) }
            var address = PostalAddress()
            for _ in 0..<(try reader.readByte()) {
                address[try reader.readAddressField()] = try reader.readString()
            }
            return .added(AddressAdded(
                addressId: id, address: address, defaultBilling: defaults.code & 1 != 0, defaultShipping: defaults.code & 2 != 0))
        case editedTypeName:
            let billing = try defaultChange(reader.readCode())
            let shipping = try defaultChange(reader.readCode())
            var changes: [AddressFieldChange] = []
            for _ in 0..<(try reader.readByte()) {
                changes.append(AddressFieldChange(try reader.readAddressField(), try reader.readOptionalString()))
            }
            return .edited(AddressEdited(addressId: id, changes: changes, defaultBilling: billing, defaultShipping: shipping))
        case removedTypeName:
            return .removed(AddressRemoved(addressId: id))
        default:
            return nil
        }
    }

    private static func code(_ change: Bool?) -> UInt8 {
        switch change {
        case nil: return 0
        case true?: return 1
        case false?: return 2
        }
    }

    private static func defaultChange(_ code: (code: UInt8, offset: Int)) throws -> Bool? {
        switch code.code {
        case 0: return nil
        case 1: return true
        case 2: return false
        default: throw CompactDecodingError("unknown address default change \(code.code)", offset: code.offset)
        }
    }
}

extension ByteReader {
    /// An address or note id: its number, 1 or more.
    mutating func readItemID<ID: CustomerItemID>(_: ID.Type = ID.self) throws -> ID {
        let offset = self.offset
        let number = try readVarUInt()
        guard number > 0, let value = UInt32(exactly: number) else {
            throw CompactDecodingError("invalid \(ID.self) number \(number)", offset: offset)
        }
        return ID(number: value)
    }

    mutating func readAddressField() throws -> AddressField {
        let code = try readCode()
        guard let field = AddressField(wireCode: code.code) else {
            throw CompactDecodingError("unknown address field code \(code.code)", offset: code.offset)
        }
        return field
    }
}
