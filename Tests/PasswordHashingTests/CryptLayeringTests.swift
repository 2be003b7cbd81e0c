import XCTest

/// libxcrypt is reached through one small layer: a `crypt_` call anywhere else would bypass its checks (NUL
/// bytes, `*` failure outputs, per-call `crypt_data`, constant-time comparison).
final class CryptLayeringTests: XCTestCase {
    func testOnlyPasswordHashingCallsCrypt() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var callers: [String] = []
        var layerFiles = 0
        for case let file as URL in enumerator where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.contains("crypt_") else { continue }
            let relative = String(file.path.dropFirst(sources.path.count + 1))
            if relative.hasPrefix("PasswordHashing/") { layerFiles += 1 } else { callers.append(relative) }
        }
        XCTAssertEqual(callers, [], "only Sources/PasswordHashing may call crypt_*")
        XCTAssertGreaterThan(layerFiles, 0, "the scan found the layer itself, so it looked in the right place")
    }
}
