import CompactCodec

/// The byte each enum value is stored as. Written out by hand (not derived from case order or raw values) so that
/// reordering or renaming a case can never change what old events mean. Codes are never reused.
/// The one-byte codes of enumerations in stored payloads — shared with read models that store profiles in the
/// same layout (the customer list copies a `CustomerCreated` profile byte for byte into its rows).
public enum WireCodes {
    public static func code(_ value: Salutation) -> UInt8 {
        switch value {
        case .mr: return 1
        case .mrs: return 2
        case .ms: return 3
        case .dr: return 4
        case .notApplicable: return 5
        }
    }

    /// Nil for a code no version ever wrote.
    public static func salutation(code: UInt8) -> Salutation? {
        switch code {
        case 1: return .mr
        case 2: return .mrs
        case 3: return .ms
        case 4: return .dr
        case 5: return .notApplicable
        default: return nil
        }
    }

    static func salutation(_ code: UInt8, offset: Int) throws -> Salutation {
        guard let salutation = salutation(code: code) else {
            throw CompactDecodingError("unknown salutation code \(code)", offset: offset)
        }
        return salutation
    }

    /// 0 stands for "no gender given".
    public static func code(_ value: Gender?) -> UInt8 {
        switch value {
        case nil: return 0
        case .male: return 1
        case .female: return 2
        }
    }

    /// `.some(nil)` for "no gender", nil for a code no version ever wrote.
    public static func gender(code: UInt8) -> Gender?? {
        switch code {
        case 0: return .some(nil)
        case 1: return .male
        case 2: return .female
        default: return nil
        }
    }

    static func gender(_ code: UInt8, offset: Int) throws -> Gender? {
        guard let gender = gender(code: code) else {
            throw CompactDecodingError("unknown gender code \(code)", offset: offset)
        }
        return gender
    }

    static func code(_ value: CustomerOrigin) -> UInt8 {
        switch value {
        case .backOffice: return 1
        case .import: return 2
        }
    }

    static func origin(_ code: UInt8, offset: Int) throws -> CustomerOrigin {
        switch code {
        case 1: return .backOffice
        case 2: return .import
        default: throw CompactDecodingError("unknown origin code \(code)", offset: offset)
        }
    }

    static func code(_ value: VerificationReason) -> UInt8 {
        switch value {
        case .signUp: return 1
        case .resend: return 2
        case .import: return 3
        case .emailChanged: return 4
        }
    }

    static func reason(_ code: UInt8, offset: Int) throws -> VerificationReason {
        switch code {
        case 1: return .signUp
        case 2: return .resend
        case 3: return .import
        case 4: return .emailChanged
        default: throw CompactDecodingError("unknown verification reason code \(code)", offset: offset)
        }
    }
}

extension ByteReader {
    /// A byte, with the offset it was read at (for error messages about its meaning).
    mutating func readCode() throws -> (code: UInt8, offset: Int) {
        let offset = self.offset
        return (try readByte(), offset)
    }

    /// Decoders call this last, so that a payload with extra bytes (a wrong version tag, a corrupt record) is
    /// refused rather than half-read.
    func expectEnd() throws {
        guard isAtEnd else {
            throw CompactDecodingError("\(remainingCount) unexpected trailing byte(s)", offset: offset)
        }
    }
}
