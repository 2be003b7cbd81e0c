import CompactCodec

// v1: setAt date · source code byte · tokenId optional uuid · algorithm string
extension PasswordSet {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(setAt)
        writer.writeByte(WireCodes.code(source))
        writer.writeOptionalUUID(tokenId)
        writer.writeString(algorithm)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> PasswordSet {
        let setAt = try reader.readDate()
        let source = try reader.readCode()
        return PasswordSet(
            setAt: setAt, source: try WireCodes.passwordSource(source.code, offset: source.offset),
            tokenId: try reader.readOptionalUUID(), algorithm: try reader.readString())
    }
}

// v1: rehashedAt date · fromAlgorithm string · toAlgorithm string
extension PasswordRehashed {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(rehashedAt)
        writer.writeString(fromAlgorithm)
        writer.writeString(toAlgorithm)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> PasswordRehashed {
        PasswordRehashed(rehashedAt: try reader.readDate(), fromAlgorithm: try reader.readString(), toAlgorithm: try reader.readString())
    }
}

// v1: signedInAt date
extension SignInSucceeded {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(signedInAt)
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> SignInSucceeded {
        SignInSucceeded(signedInAt: try reader.readDate())
    }
}

// v1: failedAt date · reason code byte · consecutiveFailures varuint
extension SignInFailed {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(failedAt)
        writer.writeByte(WireCodes.code(reason))
        writer.writeVarUInt(UInt64(max(0, consecutiveFailures)))
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> SignInFailed {
        let failedAt = try reader.readDate()
        let reason = try reader.readCode()
        return SignInFailed(
            failedAt: failedAt, reason: try WireCodes.signInFailureReason(reason.code, offset: reason.offset),
            consecutiveFailures: Int(clamping: try reader.readVarUInt()))
    }
}

// v1: lockedAt date · lockedUntil date · lockNumber varuint
extension AccountLocked {
    func encode(into writer: inout ByteWriter) {
        writer.writeDate(lockedAt)
        writer.writeDate(lockedUntil)
        writer.writeVarUInt(UInt64(max(0, lockNumber)))
    }

    static func decodeV1(_ reader: inout ByteReader) throws -> AccountLocked {
        AccountLocked(lockedAt: try reader.readDate(), lockedUntil: try reader.readDate(), lockNumber: Int(clamping: try reader.readVarUInt()))
    }
}

extension WireCodes {
    static func code(_ value: PasswordSource) -> UInt8 {
        switch value {
        case .passwordLink: return 1
        case .import: return 2
        }
    }

    static func passwordSource(_ code: UInt8, offset: Int) throws -> PasswordSource {
        switch code {
        case 1: return .passwordLink
        case 2: return .import
        default: throw CompactDecodingError("unknown password source code \(code)", offset: offset)
        }
    }

    static func code(_ value: SignInFailureReason) -> UInt8 {
        switch value {
        case .wrongPassword: return 1
        case .noPassword: return 2
        case .locked: return 3
        case .notVerified: return 4
        }
    }

    static func signInFailureReason(_ code: UInt8, offset: Int) throws -> SignInFailureReason {
        switch code {
        case 1: return .wrongPassword
        case 2: return .noPassword
        case 3: return .locked
        case 4: return .notVerified
        default: throw CompactDecodingError("unknown sign-in failure code \(code)", offset: offset)
        }
    }
}
