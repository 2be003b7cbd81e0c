import CustomerAggregate
import EventStore

/// Reads the order index (`ListOrderKey`) in list order.
///
/// A list order is made of one key range per status (`field ‖ status ‖ …`): for `status` the ranges follow each
/// other (Unverified, then Verified), for the other sorts they interleave and are merged. Each range is read
/// from the cursor position with one seek and at most `limit` steps (more with an `accept` filter), so a page
/// costs O(log n + limit) per range.
enum OrderIndexScan {
    struct Result {
        var positions: [[UInt8]]
        /// The filter's step budget ran out before the page was full; the positions are incomplete.
        var overBudget: Bool
    }

    static func positions(
        sort: CustomerListSort, statuses: [CustomerStatus], descending: Bool, after: [UInt8]?, limit: Int,
        order: Table, in reader: StoreReader, accept: SequenceBitSet?, budget: Int?
    ) throws -> Result {
        let field = sort.indexField
        if sort == .status {
            // Position = status code ‖ sequence; the ranges are concatenated in status order.
            let codes = ListOrderKey.statusRangeOrder(statuses, descending: descending).map(ListOrderKey.statusCode)
            var result: [[UInt8]] = []
            var remainingBudget = budget
            for code in codes {
                var rangeAfter: [UInt8]?
                if let after {
                    if ListOrderKey.statusRange(code, isPassedBy: after[0], descending: descending) { continue }
                    if code == after[0] { rangeAfter = Array(after[1...]) }
                }
                let range = try scan(
                    prefix: [field.rawValue, code], after: rangeAfter, descending: descending,
                    limit: limit - result.count, order: order, in: reader, accept: accept, budget: remainingBudget)
                result += range.suffixes.map { [code] + $0 }
                if range.overBudget { return Result(positions: result, overBudget: true) }
                remainingBudget = remainingBudget.map { $0 - range.steps }
                if result.count >= limit { break }
            }
            return Result(positions: result, overBudget: false)
        }
        var merged: [[UInt8]] = []
        for status in statuses {
            let range = try scan(
                prefix: [field.rawValue, ListOrderKey.statusCode(status)], after: after, descending: descending,
                limit: limit, order: order, in: reader, accept: accept, budget: budget)
            if range.overBudget { return Result(positions: [], overBudget: true) }
            merged += range.suffixes
        }
        if statuses.count > 1 { ListOrderKey.sortPositions(&merged, descending: descending) }
        return Result(positions: Array(merged.prefix(limit)), overBudget: false)
    }

    /// Up to `limit` suffixes of one key range, strictly after `after` in the direction of reading.
    private static func scan(
        prefix: [UInt8], after: [UInt8]?, descending: Bool, limit: Int, order: Table, in reader: StoreReader,
        accept: SequenceBitSet?, budget: Int?
    ) throws -> (suffixes: [[UInt8]], steps: Int, overBudget: Bool) {
        guard limit > 0 else { return ([], 0, false) }
        return try reader.withCursor(order) { cursor in
            var positioned: Bool
            if let after {
                let start = prefix + after
                if descending {
                    positioned = try cursor.seek(atOrBefore: start)
                    if positioned && cursor.key.elementsEqual(start) { positioned = try cursor.previous() }
                } else {
                    positioned = try cursor.seek(atOrAfter: start)
                    if positioned && cursor.key.elementsEqual(start) { positioned = try cursor.next() }
                }
            } else if descending {
                // The last key of the range: just before the first key of the next range.
                let successor = [prefix[0], prefix[1] &+ 1]
                positioned = try cursor.seek(atOrAfter: successor) ? try cursor.previous() : try cursor.last()
            } else {
                positioned = try cursor.seek(atOrAfter: prefix)
            }
            var suffixes: [[UInt8]] = []
            var steps = 0
            // A searched walk steps over hundreds of thousands of keys: plain locals, the sequence read in place.
            let (field, status) = (prefix[0], prefix[1])
            let stepLimit = budget ?? Int.max
            while positioned {
                let key = cursor.key
                guard key.count > 10, key[0] == field, key[1] == status else { break }
                steps += 1
                if accept?.contains(UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))) ?? true {
                    suffixes.append(Array(UnsafeRawBufferPointer(rebasing: key[2...])))
                    if suffixes.count >= limit { break }
                }
                if steps >= stepLimit { return (suffixes, steps, true) }
                positioned = descending ? try cursor.previous() : try cursor.next()
            }
            return (suffixes, steps, false)
        }
    }
}
