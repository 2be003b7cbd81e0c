import CustomerAggregate
import EventStore
import Foundation
import Projections

/// What `backup` copied.
public struct BackupReport: Sendable, Equatable {
    public let directory: URL
    /// The last position in the copy itself (read from the backup, not from the live store).
    public let headPosition: UInt64
}

/// Rebuild, verify and backup: the operator's maintenance of a store.
extension CustomerService {
    /// Replays the log into fresh projections while others keep reading and writing.
    public func rebuildProjections(progress: (RebuildProgress) -> Void = { _ in }) throws -> RebuildReport {
        try ProjectionRebuilder(store: store, catalog: Self.catalog).rebuild(progress: progress)
    }

    /// Rebuilds into a shadow copy and compares it with the live projections; changes nothing.
    /// Also checks the vault against the log: every vault entry must match its event's commitment
    /// SHA-256(salt ‖ payload) (reported as differences of table `vault`, keyed by position).
    public func verifyProjections(progress: (RebuildProgress) -> Void = { _ in }) throws -> VerifyReport {
        var report = try ProjectionRebuilder(store: store, catalog: Self.catalog).verify(progress: progress)
        var checked = 0
        let mismatches = try store.read { reader in
            try reader.vaultMismatches { commitment, salt, payload in
                checked += 1
                // The pages walked so far: out of this process's memory (the vault and the log are large).
                if checked % 65_536 == 0 { store.releaseMappedPages() }
                return ConstantTime.equals(PersonalDataSealer.commitment(salt: salt, payload: payload), commitment)
            }
        }
        store.releaseMappedPages()
        for position in mismatches {
            var key: [UInt8] = []
            for shift in stride(from: 56, through: 0, by: -8) { key.append(UInt8(truncatingIfNeeded: position >> UInt64(shift))) }
            report.differences.append(ProjectionDifference(
                projection: "vault", table: "vault", key: key, kind: .different, liveValue: nil, rebuiltValue: nil))
        }
        report.differenceCount += mismatches.count
        return report
    }

    /// A hot, consistent, compacted copy of the whole store into an empty folder, with the token key (outside
    /// the log), so that links already mailed keep working against the restored store.
    public func backup(to target: URL) throws -> BackupReport {
        let head: UInt64
        do {
            head = try store.backup(to: target)
        } catch let error as EventStoreError {
            throw StoreAccessError("backup failed: \(error)")
        }
        let key = storeDirectory.appendingPathComponent(TokenKey.fileName)
        let keyCopy = target.appendingPathComponent(TokenKey.fileName)
        if FileManager.default.fileExists(atPath: key.path) {
            try FileManager.default.copyItem(at: key, to: keyCopy)
            chmod(keyCopy.path, 0o600)
        }
        return BackupReport(directory: target, headPosition: head)
    }
}

extension VerifyReport {
    /// The refusal `rebuild --verify` ends with when the projections differ (nil when they match).
    public var mismatch: DomainError? {
        guard !isConsistent else { return nil }
        return DomainError(
            .projectionsDiffer, "the live projections differ from the log in \(differenceCount) place(s)",
            remedy: .rebuildProjections)
    }
}
