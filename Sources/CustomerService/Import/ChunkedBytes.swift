import Foundation

/// The bytes of an import file, read 64 KiB at a time, so that a file of any size is read in constant memory.
/// (In-memory bytes for tests and small inputs.)
final class ChunkedBytes {
    private let handle: FileHandle?
    private var chunk: [UInt8]
    private var index = 0

    static let chunkSize = 65_536

    init(fileAt url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
        chunk = []
        rest = nil
    }

    init(bytes: [UInt8]) {
        handle = nil
        chunk = bytes
        rest = nil
    }

    /// `prefix`, then whatever `rest` still holds (to put back bytes that were looked at).
    init(prefix: [UInt8], rest: ChunkedBytes) {
        handle = nil
        chunk = prefix
        self.rest = rest
    }

    private let rest: ChunkedBytes?

    deinit { try? handle?.close() }

    func next() -> UInt8? {
        if index == chunk.count, let rest { return rest.next() }
        if index == chunk.count {
            guard let handle, let data = try? handle.read(upToCount: Self.chunkSize), !data.isEmpty else { return nil }
            chunk = Array(data)
            index = 0
        }
        defer { index += 1 }
        return chunk[index]
    }

    /// The next byte without consuming it.
    func peek() -> UInt8? {
        if index == chunk.count, let rest { return rest.peek() }
        guard let byte = next() else { return nil }
        index -= 1
        return byte
    }
}
