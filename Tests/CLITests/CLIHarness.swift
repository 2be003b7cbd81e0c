import Foundation
import TestSupport
import XCTest

/// The built `customer-es` binary, run as a real process against a real LMDB store in a temporary folder.
///
/// Every helper here is a thin wrapper over `runProcess`; nothing is mocked. Each call is bounded (`timeout`), so a
/// hanging child fails the test instead of the whole run.
let customerES = builtProduct("customer-es")

/// One temporary store folder (`<tmp>/store`, not created until the binary creates it) and the commands to drive it.
final class CLIStore: @unchecked Sendable {
    let folder = TemporaryDirectory("cli")
    var url: URL { folder.path("store") }
    /// Where `pendingLinks` delivers the emails.
    var deliveredURL: URL { folder.path("delivered") }
    var path: String { url.path }

    /// Runs `customer-es --store <this store> ARGS…`.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 20) throws -> ProcessOutput {
        try runProcess(customerES, ["--store", path] + arguments, environment: environment, timeout: timeout)
    }

    /// A valid `create` command line for `email`; `overrides` replace or add options (`nil` removes one).
    static func createArguments(email: String?, _ overrides: [String: String?] = [:], flags: [String] = []) -> [String] {
        var options: [(String, String?)] = [
            ("email", email), ("salutation", "Mr"), ("first-name", "Max"), ("last-name", "Mustermann"),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let index = options.firstIndex(where: { $0.0 == key }) {
                options[index].1 = value
            } else {
                options.append((key, value))
            }
        }
        var arguments = ["create"]
        for (key, value) in options {
            if let value { arguments += ["--\(key)", value] }
        }
        return arguments + flags.map { "--\($0)" }
    }

    /// Creates a customer that must be accepted and returns the reference it printed.
    @discardableResult
    func create(
        _ email: String, _ overrides: [String: String?] = [:], flags: [String] = [], global: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        let output = try run(global + Self.createArguments(email: email, overrides, flags: flags))
        XCTAssertEqual(output.status, 0, "create \(email) failed: \(output.stderr)", file: file, line: line)
        XCTAssertTrue(output.stdout.contains("Customer was created successfully."), output.stdout, file: file, line: line)
        return try XCTUnwrap(Self.reference(in: output.stdout), "no reference in: \(output.stdout)", file: file, line: line)
    }

    /// The reference printed by a successful command (`Reference: DE--3`).
    static func reference(in stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix("Reference: ") }.map { String($0.dropFirst("Reference: ".count)) }
    }

    /// `show CUSTOMER --json`, which must succeed, parsed.
    func show(_ customer: String, asOf: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        var arguments = ["show", customer, "--json"]
        if let asOf { arguments += ["--as-of", asOf] }
        let output = try run(arguments)
        XCTAssertEqual(output.status, 0, "show \(customer) failed: \(output.stderr)", file: file, line: line)
        return try jsonObject(output.stdout, file: file, line: line)
    }

    /// The links of the emails `show` lists as waiting, by kind (`verification`, `password-set`), read from the
    /// delivered emails as a customer would: `show` never prints a link, so the emails not yet sent are dispatched
    /// (file transport into `delivered`, outside the store, as actor `test-dispatcher`) and each link taken from the
    /// `.eml` of the outbox entry `show` names.
    func pendingLinks(_ customer: String, file: StaticString = #filePath, line: UInt = #line) throws -> [(kind: String, link: String)] {
        let customerJSON = try show(customer, file: file, line: line)
        let emails = try XCTUnwrap(customerJSON["pendingEmails"] as? [[String: Any]], "no pendingEmails array", file: file, line: line)
        if emails.contains(where: { $0["delivery"] as? String != "sent" }) {
            let dispatch = try run(["--actor", "test-dispatcher", "outbox", "dispatch", "--dir", deliveredURL.path])
            XCTAssertEqual(dispatch.status, 0, "outbox dispatch failed: \(dispatch.stderr)", file: file, line: line)
        }
        return try emails.map { email in
            let id = try XCTUnwrap(email["id"] as? String, "a pending email without an outbox id: \(email)", file: file, line: line)
            let message = try String(contentsOf: deliveredURL.appendingPathComponent("\(id)@customer-es.eml"), encoding: .utf8)
            let link = message.split(whereSeparator: \.isNewline).first { $0.hasPrefix("http") }.map(String.init) ?? ""
            return (kind: email["kind"] as? String ?? "?", link: link)
        }
    }

    /// The token of the (only) waiting email of `kind`.
    func token(_ customer: String, kind: String = "verification", file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let links = try pendingLinks(customer, file: file, line: line).filter { $0.kind == kind }
        XCTAssertEqual(links.count, 1, "expected one \(kind) email for \(customer), got \(links)", file: file, line: line)
        let link = try XCTUnwrap(links.first?.link, "no \(kind) link", file: file, line: line)
        return try XCTUnwrap(tokenOf(link), "no token in \(link)", file: file, line: line)
    }

    /// `settings --json`, parsed into key → value.
    func settings(file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let output = try run(["settings", "--json"])
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        let object = try jsonObject(output.stdout, file: file, line: line)
        return object.compactMapValues { $0 as? String }
    }

    /// `events --json`: the whole global log, oldest first (the documented event shape).
    func events(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let output = try run(["events", "--json"])
        XCTAssertEqual(output.status, 0, "events --json failed: \(output.stderr)", file: file, line: line)
        let value = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        return try XCTUnwrap(value as? [[String: Any]], "events --json is not an array of objects: \(output.stdout)", file: file, line: line)
    }

    /// The number of events in the log (the head position): what "nothing written" is checked against.
    func eventCount(file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        try events(file: file, line: line).count
    }

    /// `events --json` as printed: "nothing written" compares it byte for byte before and after.
    func eventLogText(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let output = try run(["events", "--json"])
        XCTAssertEqual(output.status, 0, "events --json failed: \(output.stderr)", file: file, line: line)
        return output.stdout
    }

    /// Whether the store folder holds an LMDB environment yet.
    var exists: Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent("data.mdb").path) }
}

/// The `token` query parameter of an email link.
func tokenOf(_ link: String) -> String? {
    URLComponents(string: link)?.queryItems?.first { $0.name == "token" }?.value
}

func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let data = Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(text)", file: file, line: line)
}

/// The `--json` error object (`{"error": {"code", "message", "problems"}}`), checked for shape and returned as plain values.
struct CLIErrorJSON {
    let code: String
    let message: String
    let problems: [(field: String, message: String)]

    var fields: [String] { problems.map(\.field) }

    init(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let top = try jsonObject(stderr, file: file, line: line)
        XCTAssertEqual(Array(top.keys), ["error"], "the error object has only the key error: \(stderr)", file: file, line: line)
        let error = try XCTUnwrap(top["error"] as? [String: Any], "error is not an object: \(stderr)", file: file, line: line)
        code = try XCTUnwrap(error["code"] as? String, "error.code is not a string: \(stderr)", file: file, line: line)
        message = try XCTUnwrap(error["message"] as? String, "error.message is not a string: \(stderr)", file: file, line: line)
        let list = try XCTUnwrap(error["problems"] as? [Any], "error.problems is not an array: \(stderr)", file: file, line: line)
        problems = try list.map { item in
            let problem = try XCTUnwrap(item as? [String: Any], "a problem is not an object: \(stderr)", file: file, line: line)
            return (
                field: try XCTUnwrap(problem["field"] as? String, "problem.field is not a string", file: file, line: line),
                message: try XCTUnwrap(problem["message"] as? String, "problem.message is not a string", file: file, line: line))
        }
        XCTAssertFalse(message.isEmpty, "error.message is empty", file: file, line: line)
    }
}

enum ISO {
    /// Parses an ISO 8601 UTC time as `show --json` prints it (`…Z`, fractional seconds optional).
    static func parse(_ text: String?) -> Date? {
        guard let text, text.hasSuffix("Z") else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The UTC calendar day of `date` shifted by `days`, as `YYYY-MM-DD`.
    static func day(_ date: Date = Date(), plus days: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let shifted = calendar.date(byAdding: .day, value: days, to: date)!
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

/// Collects results from threads.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value] = []
    func append(_ value: Value) { lock.lock(); storage.append(value); lock.unlock() }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// Runs each command line in its own process, all started as close to the same moment as threads allow, and
/// returns the outputs in the order of `commandLines`.
func runConcurrently(_ commandLines: [[String]], timeout: TimeInterval = 20) -> [ProcessOutput?] {
    let results = Collected<(Int, ProcessOutput?)>()
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for (index, arguments) in commandLines.enumerated() {
        group.enter()
        Thread.detachNewThread {
            start.wait()
            results.append((index, try? runProcess(customerES, arguments, timeout: timeout)))
            group.leave()
        }
    }
    for _ in commandLines { start.signal() }
    _ = group.wait(timeout: .now() + timeout + 10)
    var ordered = [ProcessOutput?](repeating: nil, count: commandLines.count)
    for (index, output) in results.values { ordered[index] = output }
    return ordered
}
