import PasswordHashing
import XCTest

final class PasswordHasherTests: XCTestCase {
    // Cost 1 keeps the suite fast; the default cost is exercised once below.
    private let hasher = try! PasswordHasher(cost: 1)

    func testHashThenVerify() throws {
        let hash = try hasher.hash("correct horse battery staple")
        XCTAssertEqual(hash.algorithm, .yescrypt)
        XCTAssertTrue(hash.encoded.hasPrefix("$y$"))
        XCTAssertTrue(try hasher.verify("correct horse battery staple", against: hash))
        XCTAssertFalse(hasher.needsUpgrade(hash))
    }

    func testWrongPasswordIsFalse() throws {
        let hash = try hasher.hash("correct horse battery staple")
        XCTAssertFalse(try hasher.verify("correct horse battery stapl", against: hash))
        XCTAssertFalse(try hasher.verify("", against: hash))
    }

    func testEachHashHasItsOwnSalt() throws {
        let first = try hasher.hash("same password")
        let second = try hasher.hash("same password")
        XCTAssertNotEqual(first.encoded, second.encoded)
        XCTAssertTrue(try hasher.verify("same password", against: second))
    }

    func testNonASCIIPassword() throws {
        let hash = try hasher.hash("Pässwört-✓-長い")
        XCTAssertTrue(try hasher.verify("Pässwört-✓-長い", against: hash))
        XCTAssertFalse(try hasher.verify("Passwort-✓-長い", against: hash))
    }

    /// The published vectors of Solar Designer's crypt_blowfish (the reference bcrypt, wrapper.c), which the
    /// platform's `$2y$` hashes come from; `$2b$` and `$2y$` compute the same hash for these inputs.
    func testPublishedBcryptVectorsVerify() throws {
        let vectors: [(hash: String, password: String)] = [
            ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
            ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*"),
            ("$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "U*U*U"),
            ("$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
            ("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
        ]
        for vector in vectors {
            let hash = try PasswordHash(encoded: vector.hash)
            XCTAssertEqual(hash.algorithm, .bcrypt)
            XCTAssertTrue(try hasher.verify(vector.password, against: hash), vector.hash)
            XCTAssertFalse(try hasher.verify(vector.password + "x", against: hash), vector.hash)
            XCTAssertTrue(hasher.needsUpgrade(hash))
        }
    }

    func testUpgradingABcryptHashGivesYescrypt() throws {
        let legacy = try PasswordHash(encoded: "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")
        XCTAssertTrue(try hasher.verify("U*U", against: legacy))
        let upgraded = try hasher.hash("U*U")
        XCTAssertFalse(hasher.needsUpgrade(upgraded))
        XCTAssertTrue(try hasher.verify("U*U", against: upgraded))
    }

    func testInvalidHashesAreRefused() {
        let malformed = [
            "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0Xou",  // truncated
            "$2y$99$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",  // cost out of range
            "$y$",
            "$y$j9T$",
        ]
        for value in malformed {
            XCTAssertThrowsError(try PasswordHash(encoded: value), value) { error in
                XCTAssertEqual((error as? PasswordHashingError)?.code, .invalidHash, value)
            }
        }
        for value in ["", "plaintext", "*0", "$1$saltsalt$hash", "$6$salt$hash", "ab01234567890"] {
            XCTAssertThrowsError(try PasswordHash(encoded: value), value) { error in
                XCTAssertEqual((error as? PasswordHashingError)?.code, .unsupportedAlgorithm, value)
            }
        }
    }

    /// Well-formed to the eye but with yescrypt parameters libxcrypt refuses: `crypt_rn` answers with a `*`
    /// failure string, which must surface as an invalid hash, never as a comparison that happens to be false.
    func testFailureOutputOfLibxcryptIsAnError() throws {
        let hash = try PasswordHash(encoded: "$y$zzzz$abcdefgh$" + String(repeating: "A", count: 43))
        XCTAssertThrowsError(try hasher.verify("anything", against: hash)) { error in
            XCTAssertEqual((error as? PasswordHashingError)?.code, .invalidHash)
        }
    }

    func testPasswordsCWouldMisreadAreRefused() throws {
        let hash = try hasher.hash("something long enough")
        XCTAssertThrowsError(try hasher.hash("abc\u{0}def")) { error in
            XCTAssertEqual((error as? PasswordHashingError)?.code, .passwordContainsNUL)
        }
        XCTAssertThrowsError(try hasher.verify("something long enough\u{0}x", against: hash)) { error in
            XCTAssertEqual((error as? PasswordHashingError)?.code, .passwordContainsNUL)
        }
        XCTAssertThrowsError(try hasher.hash(String(repeating: "a", count: 512))) { error in
            XCTAssertEqual((error as? PasswordHashingError)?.code, .passwordTooLong)
        }
        XCTAssertNoThrow(try hasher.hash(String(repeating: "a", count: 511)))
    }

    func testCostIsPartOfTheHashAndBounded() throws {
        let cheap = try hasher.hash("cost test password")
        let standard = try PasswordHasher().hash("cost test password")
        XCTAssertEqual(try PasswordHasher().cost, 5)
        // The parameter field ($y$<params>$salt$hash) encodes the cost, so each hash verifies with its own cost
        // whatever cost the verifying hasher was configured with.
        XCTAssertNotEqual(cheap.encoded.split(separator: "$")[1], standard.encoded.split(separator: "$")[1])
        XCTAssertTrue(try PasswordHasher().verify("cost test password", against: cheap))
        XCTAssertTrue(try hasher.verify("cost test password", against: standard))
        for cost in [0, 12, -1] {
            XCTAssertThrowsError(try PasswordHasher(cost: cost)) { error in
                XCTAssertEqual((error as? PasswordHashingError)?.code, .invalidCost)
            }
        }
    }

    func testDescriptionNeverShowsTheHash() throws {
        let hash = try hasher.hash("secret password here")
        XCTAssertFalse("\(hash)".contains(hash.encoded))
        XCTAssertFalse(String(reflecting: hash).contains("$y$"))
    }

    func testConcurrentHashingIsIndependent() throws {
        let hasher = self.hasher
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let password = "password number \(index)"
            let ok = (try? hasher.hash(password)).map { (try? hasher.verify(password, against: $0)) == true } ?? false
            results.record(ok)
        }
        XCTAssertEqual(results.values, Array(repeating: true, count: 8))
    }
}

private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool] = []
    func record(_ value: Bool) { lock.withLock { stored.append(value) } }
    var values: [Bool] { lock.withLock { stored } }
}
