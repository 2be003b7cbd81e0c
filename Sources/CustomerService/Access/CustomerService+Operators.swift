import CustomerAggregate
import EventStore
import Foundation
import PasswordHashing

/// `operator add|disable|reset-password`: the operators of the back office. Their passwords follow the
/// customers' policy and are yescrypt-hashed with no transaction open (a hash takes tens of milliseconds and the
/// writer lock is shared by every process), then stored beside the event in one write transaction.
extension CustomerService {
    public func addOperator(name input: String, role: AccessRole, password: String, metadata: CommandMetadata) throws -> CommandOutcome {
        let name = try AccessName.canonical(input, field: "name")
        let command = AccessCommand.addOperator(name: name, role: role)
        let fingerprint = RequestLog.fingerprint(["operator add", name, role.rawValue])
        if try isRetry(metadata, fingerprint: fingerprint) == false {
            try precheckAccess(command)
            try Self.checkOperatorPassword(password, name: name)
        }
        let hash = try Self.hashNewPassword(password)
        return try execute(metadata, fingerprint: fingerprint) { writer, settings, now in
            try decideAccess(command, metadata: metadata, message: "Operator \(name) was added as \(role.rawValue).", in: writer, settings: settings, now: now) { writer in
                try OperatorCredentials.store(hash, for: name, in: writer)
            }
        }
    }

    /// Disables the operator and ends every session of theirs in the same transaction.
    public func disableOperator(name input: String, metadata: CommandMetadata) throws -> CommandOutcome {
        let name = try AccessName.canonical(input, field: "name")
        return try execute(metadata, fingerprint: RequestLog.fingerprint(["operator disable", name])) { writer, settings, now in
            try decideAccess(.disableOperator(name: name), metadata: metadata, message: "Operator \(name) was disabled; their sessions ended.", in: writer, settings: settings, now: now) { writer in
                try OperatorSessions.revokeAll(of: name, in: writer)
            }
        }
    }

    /// Sets a new password (an administrator's reset), ends every session of the operator, and clears a lock-out.
    public func resetOperatorPassword(name input: String, password: String, metadata: CommandMetadata) throws -> CommandOutcome {
        let name = try AccessName.canonical(input, field: "name")
        let command = AccessCommand.resetOperatorPassword(name: name)
        // The password is not part of the fingerprint: the request log must not hold an unsalted digest of it.
        let fingerprint = RequestLog.fingerprint(["operator reset-password", name])
        if try isRetry(metadata, fingerprint: fingerprint) == false {
            try precheckAccess(command)
            try Self.checkOperatorPassword(password, name: name)
        }
        let hash = try Self.hashNewPassword(password)
        return try execute(metadata, fingerprint: fingerprint) { writer, settings, now in
            try decideAccess(command, metadata: metadata, message: "The password of operator \(name) was reset; their sessions ended.", in: writer, settings: settings, now: now) { writer in
                try OperatorCredentials.store(hash, for: name, in: writer)
                try OperatorSessions.revokeAll(of: name, in: writer)
            }
        }
    }

    /// The customers' password policy, and the operator's name is not in it either.
    static func checkOperatorPassword(_ password: String, name: String) throws {
        var problems = PasswordPolicy.problems(of: password, for: nil, commonPasswords: CommonPasswordList.shared)
        if name.count >= PasswordPolicy.minimumPersonalPartLength && password.lowercased().contains(name) {
            problems.append(Problem(
                field: PasswordPolicy.field, message: "must not contain the operator's name", rule: .containsPersonalData,
                arguments: ["part": "operatorName"]))
        }
        guard problems.isEmpty else {
            throw PasswordPolicy.refusal(problems)
        }
    }

    /// Whether `metadata`'s request id already answered this very request (then nothing is checked or hashed
    /// again; `execute` returns the first answer).
    func isRetry(_ metadata: CommandMetadata, fingerprint: [UInt8]) throws -> Bool {
        guard let requestID = metadata.requestID else { return false }
        return try store.read { try RequestLog.previousOutcome(of: requestID, fingerprint: fingerprint, in: $0) != nil }
    }
}

/// The operators' current password hashes (`AccessTables.operatorCredentials`).
enum OperatorCredentials {
    private static let format: UInt8 = 1

    static func hash(of name: String, in reader: StoreReader) throws -> PasswordHash? {
        let stored = try reader.get(reader.table(AccessTables.operatorCredentials), Array(name.utf8)) { bytes -> String? in
            guard bytes.first == format else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        }
        guard let stored else { return nil }
        guard let encoded = stored, let hash = try? PasswordHash(encoded: encoded) else {
            throw StoreAccessError("the stored password hash of operator \(name) is unreadable; set a new one with `customer-es operator reset-password \(name)`")
        }
        return hash
    }

    static func store(_ hash: PasswordHash, for name: String, in writer: StoreWriter) throws {
        try writer.put(writer.table(AccessTables.operatorCredentials), Array(name.utf8), [format] + Array(hash.encoded.utf8))
    }
}
