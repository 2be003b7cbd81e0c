import CustomerService
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class TokenKeyTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("customer-es-tokenkey-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var keyFile: URL { directory.appendingPathComponent("token.key") }

    func testGenerateMakesDistinct32ByteKeys() {
        let a = TokenKey.generate()
        let b = TokenKey.generate()
        XCTAssertEqual(a.bytes.count, 32)
        XCTAssertNotEqual(a.bytes, b.bytes)
    }

    func testKeyBytesNeverAppearInDescriptions() {
        let key = TokenKey.generate()
        let hex = SecurityTestHex.encode(key.bytes)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), "\(key)", "\([key])", dumped] {
            XCTAssertTrue(text.contains("TokenKey(<redacted>)"), text)
            XCTAssertFalse(text.contains(hex), text)
            // No decimal byte values either (the default struct printing would list all 32).
            XCTAssertFalse(text.contains(where: \.isNumber), text)
        }
    }

    func testCreatesA0600FileAndReloadsTheSameKey() throws {
        let created = try TokenKey.loadOrCreate(inDirectory: directory)
        XCTAssertEqual(created.bytes.count, 32)

        var status = stat()
        XCTAssertEqual(stat(keyFile.path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(status.st_size, 32)
        XCTAssertEqual(try Data(contentsOf: keyFile), Data(created.bytes))

        let reloaded = try TokenKey.loadOrCreate(inDirectory: directory)
        XCTAssertEqual(reloaded.bytes, created.bytes)

        // The temporary file used for the atomic publish is gone.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["token.key"])
    }

    func testModeIsExactlyOwnerReadWriteEvenWithAPermissiveUmask() throws {
        let previous = umask(0)
        defer { umask(previous) }
        _ = try TokenKey.loadOrCreate(inDirectory: directory)
        var status = stat()
        XCTAssertEqual(stat(keyFile.path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
    }

    func testCreatesAMissingDirectory() throws {
        let nested = directory.appendingPathComponent("a/b", isDirectory: true)
        let created = try TokenKey.loadOrCreate(inDirectory: nested)
        XCTAssertEqual(try TokenKey.loadOrCreate(inDirectory: nested).bytes, created.bytes)
    }

    func testAnExistingKeyFileIsUsedAsIs() throws {
        let bytes = (0..<32).map { UInt8(200 - $0) }
        try Data(bytes).write(to: keyFile)
        XCTAssertEqual(try TokenKey.loadOrCreate(inDirectory: directory).bytes, bytes)
    }

    func testWrongSizeFileIsAnErrorAndIsLeftUntouched() throws {
        for size in [0, 1, 31, 33, 64] {
            let contents = Data(repeating: 7, count: size)
            try contents.write(to: keyFile)
            XCTAssertThrowsError(try TokenKey.loadOrCreate(inDirectory: directory), "size \(size)") { error in
                XCTAssertEqual(error as? TokenKeyError, .wrongSize(path: keyFile.path, byteCount: size))
                XCTAssertTrue(String(describing: error).contains("expected exactly 32"), String(describing: error))
            }
            XCTAssertEqual(try Data(contentsOf: keyFile), contents, "never overwritten")
        }
    }

    func testADirectoryAtTheKeyPathIsAnError() throws {
        try FileManager.default.createDirectory(at: keyFile, withIntermediateDirectories: false)
        XCTAssertThrowsError(try TokenKey.loadOrCreate(inDirectory: directory)) { error in
            XCTAssertEqual(error as? TokenKeyError, .notARegularFile(path: keyFile.path))
        }
    }

    /// Many rounds of several threads racing on an empty directory: every thread must come back
    /// with the same key, and it must be the one on disk.
    func testConcurrentLoadOrCreateEndsWithOneKey() throws {
        let threads = 8
        for round in 0..<25 {
            let roundDirectory = directory.appendingPathComponent("round-\(round)", isDirectory: true)
            let results = ResultCollector()
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                Thread.detachNewThread {
                    start.wait()
                    results.add(Result { try TokenKey.loadOrCreate(inDirectory: roundDirectory).bytes })
                    group.leave()
                }
            }
            for _ in 0..<threads { start.signal() }
            group.wait()

            let keys = try results.all().map { try $0.get() }
            XCTAssertEqual(keys.count, threads)
            XCTAssertEqual(Set(keys).count, 1, "round \(round): racing creators disagreed")
            XCTAssertEqual(try Data(contentsOf: roundDirectory.appendingPathComponent("token.key")), Data(keys[0]))
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: roundDirectory.path), ["token.key"])
        }
    }
}

/// Thread-safe accumulator for the race test.
private final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[UInt8], Error>] = []

    func add(_ result: Result<[UInt8], Error>) {
        lock.lock()
        defer { lock.unlock() }
        results.append(result)
    }

    func all() -> [Result<[UInt8], Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
