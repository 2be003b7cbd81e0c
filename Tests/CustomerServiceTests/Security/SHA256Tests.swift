import CustomerService
import XCTest

final class SHA256Tests: XCTestCase {
    private func hex(_ text: String) -> String {
        SecurityTestHex.encode(SHA256.hash(Array(text.utf8)))
    }

    // FIPS 180-4 / NIST CSRC "SHA256.pdf" example vectors.
    func testEmptyMessage() {
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func test448BitMessage() {
        XCTAssertEqual(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    func test896BitMessage() {
        XCTAssertEqual(
            hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        )
    }

    func testOneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(SecurityTestHex.encode(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))), expected)
        // Also through the non-contiguous Sequence path.
        XCTAssertEqual(SecurityTestHex.encode(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))), expected)
    }

    /// Lengths around the padding boundaries (55/56 bytes: length field fits or spills into a second
    /// block; 64: exact block). Expected values from Python's hashlib over bytes (i*7+3) mod 256.
    func testPaddingBoundaries() {
        let expected: [Int: String] = [
            55: "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
            56: "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27",
            57: "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73",
            63: "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
            64: "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
            65: "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
            119: "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
            120: "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
            128: "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6",
            129: "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4",
        ]
        for (length, digest) in expected {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            XCTAssertEqual(SecurityTestHex.encode(SHA256.hash(message)), digest, "length \(length)")
        }
    }

    func testStreamingInOddChunksEqualsOneShot() {
        let message = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let oneShot = SHA256.hash(message)
        for chunkSize in [1, 3, 7, 13, 55, 63, 64, 65, 127, 1_000, 4_999] {
            var hasher = SHA256()
            var offset = 0
            while offset < message.count {
                let end = min(offset + chunkSize, message.count)
                message[offset..<end].withUnsafeBytes { hasher.update($0) }
                offset = end
            }
            XCTAssertEqual(hasher.finalize(), oneShot, "chunk size \(chunkSize)")
        }

        // Irregular chunk sizes, including empty updates.
        var hasher = SHA256()
        var offset = 0
        let pattern = [0, 1, 62, 2, 0, 65, 129, 5, 300]
        var step = 0
        while offset < message.count {
            let end = min(offset + pattern[step % pattern.count], message.count)
            message[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            step += 1
        }
        XCTAssertEqual(hasher.finalize(), oneShot)
    }

    func testFinalizeResetsTheHasher() {
        var hasher = SHA256()
        Array("abc".utf8).withUnsafeBytes { hasher.update($0) }
        XCTAssertEqual(hasher.finalize(), SHA256.hash(Array("abc".utf8)))
        XCTAssertEqual(hasher.finalize(), SHA256.hash([UInt8]()))
    }
}
