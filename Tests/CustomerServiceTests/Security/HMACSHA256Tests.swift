import CustomerService
import XCTest

/// RFC 4231 §4 test cases (case 5, a truncated MAC, does not apply: we never truncate).
final class HMACSHA256Tests: XCTestCase {
    private func mac(key: [UInt8], data: [UInt8]) -> String {
        SecurityTestHex.encode(HMACSHA256.authenticationCode(for: data, key: key))
    }

    func testCase1() {
        XCTAssertEqual(
            mac(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        )
    }

    func testCase2KeyShorterThanOutput() {
        XCTAssertEqual(
            mac(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
    }

    func testCase3() {
        XCTAssertEqual(
            mac(key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        )
    }

    func testCase4() {
        XCTAssertEqual(
            mac(key: SecurityTestHex.decode("0102030405060708090a0b0c0d0e0f10111213141516171819"), data: [UInt8](repeating: 0xcd, count: 50)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        )
    }

    func testCase6KeyLargerThanBlock() {
        XCTAssertEqual(
            mac(key: [UInt8](repeating: 0xaa, count: 131), data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        )
    }

    func testCase7KeyAndDataLargerThanBlock() {
        let data = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        XCTAssertEqual(
            mac(key: [UInt8](repeating: 0xaa, count: 131), data: Array(data.utf8)),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        )
    }

    func testEmptyKeyAndMessage() {
        // HMAC-SHA256("", "") — well-known value (e.g. `openssl dgst -sha256 -hmac ""`).
        XCTAssertEqual(mac(key: [], data: []), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
