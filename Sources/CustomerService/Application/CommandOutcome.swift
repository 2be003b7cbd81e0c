import CompactCodec
import CustomerAggregate
import Foundation

/// What a successful command did, small enough to store with its request id so that a retry can answer the
/// same thing without doing anything.
public struct CommandOutcome: Sendable, Equatable {
    public var customerId: CustomerID?
    public var reference: String?
    /// The back-office message, e.g. "Customer was created successfully."
    public var message: String
    /// The global position of the last event written (0 when nothing was written).
    public var lastPosition: UInt64
    /// True when this is the stored answer of an earlier identical request.
    public var isReplay: Bool = false

    public init(customerId: CustomerID? = nil, reference: String? = nil, message: String, lastPosition: UInt64, isReplay: Bool = false) {
        self.customerId = customerId
        self.reference = reference
        self.message = message
        self.lastPosition = lastPosition
        self.isReplay = isReplay
    }

    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeByte(1)
        writer.writeOptionalUUID(customerId?.uuid)
        writer.writeOptionalString(reference)
        writer.writeString(message)
        writer.writeVarUInt(lastPosition)
        return writer.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> CommandOutcome {
        var reader = ByteReader(bytes)
        guard try reader.readByte() == 1 else { throw CompactDecodingError("unknown outcome format", offset: 0) }
        let id = try reader.readOptionalUUID()
        return CommandOutcome(
            customerId: id.map(CustomerID.init), reference: try reader.readOptionalString(),
            message: try reader.readString(), lastPosition: try reader.readVarUInt(), isReplay: true)
    }
}
