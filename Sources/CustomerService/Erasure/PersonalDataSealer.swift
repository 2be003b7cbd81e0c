import EventStore
import Projections

/// The seal of every event with personal data: 16 bytes from the kernel's CSPRNG as salt, and the commitment
/// SHA-256(salt ‖ payload) in the log. The salt makes the commitment hiding: once erasure deletes the vault
/// entry (salt included), nobody can test guesses of a short value (a birth date, an email) against the log;
/// while the entry exists, anyone can check that the vault holds exactly what was committed.
public struct PersonalDataSealer: PersonalDataSealing {
    public init() {}

    public func seal(payload: [UInt8], publicPayload: [UInt8]) -> PersonalSeal {
        let salt = SecureRandom.bytes(16)
        return PersonalSeal(publicPayload: publicPayload, salt: salt, commitment: Self.commitment(salt: salt, payload: payload))
    }

    public static func commitment(salt: [UInt8], payload: [UInt8]) -> [UInt8] {
        SHA256.hash(salt + payload)
    }
}
