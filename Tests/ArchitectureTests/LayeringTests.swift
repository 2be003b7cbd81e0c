import Foundation
import XCTest

/// The layering rule of the architecture, checked on the sources themselves. Each module may import only the
/// modules listed for it (plus the system's `Foundation`, `Dispatch`, `Glibc`/`Darwin`):
///
/// - `CompactCodec`, `SystemCalls` (the one POSIX helper), `HTMLBuilder`: nothing else.
/// - `HTTPServer` (protocol only: handlers get the application injected): `SystemCalls` only.
/// - `PasswordHashing`: `CCrypt` and `SystemCalls` only.
/// - `CustomerAggregate` (the pure decider): `CompactCodec` only.
/// - `EventStore`: `CLMDB`, `CompactCodec`, `SystemCalls`, `Synchronization`.
/// - `Mail`: `SystemCalls` only (it knows nothing of events or the store).
/// - `Projections`: `EventStore`, `CustomerAggregate`, `CompactCodec`, `Synchronization` (the match cache's lock).
/// - `CustomerService` (the application layer): `EventStore`, `Projections`, `CustomerAggregate`, `Mail`,
///   `CompactCodec`, `SystemCalls`, `PasswordHashing` (it hashes and checks passwords around its transactions) —
///   never `CLMDB` or `CCrypt`.
/// - `Storefront` (the pages of `serve`): `CustomerService`, `CustomerAggregate`, `HTTPServer`, `HTMLBuilder` —
///   never the store.
/// - `BackOffice` (the operators' pages and admin API of `serve`): the same as `Storefront`, never `Storefront`
///   itself and never the store.
/// - `customer-es` (the CLI): `CustomerService`, `CustomerAggregate`, `Storefront` and `BackOffice` only — never the
///   store, the projections, LMDB, the mail transports or the HTTP server itself.
///
/// And only `Sources/EventStore/LMDB` (and the benchmark, which measures a raw LMDB loop) calls `mdb_*`.
final class LayeringTests: XCTestCase {
    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin"]

    static let allowedImports: [String: Set<String>] = [
        "CompactCodec": [],
        "SystemCalls": [],
        "HTTPServer": ["SystemCalls"],
        "HTMLBuilder": [],
        "PasswordHashing": ["CCrypt", "SystemCalls"],
        "CustomerAggregate": ["CompactCodec"],
        "EventStore": ["CLMDB", "CompactCodec", "SystemCalls", "Synchronization"],
        "Mail": ["SystemCalls"],
        "Projections": ["EventStore", "CustomerAggregate", "CompactCodec", "Synchronization"],
        "CustomerService": ["EventStore", "Projections", "CustomerAggregate", "Mail", "CompactCodec", "SystemCalls", "PasswordHashing"],
        "Storefront": ["CustomerService", "CustomerAggregate", "HTTPServer", "HTMLBuilder"],
        "BackOffice": ["CustomerService", "CustomerAggregate", "HTTPServer", "HTMLBuilder"],
        "customer-es": ["CustomerService", "CustomerAggregate", "Storefront", "BackOffice"],
    ]

    /// Executables outside the product's layers (a benchmark, a test helper); C system libraries start with `C`.
    static let notLayered: Set<String> = ["customer-es-bench", "eventstore-worker"]

    /// Folders (below the package root) whose Swift files may call `mdb_*` functions.
    static let lmdbCallers = ["Sources/EventStore/LMDB/", "Sources/customer-es-bench/"]

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEachModuleImportsOnlyTheLayersBelowIt() throws {
        var violations: [String] = []
        // A new library module gets its line above: where it sits is part of the architecture.
        let unplaced = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix("C") || $0 == "CompactCodec" || $0.hasPrefix("Customer") }
            .filter { Self.allowedImports[$0] == nil && !Self.notLayered.contains($0) }
        XCTAssertEqual(unplaced, [], "modules without a layering rule")
        for (module, allowed) in Self.allowedImports {
            let files = try swiftFiles(under: "Sources/\(module)")
            XCTAssertFalse(files.isEmpty, "no sources found for \(module)")
            for file in files {
                for imported in try imports(in: file) where !allowed.contains(imported) && !Self.system.contains(imported) {
                    violations.append("\(relative(file)) imports \(imported), which \(module) must not use")
                }
            }
        }
        XCTAssertEqual(violations, [], violations.joined(separator: "\n"))
    }

    func testOnlyTheLMDBLayerCallsLMDB() throws {
        let call = try NSRegularExpression(pattern: #"\bmdb_[a-z_]+\s*\("#)
        var violations: [String] = []
        for file in try swiftFiles(under: "Sources") {
            let path = relative(file)
            if Self.lmdbCallers.contains(where: path.hasPrefix) { continue }
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                if call.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    violations.append("\(path):\(number + 1) calls mdb_*: \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(violations, [], violations.joined(separator: "\n"))
    }

    /// The check itself can fail: a forbidden import in a sample is found.
    func testTheImportScannerSeesEveryFormOfImport() throws {
        let sample = Self.packageRoot.appendingPathComponent(".build/layering-sample-\(getpid()).swift")
        try "import Foundation\n@testable import EventStore\n  import struct Projections.CustomerRow\n// import Mail\n@_exported import CLMDB\n"
            .write(to: sample, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: sample) }
        XCTAssertEqual(try imports(in: sample), ["Foundation", "EventStore", "Projections", "CLMDB"])
    }

    // MARK: Reading the sources

    private func swiftFiles(under folder: String) throws -> [URL] {
        let root = Self.packageRoot.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    /// The modules a file imports, in order (`import X`, `@testable import X`, `import struct X.Y`).
    private func imports(in file: URL) throws -> [String] {
        let pattern = try NSRegularExpression(
            pattern: #"^\s*(?:@[A-Za-z_]+\s+)*import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#,
            options: [.anchorsMatchLines])
        let text = try String(contentsOf: file, encoding: .utf8)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    private func relative(_ file: URL) -> String {
        String(file.path.dropFirst(Self.packageRoot.path.count + 1))
    }
}
