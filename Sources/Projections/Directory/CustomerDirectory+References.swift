import CompactCodec
import CustomerAggregate
import EventStore

/// The two layouts of `directory.reference`: numbered keys (format 4 on) and the text keys of older stores, which
/// keep reading until `migrate` rewrites them. Both name the same references, so `rebuild --verify` compares the
/// table by the references it holds, and the counter by the number it yields.
extension CustomerDirectory: ContentComparedProjection {
    /// `migrate`: rewrites the live set's text keys as numbered keys and drops the counter (the last numbered key
    /// says the same), so that the directory holds the bytes a rebuild writes. Returns how many keys it rewrote.
    public func migrateReferenceKeys(in writer: StoreWriter) throws -> Int {
        if pinnedSuffix == nil { return try live(in: writer).migrateReferenceKeys(in: writer) }
        let table = writer.table(references)
        var older: [(key: [UInt8], value: [UInt8])] = []
        try writer.withCursor(table) { cursor in
            var positioned = try cursor.seek(atOrAfter: [Self.numberedKeyMark + 1])
            while positioned {
                older.append((Array(cursor.key), Array(cursor.value)))
                positioned = try cursor.next()
            }
        }
        var rewritten = 0
        for entry in older {
            // A key that names no reference was never written by customer-es: left for `rebuild --verify` to report.
            guard let reference = entry.key.withUnsafeBytes(Self.reference(ofKey:)) else { continue }
            _ = try writer.delete(table, entry.key)
            try writer.put(table, Self.referenceKey(reference), entry.value)
            rewritten += 1
        }
        _ = try writer.delete(writer.table(counters), Self.lastReferenceKey)
        return rewritten
    }

    var contentComparedTables: [TableSpec] { [references, counters] }

    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        guard let rebuilt = rebuilt as? CustomerDirectory else { return }
        // Byte for byte first (equal layouts cost no memory); entries only one side has are then matched by the
        // reference their key names.
        var extra: [[UInt8]: [UInt8]] = [:], missing: [[UInt8]: [UInt8]] = [:]
        try TableComparison.compare(
            live: reader.table(references), rebuilt: reader.table(rebuilt.references), in: reader
        ) { key, kind, liveValue, rebuiltValue in
            switch kind {
            case .different: report(references.name, key, kind, liveValue, rebuiltValue)
            case .extra: extra[Self.numberedKey(naming: key)] = liveValue
            case .missing: missing[Self.numberedKey(naming: key)] = rebuiltValue
            }
        }
        for key in extra.keys.sorted(by: { compareBytes($0, $1) < 0 }) {
            let liveValue = extra[key]
            if let rebuiltValue = missing.removeValue(forKey: key) {
                if rebuiltValue != liveValue { report(references.name, key, .different, liveValue, rebuiltValue) }
            } else {
                report(references.name, key, .extra, liveValue, nil)
            }
        }
        for key in missing.keys.sorted(by: { compareBytes($0, $1) < 0 }) {
            report(references.name, key, .missing, nil, missing[key])
        }
        let liveLast = try lastReferenceNumber(in: reader), rebuiltLast = try rebuilt.lastReferenceNumber(in: reader)
        if liveLast != rebuiltLast {
            report(counters.name, Self.lastReferenceKey, .different, BigEndianUInt64(liveLast).bytes, BigEndianUInt64(rebuiltLast).bytes)
        }
    }

    /// The numbered key of the reference `key` names (in either layout), or `key` itself when it names none.
    private static func numberedKey(naming key: [UInt8]) -> [UInt8] {
        key.withUnsafeBytes(reference(ofKey:)).map(referenceKey) ?? key
    }
}
