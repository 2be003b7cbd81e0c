import CustomerService
import Foundation
import XCTest

final class TokenCodecTests: XCTestCase {
    private let codec = TokenCodec(key: TokenKey(bytes: (0..<32).map { UInt8($0) }))
    private let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    func testRoundTripForBothKinds() {
        let ids = [TokenCodec.newTokenId(), UUID(), UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                   UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in ids {
            for kind in TokenKind.allCases {
                let token = codec.token(for: id, kind: kind)
                XCTAssertEqual(codec.tokenId(from: token, kind: kind), id)
            }
        }
    }

    func testTokensAreDeterministicSoTheyCanBeRecomputedFromTheLog() {
        let id = TokenCodec.newTokenId()
        XCTAssertEqual(codec.token(for: id, kind: .emailVerification), codec.token(for: id, kind: .emailVerification))
        XCTAssertEqual(
            TokenCodec(key: TokenKey(bytes: (0..<32).map { UInt8($0) })).token(for: id, kind: .passwordSet),
            codec.token(for: id, kind: .passwordSet)
        )
    }

    func testATokenOfOneKindIsRejectedAsTheOther() {
        let id = TokenCodec.newTokenId()
        let verify = codec.token(for: id, kind: .emailVerification)
        let password = codec.token(for: id, kind: .passwordSet)
        XCTAssertNotEqual(verify, password)
        XCTAssertNil(codec.tokenId(from: verify, kind: .passwordSet))
        XCTAssertNil(codec.tokenId(from: password, kind: .emailVerification))
    }

    func testEverySingleCharacterChangeIsRejected() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let token = Array(codec.token(for: TokenCodec.newTokenId(), kind: .emailVerification))
        for position in token.indices {
            // Three different substitutes per position, always a valid base64url character,
            // so only the MAC check can catch it.
            guard let current = alphabet.firstIndex(of: token[position]) else {
                return XCTFail("token contains a non-alphabet character")
            }
            for offset in [1, 17, 63] {
                var altered = token
                altered[position] = alphabet[(current + offset) % alphabet.count]
                XCTAssertNil(codec.tokenId(from: String(altered), kind: .emailVerification), "position \(position)")
            }
        }
    }

    func testATokenFromAnotherKeyIsRejected() {
        let other = TokenCodec(key: TokenKey.generate())
        let id = TokenCodec.newTokenId()
        XCTAssertNil(codec.tokenId(from: other.token(for: id, kind: .passwordSet), kind: .passwordSet))
        XCTAssertNil(other.tokenId(from: codec.token(for: id, kind: .passwordSet), kind: .passwordSet))
    }

    func testSurroundingWhitespaceIsTolerated() {
        let id = TokenCodec.newTokenId()
        let token = codec.token(for: id, kind: .emailVerification)
        XCTAssertEqual(codec.tokenId(from: "  \(token)\r\n", kind: .emailVerification), id)
        XCTAssertEqual(codec.tokenId(from: "\t\(token)", kind: .emailVerification), id)
        // ...but not inside the token.
        let middle = token.index(token.startIndex, offsetBy: 32)
        XCTAssertNil(codec.tokenId(from: token[..<middle] + " " + token[middle...], kind: .emailVerification))
    }

    func testMalformedInputGivesNilAndNeverTraps() {
        let token = codec.token(for: TokenCodec.newTokenId(), kind: .emailVerification)
        let standardAlphabet = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        var garbage: [String] = [
            "", " ", "\n", "\u{0}", "abc", "null", "undefined",
            String(repeating: "A", count: 63),
            String(repeating: "A", count: 64),
            String(repeating: "A", count: 65),
            String(repeating: "=", count: 64),
            String(repeating: "é", count: 64),
            String(repeating: "😀", count: 16),
            String(repeating: "\u{0}", count: 64),
            String(token.dropLast()),
            token + "A",
            token + "==",
            token + token,
            String(token.dropLast()) + "=",
            "https://example.com/verify?token=" + token,
            String(repeating: "A", count: 1_000_000),
            String(repeating: " ", count: 1_000_000) + token,
        ]
        if standardAlphabet != token { garbage.append(standardAlphabet) }
        for input in garbage {
            for kind in TokenKind.allCases {
                XCTAssertNil(codec.tokenId(from: input, kind: kind), "accepted \(input.prefix(80).debugDescription)")
            }
        }
    }

    func testTokenIsURLSafeItsIdsGrowAndTheMACIsTheSecret() {
        for _ in 0..<200 {
            let token = codec.token(for: TokenCodec.newTokenId(), kind: .passwordSet)
            XCTAssertEqual(token.count, TokenCodec.tokenLength)
            XCTAssertTrue(token.allSatisfy { urlSafe.contains($0) }, token)
            // Nothing that needs escaping in a query string.
            XCTAssertEqual(token.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed), token)
        }

        // The id is time-ordered (its table grows at its right edge); the secret is the MAC: a token made for the
        // same id under another store key is refused.
        var previous = TokenCodec.newTokenId()
        for _ in 0..<200 {
            let next = TokenCodec.newTokenId()
            XCTAssertTrue(withUnsafeBytes(of: previous.uuid) { a in withUnsafeBytes(of: next.uuid) { b in a.lexicographicallyPrecedes(b) } })
            previous = next
        }
        let foreign = TokenCodec(key: TokenKey(bytes: (0..<32).map { UInt8(255 - $0) }))
        XCTAssertNil(codec.tokenId(from: foreign.token(for: previous, kind: .emailVerification), kind: .emailVerification))
        XCTAssertEqual(codec.tokenId(from: codec.token(for: previous, kind: .emailVerification), kind: .emailVerification), previous)
    }

    func testTokenIdsDoNotRepeat() {
        var seen = Set<UUID>()
        for _ in 0..<1_000 { seen.insert(TokenCodec.newTokenId()) }
        XCTAssertEqual(seen.count, 1_000)
    }

    func testCodecIsUsableFromConcurrentTasks() async {
        let codec = self.codec
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let id = TokenCodec.newTokenId()
                    return codec.tokenId(from: codec.token(for: id, kind: .emailVerification), kind: .emailVerification) == id
                }
            }
            for await ok in group { XCTAssertTrue(ok) }
        }
    }
}
