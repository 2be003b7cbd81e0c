import CustomerAggregate
import EventStore
import Foundation

/// `api-key create|list|revoke` and the bearer check of the admin API. A key is `ces_` and 256 random bits
/// (base64url), printed once at creation; the table keeps its SHA-256 (a key has full entropy, so a plain digest
/// is enough: nothing can be guessed from it), the log only its name and role.
extension CustomerService {
    static let apiKeyPrefix = "ces_"

    /// The new key, and the outcome. A retry with the same request id cannot print the key again (it is not
    /// stored): it is refused as the name being taken.
    public func createApiKey(name input: String, role: AccessRole, metadata: CommandMetadata) throws -> (key: String, outcome: CommandOutcome) {
        let name = try AccessName.canonical(input, field: "name")
        let key = Self.apiKeyPrefix + Base64URL.encode(SecureRandom.bytes(32))
        let outcome = try store.write { writer in
            try decideAccess(.createApiKey(name: name, role: role), metadata: metadata, message: "API key \(name) was created as \(role.rawValue).",
                             in: writer, settings: try loadSettings(in: writer), now: try writer.recordingTime()) { writer in
                var value: [UInt8] = [1, AccessEvent.code(role)]
                value += Array(name.utf8)
                try writer.put(writer.table(AccessTables.apiKeys), SHA256.hash(Array(key.utf8)), value)
            }
        }
        return (key, outcome)
    }

    public func revokeApiKey(name input: String, metadata: CommandMetadata) throws -> CommandOutcome {
        let name = try AccessName.canonical(input, field: "name")
        return try execute(metadata, fingerprint: RequestLog.fingerprint(["api-key revoke", name])) { writer, settings, now in
            try decideAccess(.revokeApiKey(name: name), metadata: metadata, message: "API key \(name) was revoked.", in: writer, settings: settings, now: now) { writer in
                let table = writer.table(AccessTables.apiKeys)
                var doomed: [[UInt8]] = []
                try writer.withCursor(table) { cursor in
                    var more = try cursor.first()
                    while more {
                        if Self.apiKeyEntry(cursor.value)?.name == name { doomed.append(Array(cursor.key)) }
                        more = try cursor.next()
                    }
                }
                for digest in doomed { _ = try writer.delete(table, digest) }
            }
        }
    }

    /// The principal of a bearer key, or nil for anything that is not a live key.
    public func principal(forApiKey key: String) throws -> Principal? {
        guard key.hasPrefix(Self.apiKeyPrefix), key.utf8.count <= 128 else { return nil }
        let entry = try store.read { reader in
            try reader.get(reader.table(AccessTables.apiKeys), SHA256.hash(Array(key.utf8))) { Self.apiKeyEntry($0) } ?? nil
        }
        return entry.map { Principal(kind: .apiKey, name: $0.name, role: $0.role) }
    }

    private static func apiKeyEntry(_ bytes: UnsafeRawBufferPointer) -> (name: String, role: AccessRole)? {
        guard bytes.count > 2, bytes[0] == 1, let role = AccessEvent.role(code: bytes[1]) else { return nil }
        return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst(2)), as: UTF8.self), role)
    }
}
