import CustomerService
import Foundation
import XCTest

final class Base64URLTests: XCTestCase {
    /// RFC 4648 §10 vectors, with padding removed (base64url without padding per §5).
    func testRFC4648Vectors() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64URL.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64URL.decode(encoded), Array(plain.utf8))
        }
    }

    func testUsesTheURLSafeAlphabet() {
        // Standard base64 would be "+/8=" and "+/+/".
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff]), "-_8")
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff, 0xbf]), "-_-_")
        XCTAssertEqual(Base64URL.decode("-_-_"), [0xfb, 0xff, 0xbf])
    }

    func testRoundTripsEveryLengthUpTo40() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let encoded = Base64URL.encode(bytes)
                XCTAssertFalse(encoded.contains("="), "no padding")
                XCTAssertEqual(encoded.utf8.count, (length * 4 + 2) / 3)
                XCTAssertEqual(Base64URL.decode(encoded), bytes, "length \(length)")

                // Oracle: Foundation's standard base64 with the RFC 4648 §5 substitutions.
                let foundation = Data(bytes).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")
                XCTAssertEqual(encoded, foundation)
            }
        }
    }

    func testRejectsPadding() {
        XCTAssertNil(Base64URL.decode("Zg=="))
        XCTAssertNil(Base64URL.decode("Zm8="))
        XCTAssertNil(Base64URL.decode("===="))
        XCTAssertNil(Base64URL.decode("="))
    }

    func testRejectsCharactersOutsideTheAlphabet() {
        for bad in ["Zm9+", "Zm9/", "Zm 9v", " Zm9v", "Zm9v\n", "Zm9v\t", "Zm.v", "Zm9é", "Zm9\u{0}", "😀😀", "Zm9v%3D"] {
            XCTAssertNil(Base64URL.decode(bad), "accepted \(bad.debugDescription)")
        }
    }

    func testRejectsImpossibleLengths() {
        XCTAssertNil(Base64URL.decode("A"))
        XCTAssertNil(Base64URL.decode("AAAAA"))
        XCTAssertNil(Base64URL.decode("Zm9vY"))
    }

    func testRejectsNonCanonicalTrailingBits() {
        // "Zg" is canonical for "f"; "Zh" decodes to the same byte with a non-zero leftover bit.
        XCTAssertNil(Base64URL.decode("Zh"))
        XCTAssertNil(Base64URL.decode("Zm9"))  // "Zm8" is canonical for "fo"
        XCTAssertNotNil(Base64URL.decode("Zm8"))
    }

    /// Every 2- and 3-character string: a string is accepted exactly when it is the canonical
    /// encoding of what it decodes to, so each byte string has exactly one accepted spelling.
    func testEveryShortStringHasAtMostOneSpelling() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var acceptedTwo = 0
        var acceptedThree = 0
        for a in alphabet {
            for b in alphabet {
                let two = String([a, b])
                if let bytes = Base64URL.decode(two) {
                    acceptedTwo += 1
                    XCTAssertEqual(Base64URL.encode(bytes), two)
                }
                for c in alphabet {
                    let three = String([a, b, c])
                    if let bytes = Base64URL.decode(three) {
                        acceptedThree += 1
                        if Base64URL.encode(bytes) != three { XCTFail("non-canonical \(three) accepted") }
                    }
                }
            }
        }
        XCTAssertEqual(acceptedTwo, 256)
        XCTAssertEqual(acceptedThree, 65_536)
    }
}
