import CLMDB
import EventStore
import Foundation

/// `customer-es-bench store`: our append and read paths against a raw LMDB loop over the same bytes, in one
/// run, so that the ratios mean something on a noisy machine. The raw loop is the only code outside
/// EventStore that calls `mdb_*`: it is the baseline.
enum StoreBenchmark {
    static func run(events: Int, singles: Int) throws {
        let payload = [UInt8](repeating: 0x61, count: 200)
        let batch = 1000
        report("events", "\(events)")
        report("payload_bytes", "200")

        // Batched, durable: 1000 events per transaction (10 streams × 100 events).
        let ourFolder = scratchFolder("store")
        defer { removeScratch(ourFolder) }
        let store = try EventStore(directory: ourFolder)
        let metadata = EventMetadata(actor: "bench", correlationID: UUID())
        let streams = try (0..<1000).map { try StreamName("bench-\($0)") }
        var start = now()
        var written = 0
        var round = 0
        var appendSeconds = 0.0  // only the write transactions: producers prepare events off the writer's path
        while written < events {
            let prepared = (0..<10).map { _ in
                (0..<(batch / 10)).map { _ in EventData(type: "BenchEvent", metadata: metadata, payload: payload) }
            }
            let targets = (0..<10).map { streams[(round * 10 + $0) % streams.count] }
            let t0 = now()
            try store.write { writer in
                for (index, events) in prepared.enumerated() {
                    try writer.append(events, to: targets[index], expectedVersion: .any)
                }
            }
            appendSeconds += now() - t0
            written += batch
            round += 1
        }
        let ours = Double(written) / appendSeconds

        let rawFolder = scratchFolder("raw")
        defer { removeScratch(rawFolder) }
        let raw = try RawLMDB(folder: rawFolder)
        start = now()
        var key: UInt64 = 0
        while key < UInt64(events) {
            try raw.appendBatch(from: key + 1, count: batch, value: payload)
            key += UInt64(batch)
        }
        let rawRate = Double(events) / (now() - start)
        report("append_batched_events_per_s", ours)
        report("raw_append_batched_per_s", rawRate)
        report("append_batched_ratio", ours / rawRate, decimals: 3)

        // One durable append per transaction.
        var ourLatencies: [Double] = []
        let single = try StreamName("single")
        for _ in 0..<singles {
            let event = EventData(type: "BenchEvent", metadata: metadata, payload: payload)
            let t0 = now()
            try store.append([event], to: single, expectedVersion: .any)
            ourLatencies.append((now() - t0) * 1000)
        }
        var rawLatencies: [Double] = []
        for index in 0..<singles {
            let t0 = now()
            try raw.appendBatch(from: key + 1 + UInt64(index), count: 1, value: payload)
            rawLatencies.append((now() - t0) * 1000)
        }
        ourLatencies.sort()
        rawLatencies.sort()
        report("append_single_p50_ms", percentile(ourLatencies, 0.5), decimals: 3)
        report("append_single_p99_ms", percentile(ourLatencies, 0.99), decimals: 3)
        report("raw_single_p50_ms", percentile(rawLatencies, 0.5), decimals: 3)
        report("append_single_ratio", percentile(ourLatencies, 0.5) / percentile(rawLatencies, 0.5), decimals: 3)

        // Read everything: zero-copy views (what replay and rebuild use) vs a raw cursor scan.
        var count = 0
        var checksum = 0
        start = now()
        try store.read { reader in
            try reader.forEachEvent { view in
                count += 1
                checksum &+= view.payload.count &+ Int(view.version)
                return true
            }
        }
        let readRate = Double(count) / (now() - start)
        start = now()
        let rawCount = try raw.scan()
        let scanRate = Double(rawCount) / (now() - start)
        start = now()
        let materialized = try store.read { try $0.readAll().count }
        let materializedRate = Double(materialized) / (now() - start)
        report("read_all_events_per_s", readRate)
        report("raw_scan_per_s", scanRate)
        report("read_all_ratio", readRate / scanRate, decimals: 3)
        report("read_all_materialized_events_per_s", materializedRate)
        report("checksum", "\(checksum)")
    }
}

/// The baseline: LMDB driven directly, as a C program would (big-endian u64 keys, MDB_APPEND, default durable flags).
final class RawLMDB {
    let env: OpaquePointer
    var dbi = MDB_dbi()

    init(folder: URL) throws {
        var env: OpaquePointer?
        mdb_env_create(&env)
        guard let env else { throw BenchError("mdb_env_create failed") }
        mdb_env_set_mapsize(env, 8 << 30)
        mdb_env_set_maxdbs(env, 4)
        guard mdb_env_open(env, folder.path, UInt32(MDB_NOTLS), 0o644) == 0 else { throw BenchError("mdb_env_open failed") }
        self.env = env
        var txn: OpaquePointer?
        mdb_txn_begin(env, nil, 0, &txn)
        mdb_dbi_open(txn, "raw", UInt32(MDB_CREATE), &dbi)
        mdb_txn_commit(txn)
    }

    deinit { mdb_env_close(env) }

    func appendBatch(from first: UInt64, count: Int, value: [UInt8]) throws {
        var txn: OpaquePointer?
        guard mdb_txn_begin(env, nil, 0, &txn) == 0 else { throw BenchError("mdb_txn_begin failed") }
        var cursor: OpaquePointer?
        mdb_cursor_open(txn, dbi, &cursor)
        var value = value
        try value.withUnsafeMutableBytes { valueBytes in
            for index in 0..<UInt64(count) {
                var key = (first + index).bigEndian
                try withUnsafeMutableBytes(of: &key) { keyBytes in
                    var k = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                    var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                    guard mdb_cursor_put(cursor, &k, &v, UInt32(MDB_APPEND)) == 0 else { throw BenchError("mdb_cursor_put failed") }
                }
            }
        }
        mdb_cursor_close(cursor)
        guard mdb_txn_commit(txn) == 0 else { throw BenchError("mdb_txn_commit failed") }
    }

    func scan() throws -> Int {
        var txn: OpaquePointer?
        mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
        defer { mdb_txn_abort(txn) }
        var cursor: OpaquePointer?
        mdb_cursor_open(txn, dbi, &cursor)
        defer { mdb_cursor_close(cursor) }
        var key = MDB_val(), value = MDB_val()
        var count = 0, checksum = 0
        var rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
        while rc == 0 {
            count += 1
            checksum &+= value.mv_size
            rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
        }
        if checksum == -1 { print(checksum) }
        return count
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
