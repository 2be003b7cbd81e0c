import CompactCodec

// v1: customerId uuid · reference prefix string · reference number varuint · email string · salutation code byte ·
// firstName string · lastName string · gender code byte (0 = none) · dateOfBirth bool [+ year varuint + month byte
// + day byte] · phone optional string · company optional string · locale string · createdAt date · origin code byte
extension CustomerCreated {
    func encode(into writer: inout ByteWriter) {
        Self.encodeIdentityAndProfile(customerId: customerId, reference: reference, profile: profile, into: &writer)
        writer.writeDate(createdAt)
        writer.writeByte(WireCodes.code(origin))
    }

    /// customerId · reference · profile, in the v1 layout. Public because the customer list stores its rows in
    /// this same layout (its rebuild copies these bytes straight out of the log), so both must share one encoder.
    public static func encodeIdentityAndProfile(
        customerId: CustomerID, reference: CustomerReference, profile: CustomerProfile, into writer: inout ByteWriter
    ) {
        writer.writeUUID(customerId.uuid)
        writer.writeString(reference.prefix)
        writer.writeVarUInt(reference.number)
        writer.writeString(profile.email)
        writer.writeByte(WireCodes.code(profile.salutation))
        writer.writeString(profile.firstName)
        writer.writeString(profile.lastName)
        writer.writeByte(WireCodes.code(profile.gender))
        if let date = profile.dateOfBirth {
            writer.writeBool(true)
            writer.writeVarUInt(UInt64(date.year))
            writer.writeByte(UInt8(date.month))
            writer.writeByte(UInt8(date.day))
        } else {
            writer.writeBool(false)
        }
        writer.writeOptionalString(profile.phone)
        writer.writeOptionalString(profile.company)
        writer.writeString(profile.locale)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> CustomerCreated {
        let (customerId, reference, profile) = try decodeIdentityAndProfile(&reader)
        let createdAt = try reader.readDate()
        let origin = try reader.readCode()
        return CustomerCreated(
            customerId: customerId, reference: reference, profile: profile, createdAt: createdAt,
            origin: try WireCodes.origin(origin.code, offset: origin.offset)
        )
    }

    /// Reads what `encodeIdentityAndProfile` writes (the customer list's rows hold the same bytes).
    public static func decodeIdentityAndProfile(
        _ reader: inout ByteReader
    ) throws -> (CustomerID, CustomerReference, CustomerProfile) {
        let customerId = CustomerID(try reader.readUUID())
        let reference = CustomerReference(prefix: try reader.readString(), number: try reader.readVarUInt())
        let email = try reader.readString()
        let salutation = try reader.readCode()
        let firstName = try reader.readString()
        let lastName = try reader.readString()
        let gender = try reader.readCode()
        let dateOfBirth = try reader.readBool() ? try reader.readCalendarDate() : nil
        let phone = try reader.readOptionalString()
        let company = try reader.readOptionalString()
        let locale = try reader.readString()
        let profile = CustomerProfile(
            email: email,
            salutation: try WireCodes.salutation(salutation.code, offset: salutation.offset),
            firstName: firstName,
            lastName: lastName,
            gender: try WireCodes.gender(gender.code, offset: gender.offset),
            dateOfBirth: dateOfBirth,
            phone: phone,
            company: company,
            locale: locale
        )
        return (customerId, reference, profile)
    }
}

extension ByteReader {
    /// year varuint · month byte · day byte, refused unless it is a real day.
    mutating func readCalendarDate() throws -> CalendarDate {
        let start = offset
        let year = try readVarUInt()
        let month = try readByte()
        let day = try readByte()
        guard year <= 9999, let date = CalendarDate(year: Int(year), month: Int(month), day: Int(day)) else {
            throw CompactDecodingError("invalid calendar date \(year)-\(month)-\(day)", offset: start)
        }
        return date
    }
}
