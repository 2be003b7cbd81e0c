import CompactCodec
import CustomerAggregate
import Foundation

/// One signed-in browser, as stored under the digest of its session id: who, with which role, since when, and
/// when it was last used (for the idle expiry).
struct SessionRecord: Sendable, Equatable {
    var operatorName: String
    var role: AccessRole
    var createdAt: Date
    var lastSeenAt: Date

    private static let format: UInt8 = 1

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.writeByte(Self.format)
        writer.writeString(operatorName)
        writer.writeByte(AccessEvent.code(role))
        writer.writeDate(createdAt)
        writer.writeDate(lastSeenAt)
        return writer.bytes
    }

    /// Nil for bytes of another format or a damaged record (treated as no session: the browser signs in again).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> SessionRecord? {
        var reader = ByteReader(bytes)
        guard (try? reader.readByte()) == format,
              let name = try? reader.readString(),
              let roleCode = try? reader.readByte(), let role = AccessEvent.role(code: roleCode),
              let created = try? reader.readDate(), let seen = try? reader.readDate()
        else { return nil }
        return SessionRecord(operatorName: name, role: role, createdAt: created, lastSeenAt: seen)
    }

    /// Whether the session still admits requests at `now` under `policy`.
    func isLive(at now: Date, policy: SessionPolicy) -> Bool {
        now < createdAt.addingTimeInterval(policy.maximumAge) && now < lastSeenAt.addingTimeInterval(policy.idleTimeout)
    }
}
