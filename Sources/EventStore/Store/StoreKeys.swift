import CompactCodec
import Foundation

/// The tables of the event store and how their keys are laid out. Big-endian integers everywhere, so that
/// LMDB's byte order is numeric order and appends hit the right edge of the B-tree.
enum StoreTables {
    /// position (u64 BE) → envelope
    static let events = TableSpec("events")
    /// stream name (UTF-8) → stream number (u64 BE) ‖ first position (u64 BE) ‖ count (u64 BE) of the stream's first
    /// append, written once (format 3); or stream number ‖ the version when last written (format 1 and 2).
    /// Stream numbers count the streams from 1 in the order they were created.
    static let streams = TableSpec("streams")
    /// One entry per append after a stream's first (every append in a store of format 1 or 2; a run of
    /// consecutive versions stored at consecutive positions):
    /// stream number (u64 BE) ‖ last version of the run (u64 BE) → first position (u64 BE) ‖ run length (u64 BE).
    /// Numbers, not names, keep keys small and make a new stream's entries land at the end of the tree; one entry
    /// per append instead of per event keeps batched appends close to LMDB's raw speed.
    static let streamIndex = TableSpec("stream_index")
    /// checkpoint name → position (u64 BE), or 0xFF: at the head of the log (format 3, a projection applied inline)
    static let checkpoints = TableSpec("checkpoints")
    /// "format-version" → u64 BE; "next-stream-number" → u64 BE (kept up to date in a store of format 1 only)
    static let meta = TableSpec("meta")

    /// position (u64 BE) → salt (16 bytes) ‖ the whole payload of a sealed event (see `PersonalSeal`)
    static let vault = TableSpec("vault")

    static let all = [events, streams, streamIndex, checkpoints, meta, vault]
}
