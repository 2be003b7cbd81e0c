import CompactCodec
import CustomerAggregate
import EventStore
import Foundation

/// Durable command idempotency: request id → (fingerprint of the command and its input, outcome), written in
/// the same transaction as the command's events. A retry after a timeout or a crash either finds the entry
/// (the first attempt committed: answer the same, write nothing) or does not (it did not: run it now).
struct RequestLog {
    static let table = TableSpec("requests")

    static func fingerprint(_ parts: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            bytes += Array(part.utf8)
            bytes.append(0)
        }
        return SHA256.hash(bytes)
    }

    static func key(_ requestID: String) throws -> [UInt8] {
        let key = Array(requestID.utf8)
        guard !key.isEmpty, key.count <= 200 else {
            throw DomainError(.invalidCommand, "The request id must be 1–200 characters", problems: [Problem(
                field: "request-id", message: "must be 1–200 characters", rule: .invalidRequestId, arguments: ["maximum": "200"])])
        }
        return key
    }

    /// The stored outcome of `requestID`, or nil. Throws when the id was used for a different command or input.
    static func previousOutcome(of requestID: String, fingerprint: [UInt8], in reader: StoreReader) throws -> CommandOutcome? {
        try reader.get(reader.table(Self.table), try key(requestID)) { bytes -> CommandOutcome in
            guard bytes.count > 32, ConstantTimeBytes.equal(UnsafeRawBufferPointer(rebasing: bytes[0..<32]), fingerprint) else {
                throw DomainError(
                    .requestIdReused,
                    "Request id \(requestID) was already used for a different command or input; use a new request id",
                    problems: [Problem(field: "request-id", message: "already used for a different command or input", rule: .requestIdReused)])
            }
            return try CommandOutcome.decode(UnsafeRawBufferPointer(rebasing: bytes[32...]))
        }
    }

    /// Erasure: the fingerprints of the customer's requests are a plain SHA-256 of the input (their email and
    /// names among it), which a guess could be tested against; they are zeroed, so a retry of such a request is
    /// refused as reused and the stored answer (reference, message) stays. O(requests).
    static func forgetFingerprints(of customer: CustomerID, in writer: StoreWriter) throws {
        let table = writer.table(Self.table)
        var keys: [[UInt8]] = []
        try writer.withCursor(table) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let value = cursor.value
                if value.count > 32,
                   let outcome = try? CommandOutcome.decode(UnsafeRawBufferPointer(rebasing: value[32...])),
                   outcome.customerId == customer {
                    keys.append(Array(cursor.key))
                }
                positioned = try cursor.next()
            }
        }
        for key in keys {
            guard let value = try writer.get(table, key, { Array($0) }) else { continue }
            try writer.put(table, key, [UInt8](repeating: 0, count: 32) + value.dropFirst(32))
        }
    }

    static func record(_ outcome: CommandOutcome, for requestID: String, fingerprint: [UInt8], in writer: StoreWriter) throws {
        try writer.put(writer.table(Self.table), try key(requestID), fingerprint + outcome.encoded())
    }
}

enum ConstantTimeBytes {
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: [UInt8]) -> Bool {
        ConstantTime.equals(Array(lhs), rhs)
    }
}

extension DomainError.Code {
    public static let requestIdReused = DomainError.Code("requestIdReused")
}
