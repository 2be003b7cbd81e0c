/// A zero-copy look at a `CustomerCreated` v1 payload (layout in `CustomerCreated+Codec.swift`), for scans over
/// millions of events (a projection rebuild) that must not allocate a `String` per field.
///
/// `init` succeeds only when `CustomerCreated.decodeV1` would succeed on the same bytes **and** every integer
/// before `createdAt` is in its canonical (shortest) varint form, which is what `ByteWriter` always writes. So a
/// caller may treat `payload[0..<createdAtOffset]` as the canonical encoding of the fields before `createdAt`.
/// It returns nil otherwise — not only for bad payloads — and the caller then takes the decoding path, which
/// reports real errors. Strings are not checked for UTF-8 validity (`decodeV1` repairs invalid UTF-8 as
/// `String(decoding:)` does); callers that copy string bytes must check that themselves.
public struct CustomerCreatedView {
    public let payload: UnsafeRawBufferPointer
    /// Byte ranges in `payload`.
    public let prefix: Range<Int>
    public let referenceNumber: UInt64
    public let email: Range<Int>
    public let firstName: Range<Int>
    public let lastName: Range<Int>
    public let phone: Range<Int>?
    public let company: Range<Int>?
    public let locale: Range<Int>
    /// Where `createdAt` starts: the bytes before it are customer id … locale.
    public let createdAtOffset: Int
    public let createdAtMicroseconds: Int64

    public init?(v1 payload: UnsafeRawBufferPointer) {
        guard let profile = CustomerProfileView(payload, from: 0) else { return nil }
        var parser = profile.parserAfterLocale
        let createdAtOffset = parser.offset
        guard let createdAt = parser.varUInt(),
              let origin = parser.byte(), (1...2).contains(origin),
              parser.offset == parser.end
        else { return nil }
        self.payload = payload
        self.prefix = profile.prefix
        self.referenceNumber = profile.referenceNumber
        self.email = profile.email
        self.firstName = profile.firstName
        self.lastName = profile.lastName
        self.phone = profile.phone
        self.company = profile.company
        self.locale = profile.locale
        self.createdAtOffset = createdAtOffset
        self.createdAtMicroseconds = Int64(bitPattern: (createdAt >> 1) ^ (0 &- (createdAt & 1)))
    }

    /// The bytes of one of the ranges above.
    @inline(__always)
    public func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: payload[range])
    }
}

/// The identity and profile of a customer read in place: customer id (16) · reference prefix · reference number
/// · email · salutation code · first name · last name · gender code · date of birth · phone? · company? · locale,
/// the layout `CustomerCreated.encodeIdentityAndProfile` writes at the start of a `CustomerCreated` v1 payload and
/// of a customer-list row. Byte ranges are in the buffer it was made from; `init` succeeds only when the decoder
/// would accept those bytes and every integer in them is in its canonical (shortest) varint form.
public struct CustomerProfileView {
    public let prefix: Range<Int>
    public let referenceNumber: UInt64
    public let email: Range<Int>
    public let firstName: Range<Int>
    public let lastName: Range<Int>
    public let phone: Range<Int>?
    public let company: Range<Int>?
    public let locale: Range<Int>
    /// Where the bytes after the locale start.
    public var endOffset: Int { parserAfterLocale.offset }
    fileprivate let parserAfterLocale: CustomerCodecParser

    /// The profile that starts at `offset` of `bytes`.
    public init?(_ bytes: UnsafeRawBufferPointer, from offset: Int) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), offset <= bytes.count else { return nil }
        var parser = CustomerCodecParser(base: base, end: bytes.count)
        parser.offset = offset
        guard parser.skip(16),  // customer id
              let prefix = parser.string(),
              let number = parser.canonicalVarUInt(),
              let email = parser.string(),
              let salutation = parser.byte(), (1...5).contains(salutation),
              let firstName = parser.string(),
              let lastName = parser.string(),
              let gender = parser.byte(), gender <= 2,
              let hasDateOfBirth = parser.bool()
        else { return nil }
        if hasDateOfBirth {
            guard let year = parser.canonicalVarUInt(), year <= 9999,
                  let month = parser.byte(), let day = parser.byte(),
                  CalendarDate(year: Int(year), month: Int(month), day: Int(day)) != nil
            else { return nil }
        }
        guard let phone = parser.optionalString(),
              let company = parser.optionalString(),
              let locale = parser.string()
        else { return nil }
        self.prefix = prefix
        self.referenceNumber = number
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.company = company
        self.locale = locale
        self.parserAfterLocale = parser
    }
}

/// Bounds-checked reads that answer nil instead of throwing (the caller falls back to the decoder).
fileprivate struct CustomerCodecParser {
    let base: UnsafePointer<UInt8>
    let end: Int
    var offset = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    mutating func skip(_ count: Int) -> Bool {
        guard end - offset >= count else { return false }
        offset += count
        return true
    }

    mutating func byte() -> UInt8? {
        guard offset < end else { return nil }
        defer { offset += 1 }
        return base[offset]
    }

    mutating func bool() -> Bool? {
        guard let value = byte(), value <= 1 else { return nil }
        return value == 1
    }

    /// `ByteReader.readVarUInt`'s rules (at most 10 bytes, no overflow).
    mutating func varUInt() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end {
            let byte = base[offset]
            offset += 1
            if shift == 63, byte > 1 { return nil }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// A varint in its shortest form (what `ByteWriter` writes): a last byte of 0 after others is not.
    mutating func canonicalVarUInt() -> UInt64? {
        let start = offset
        guard let value = varUInt() else { return nil }
        if offset - start > 1 && base[offset - 1] == 0 { return nil }
        return value
    }

    mutating func string() -> Range<Int>? {
        guard let count = canonicalVarUInt(), count <= UInt64(end - offset) else { return nil }
        let start = offset
        offset += Int(count)
        return start..<offset
    }

    /// `.some(nil)` for an absent value, nil for malformed bytes.
    mutating func optionalString() -> Optional<Range<Int>>? {
        guard let present = bool() else { return nil }
        guard present else { return .some(nil) }
        guard let range = string() else { return nil }
        return .some(range)
    }
}

/// `EmailVerified` v1 read in place (layout in `EmailVerified+Codec.swift`): only the time, for scans that do not
/// need the token id. `init` succeeds exactly when `EmailVerified.decodeV1` would.
public struct EmailVerifiedView {
    public let verifiedAtMicroseconds: Int64

    public init?(v1 payload: UnsafeRawBufferPointer) {
        guard let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let end = payload.count
        var offset = 0
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while true {  // `ByteReader.readVarUInt`'s rules
            guard offset < end else { return nil }
            let byte = base[offset]
            offset += 1
            if shift == 63, byte > 1 { return nil }
            raw |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 63 { return nil }
        }
        guard offset < end, base[offset] <= 1 else { return nil }
        let hasToken = base[offset] == 1
        offset += 1
        if hasToken { offset += 16 }
        guard offset == end else { return nil }
        verifiedAtMicroseconds = Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
