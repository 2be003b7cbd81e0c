import CustomerAggregate
import EventStore
import Foundation

/// The write side's lookups: which customer has this email, this reference, this token — plus the highest
/// reference number handed out. Commands read it inside their write transaction, so two processes creating the
/// same email at the same moment serialize on LMDB's writer lock and the second one sees the first.
///
/// Kept as an inline projection of the customer events (not as hand-written side tables) so that it can be
/// rebuilt from the log like every other read model.
public struct CustomerDirectory: RebuildableProjection {
    public let name: String
    public let tables: [TableSpec]
    let emails: String
    let references: String
    let tokens: String
    let counters: String

    /// `tableSuffix` lets a rebuild write a shadow copy next to the live tables (the name, which is also the
    /// checkpoint, stays the same).
    public init(tableSuffix: String = "") {
        name = "customer-directory"
        emails = "directory.email" + tableSuffix
        references = "directory.reference" + tableSuffix
        tokens = "directory.token" + tableSuffix
        counters = "directory.counters" + tableSuffix
        tables = [TableSpec(emails), TableSpec(references), TableSpec(tokens), TableSpec(counters)]
    }

    public func withTableSuffix(_ suffix: String) -> CustomerDirectory { CustomerDirectory(tableSuffix: suffix) }

    public func isInterested(in event: EventView) -> Bool {
        event.typeIs(CustomerEvent.createdTypeName) || event.typeIs(CustomerEvent.verificationRequestedTypeName)
            || event.typeIs(CustomerEvent.passwordTokenIssuedTypeName)
    }

    public enum TokenPurpose: UInt8, Sendable {
        case emailVerification = 1
        case passwordSet = 2
    }

    private static let lastReferenceKey = Array("last-reference-number".utf8)

    public func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        guard CustomerEvent.contains(event), let customer = CustomerID(streamName: event.stream.rawValue) else { return }
        let txn = writer.writeTransaction
        let id = Self.bytes(of: customer)
        switch try CustomerEvent.decode(event) {
        case .created(let created):
            try txn.put(txn.table(emails), Self.emailKey(created.profile.email), id)
            try txn.put(txn.table(references), Self.referenceKey(created.reference.description), id)
            let counterTable = txn.table(counters)
            let last = try txn.get(counterTable, Self.lastReferenceKey) { readBigEndianUInt64($0) } ?? 0
            if created.reference.number > last {
                try txn.put(counterTable, Self.lastReferenceKey, BigEndianUInt64(created.reference.number))
            }
        case .verificationRequested(let requested):
            try txn.put(txn.table(tokens), Self.uuidBytes(requested.tokenId), id + [TokenPurpose.emailVerification.rawValue])
        case .passwordTokenIssued(let issued):
            try txn.put(txn.table(tokens), Self.uuidBytes(issued.tokenId), id + [TokenPurpose.passwordSet.rawValue])
        case .emailVerified:
            break
        }
    }

    // MARK: Lookups (any transaction)

    public func customer(withEmail email: String, in reader: StoreReader) throws -> CustomerID? {
        try lookUp(Self.emailKey(email), in: emails, reader)
    }

    public func customer(withReference reference: String, in reader: StoreReader) throws -> CustomerID? {
        try lookUp(Self.referenceKey(reference), in: references, reader)
    }

    /// A key LMDB cannot hold (empty, or over 511 bytes) cannot have been stored: it is simply not found.
    private func lookUp(_ key: [UInt8], in table: String, _ reader: StoreReader) throws -> CustomerID? {
        guard !key.isEmpty, key.count <= 511 else { return nil }
        return try reader.transaction.get(reader.transaction.table(table), key) { Self.customerID(from: $0) } ?? nil
    }

    public func customer(withToken tokenId: UUID, in reader: StoreReader) throws -> (CustomerID, TokenPurpose)? {
        try reader.transaction.get(reader.transaction.table(tokens), Self.uuidBytes(tokenId)) { bytes -> (CustomerID, TokenPurpose)? in
            guard bytes.count == 17, let id = Self.customerID(from: UnsafeRawBufferPointer(rebasing: bytes[0..<16])),
                  let purpose = TokenPurpose(rawValue: bytes[16]) else { return nil }
            return (id, purpose)
        } ?? nil
    }

    /// The highest reference number in use; the next customer gets this + 1 (gapless, never reused).
    public func lastReferenceNumber(in reader: StoreReader) throws -> UInt64 {
        try reader.transaction.get(reader.transaction.table(counters), Self.lastReferenceKey) { readBigEndianUInt64($0) } ?? 0
    }

    // MARK: Keys

    /// Emails are unique case-insensitively; the key is the trimmed, lowercased address.
    static func emailKey(_ email: String) -> [UInt8] {
        Array(CustomerProfile.uniquenessKey(forEmail: email).utf8)
    }

    static func referenceKey(_ reference: String) -> [UInt8] {
        Array(reference.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().utf8)
    }

    static func bytes(of id: CustomerID) -> [UInt8] { uuidBytes(id.uuid) }

    static func uuidBytes(_ uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid) { Array($0) } }

    static func customerID(from bytes: UnsafeRawBufferPointer) -> CustomerID? {
        guard bytes.count >= 16 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<16])) }
        return CustomerID(UUID(uuid: raw))
    }
}
