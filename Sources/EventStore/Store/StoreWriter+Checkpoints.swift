import CompactCodec
import Foundation

/// Checkpoints of the projections a writer applies. A projection applied inline sees every event of every
/// transaction that appends, so its checkpoint is the head of the log: from format 3 on it says so once
/// (`followsTheLog`) instead of being rewritten by every commit, which would cost a page of every durable
/// append. A writer that appends without applying such a projection first pins its checkpoint at the head
/// as it was (the position the projection did see), so the checkpoint never claims events it missed.
extension StoreWriter {
    /// The value of a checkpoint that is wherever the head of the log is.
    static let followsTheLog: [UInt8] = [0xFF]

    /// Records that projection `name` has applied everything up to `position`, the last one appended.
    func recordApplied(_ name: String, through position: UInt64) throws {
        guard try bookkeeping() == .current else { return try saveCheckpoint(name, position: position) }
        let key = Array(name.utf8)
        let follows = try transaction.get(checkpoints, key) { $0.elementsEqual(Self.followsTheLog) } ?? false
        if !follows { try writeTransaction.put(checkpoints, key, Self.followsTheLog) }
    }

    /// Before the first append of a transaction (`head` is the log's head then): pins every checkpoint that
    /// follows the log but belongs to a projection this writer does not apply.
    func pinCheckpointsOfProjectionsNotApplied(head: UInt64) throws {
        var toPin: [[UInt8]] = []
        try transaction.withCursor(checkpoints) { cursor in
            var positioned = try cursor.first()
            while positioned {
                if cursor.value.elementsEqual(Self.followsTheLog),
                   !projections.contains(where: { cursor.key.elementsEqual($0.name.utf8) }) {
                    toPin.append(Array(cursor.key))
                }
                positioned = try cursor.next()
            }
        }
        for key in toPin { try writeTransaction.put(checkpoints, key, BigEndianUInt64(head)) }
    }
}
