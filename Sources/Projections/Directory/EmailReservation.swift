import CompactCodec
import CustomerAggregate
import Foundation

/// An address held for a customer's pending email change until `expiresAt` (its link's expiry). Past that
/// instant it is free: nothing has to run at expiry, since every command that could take the address checks the
/// time inside its write transaction, and the next holder's event simply replaces the entry.
public struct EmailReservation: Sendable, Equatable {
    public var customer: CustomerID
    public var tokenId: UUID
    public var expiresAt: Date

    public init(customer: CustomerID, tokenId: UUID, expiresAt: Date) {
        self.customer = customer
        self.tokenId = tokenId
        self.expiresAt = expiresAt
    }

    /// customer id (16) ‖ token id (16) ‖ expiry in µs since 1970 (u64 BE)
    func encoded() -> [UInt8] {
        customer.uuid.bytes + tokenId.bytes + BigEndianUInt64(UInt64(max(0, (expiresAt.timeIntervalSince1970 * 1_000_000).rounded()))).bytes
    }

    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 40, let customer = UUID(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<16])),
              let token = UUID(bytes: UnsafeRawBufferPointer(rebasing: bytes[16..<32]))
        else { return nil }
        let micros = readBigEndianUInt64(UnsafeRawBufferPointer(rebasing: bytes[32..<40]))
        self.init(customer: CustomerID(customer), tokenId: token, expiresAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}
