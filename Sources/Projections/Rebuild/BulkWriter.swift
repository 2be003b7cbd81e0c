import EventStore

/// Appends runs of entries, each run in key order into an empty table, packing them into write transactions of
/// about `transactionBytes` each: fewer, larger commits (each commit waits for the disk twice).
struct BulkWriter {
    typealias Transact = ((StoreWriter) throws -> Void) throws -> Void

    /// One run of entries into one table. `open` is called when the run starts (it may wait for the worker)
    /// and returns the number of entries and the entry at an index (buffers valid until the next call).
    struct Segment {
        typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
        let table: TableSpec
        let open: () throws -> (count: Int, entry: (Int) -> Entry)
    }

    let segments: [Segment]
    let transactionBytes: Int
    /// LMDB keeps a transaction's dirty pages in memory: bound them by count as well.
    let transactionPuts = 1_000_000

    typealias Place = BulkWritePlace

    func run(
        from place: Place, transact: Transact, progress: (StoreWriter, Place) throws -> Void,
        lastly: (StoreWriter) throws -> Void
    ) throws {
        try withoutActuallyEscaping(lastly) { lastly in
            try withoutActuallyEscaping(progress) { progress in
                try run(from: place, transact: transact, escapingProgress: progress, escapingLastly: lastly)
            }
        }
    }

    private func run(
        from first: Place, transact: Transact,
        escapingProgress progress: @escaping (StoreWriter, Place) throws -> Void,
        escapingLastly lastly: @escaping (StoreWriter) throws -> Void
    ) throws {
        var opened: [Int: (count: Int, entry: (Int) -> Segment.Entry)] = [:]
        func open(_ index: Int) throws -> (count: Int, entry: (Int) -> Segment.Entry) {
            if let run = opened[index] { return run }
            let run = try segments[index].open()
            opened[index] = run
            return run
        }
        var place = first
        repeat {
            // Opening a run may wait for the worker (the trigram blocks, the sorted indexes): never while
            // holding the writer lock, which other processes' commands wait for.
            if place.segment < segments.count { _ = try open(place.segment) }
            // The transaction may run more than once (when the map grows): start from `place` every time.
            let start = place
            var end = start
            try transact { writer in
                var current = start
                var bytes = 0
                var puts = 0
                while current.segment < segments.count && bytes < transactionBytes && puts < transactionPuts {
                    guard current.segment == start.segment || opened[current.segment] != nil else { break }  // opened outside
                    let run = try open(current.segment)
                    if current.entry < run.count {
                        try writer.withCursor(writer.table(segments[current.segment].table)) { cursor in
                            while current.entry < run.count && bytes < transactionBytes && puts < transactionPuts {
                                let entry = run.entry(current.entry)
                                try cursor.put(key: entry.key, value: entry.value, options: .append)
                                bytes += entry.key.count + entry.value.count + 8
                                puts += 1
                                current.entry += 1
                            }
                        }
                    }
                    if current.entry == run.count {
                        current = Place(segment: current.segment + 1, entry: 0)
                    }
                }
                if current.segment == segments.count { try lastly(writer) } else { try progress(writer, current) }
                end = current
            }
            place = end
        } while place.segment < segments.count
    }
}
