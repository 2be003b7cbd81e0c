#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bulk form of `TrigramIndex.add` (a rebuild's first phase): takes customers in creation order and builds
/// every trigram's posting blocks in memory, byte for byte as the incremental path writes them (same entries,
/// same places in the same order, a new block every `PostingBlock.capacity` customers), then hands them out in
/// key order so that they can be appended to an empty table.
///
/// Tens of millions of small appends make up most of a rebuild's CPU time, so everything here is plain memory:
/// - a directory of 2²⁴ slot numbers (one per possible trigram; `LargeAllocation`, touched sparsely);
/// - one `Slot` per trigram seen, holding the open block: a region of a large slab, laid out as the stored value
///   (the 9-byte header is filled in when the block closes), grown by moving it to a region twice as large;
/// - closed blocks stay where they were built and are chained per trigram, in order of their first sequence,
///   until `finish()` copies them out in key order.
///
/// Not thread-safe; one builder may be handed from one thread to another (the rebuild builds it on a helper
/// thread) as long as only one uses it at a time.
final class PostingBlockBuilder {
    private struct Slot {
        var gram: UInt32
        /// Entries in the open block (0 only before the first one).
        var count: UInt32 = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
        var region: UnsafeMutablePointer<UInt8>
        var used: Int32 = Int32(PostingBlock.headerCount)
        var capacity: Int32
        /// Where the open entry's last place starts, to set its "more" bit when another place follows.
        var lastPlaceAt: Int32 = 0
        var firstBlock: Int32 = -1
        var lastBlock: Int32 = -1
    }

    struct Block {
        let gram: UInt32
        let first: UInt64
        let value: UnsafeMutablePointer<UInt8>
        let count: Int32
        var next: Int32 = -1
    }

    private let directory: UnsafeMutablePointer<Int32>
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount = 0
    private var slotCapacity = 0
    private var blocks: [Block] = []
    private var slab = Slab()
    /// The longest entry a customer can add to one trigram: a sequence delta and one place, both varints.
    private static let entryRoom: Int32 = 16
    private static let initialRegion: Int32 = 64
    private static let directoryBytes = (1 << 24) * MemoryLayout<Int32>.stride

    init() {
        directory = LargeAllocation.zeroed(bytes: Self.directoryBytes).assumingMemoryBound(to: Int32.self)
        slotCapacity = 4096
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: slotCapacity)
        blocks.reserveCapacity(1 << 16)
    }

    deinit {
        slab.release()
        LargeAllocation.free(directory, bytes: Self.directoryBytes)
        slots.deinitialize(count: slotCount)
        slots.deallocate()
    }

    /// Adds one customer's folded search field (call fields in `SearchFields` order, customers in sequence order).
    @inline(__always)
    func add(sequence: UInt64, field: UInt8, text: UnsafePointer<UInt8>, count: Int) {
        let offsets = min(count, SearchFields.maxOffset + 1)
        let directory = self.directory
        var slots = self.slots  // a local: no exclusivity check per occurrence
        var offset = 0
        while offset < offsets {
            let b0 = UInt32(text[offset])
            let b1 = offset + 1 < count ? UInt32(text[offset + 1]) : 1
            let b2 = offset + 2 < count ? UInt32(text[offset + 2]) : 1
            let gram = b0 << 16 | b1 << 8 | b2
            var slotNumber = directory[Int(gram)]
            if slotNumber == 0 {
                slotNumber = newSlot(gram)
                slots = self.slots
            }
            add(slots + Int(slotNumber - 1), sequence: sequence, place: UInt32(offset) << UInt32(SearchFields.fieldBits) | UInt32(field))
            offset += 1
        }
    }

    @inline(__always)
    private func add(_ slot: UnsafeMutablePointer<Slot>, sequence: UInt64, place: UInt32) {
        if slot.pointee.count > 0 && slot.pointee.last == sequence {
            slot.pointee.region[Int(slot.pointee.lastPlaceAt)] |= 1
            if slot.pointee.capacity - slot.pointee.used < Self.entryRoom { grow(slot) }
        } else {
            if slot.pointee.count == UInt32(PostingBlock.capacity) { close(slot) }
            if slot.pointee.capacity - slot.pointee.used < Self.entryRoom { grow(slot) }
            if slot.pointee.count == 0 {
                slot.pointee.first = sequence
            } else {
                slot.pointee.used = Self.appendVarUInt(sequence &- slot.pointee.last, to: slot.pointee.region, at: slot.pointee.used)
            }
            slot.pointee.last = sequence
            slot.pointee.count += 1
        }
        slot.pointee.lastPlaceAt = slot.pointee.used
        slot.pointee.used = Self.appendVarUInt(UInt64(place) << 1, to: slot.pointee.region, at: slot.pointee.used)
    }

    @inline(__always)
    private static func appendVarUInt(_ value: UInt64, to region: UnsafeMutablePointer<UInt8>, at start: Int32) -> Int32 {
        var remaining = value
        var index = Int(start)
        while remaining >= 0x80 {
            region[index] = UInt8(truncatingIfNeeded: remaining) | 0x80
            remaining >>= 7
            index += 1
        }
        region[index] = UInt8(truncatingIfNeeded: remaining)
        return Int32(index + 1)
    }

    private func newSlot(_ gram: UInt32) -> Int32 {
        if slotCount == slotCapacity {
            let larger = UnsafeMutablePointer<Slot>.allocate(capacity: slotCapacity * 2)
            larger.moveInitialize(from: slots, count: slotCount)
            slots.deallocate()
            slots = larger
            slotCapacity *= 2
        }
        (slots + slotCount).initialize(to: Slot(gram: gram, region: slab.allocate(Int(Self.initialRegion)), capacity: Self.initialRegion))
        slotCount += 1
        directory[Int(gram)] = Int32(slotCount)
        return Int32(slotCount)
    }

    /// Moves the open block to a region twice as large.
    private func grow(_ slot: UnsafeMutablePointer<Slot>) {
        let capacity = slot.pointee.capacity * 2
        let region = slab.allocate(Int(capacity))
        region.update(from: slot.pointee.region, count: Int(slot.pointee.used))
        slot.pointee.region = region
        slot.pointee.capacity = capacity
    }

    /// Closes the open block (writes its header, chains it to the trigram's blocks) and opens an empty one.
    private func close(_ slot: UnsafeMutablePointer<Slot>) {
        guard slot.pointee.count > 0 else { return }
        let region = slot.pointee.region
        region[0] = UInt8(truncatingIfNeeded: slot.pointee.count)
        var last = slot.pointee.last.bigEndian
        withUnsafeBytes(of: &last) { UnsafeMutableRawPointer(region + 1).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        let index = Int32(blocks.count)
        blocks.append(Block(gram: slot.pointee.gram, first: slot.pointee.first, value: region, count: slot.pointee.used))
        if slot.pointee.lastBlock >= 0 {
            blocks[Int(slot.pointee.lastBlock)].next = index
        } else {
            slot.pointee.firstBlock = index
        }
        slot.pointee.lastBlock = index
        let capacity = max(Self.initialRegion, slot.pointee.capacity)
        slot.pointee.region = slab.allocate(Int(capacity))
        slot.pointee.capacity = capacity
        slot.pointee.used = Int32(PostingBlock.headerCount)
        slot.pointee.count = 0
    }

    /// Closes every open block and returns every block in key order (trigram, then first sequence), each entry
    /// the 11-byte key (`PostingBlock.key`) followed by the value, one after the other in one buffer: what is
    /// written next is then read front to back instead of from all over the slab. Call once, after the last
    /// customer; the builder's memory is released.
    func finish() -> ByteColumn {
        for index in 0..<slotCount { close(slots + index) }
        var grams = (0..<slotCount).map { UInt64(slots[$0].gram) << 32 | UInt64($0) }
        grams.sort()
        let total = blocks.reduce(0) { $0 + Int($1.count) + 11 }
        var entries = ByteColumn(entries: blocks.count, bytes: total, keepsHeads: false)
        for entry in grams {
            var index = slots[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)].firstBlock
            while index >= 0 {
                let block = blocks[Int(index)]
                let target = entries.reserveTail(11 + Int(block.count))
                target[0] = UInt8(truncatingIfNeeded: block.gram >> 16)
                target[1] = UInt8(truncatingIfNeeded: block.gram >> 8)
                target[2] = UInt8(truncatingIfNeeded: block.gram)
                UnsafeMutableRawPointer(target + 3).storeBytes(of: block.first.bigEndian, as: UInt64.self)
                (target + 11).update(from: block.value, count: Int(block.count))
                entries.commit(11 + Int(block.count))
                index = block.next
            }
        }
        blocks = []
        slab.release()
        slab = Slab()
        return entries
    }
}

/// Bump allocation from 16 MB chunks (freed together); regions never move.
private struct Slab {
    private static let chunkSize = 16 << 20
    private var chunks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutablePointer<UInt8>?
    private var left = 0

    mutating func allocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > left {
            let size = max(Self.chunkSize, count)
            let chunk = malloc(size)!
            chunks.append(chunk)
            next = chunk.assumingMemoryBound(to: UInt8.self)
            left = size
        }
        let region = next!
        next = region + count
        left -= count
        return region
    }

    mutating func release() {
        for chunk in chunks { free(chunk) }
        chunks = []
        next = nil
        left = 0
    }
}
