import Foundation
import TestSupport
import XCTest

/// A real `customer-es serve` process on a free loopback port, over a `CLIStore`, with its access log (stderr) in a
/// file and the dispatcher delivering into `store.deliveredURL`.
final class ServeProcess: @unchecked Sendable {
    let store: CLIStore
    let port: UInt16
    let process: RunningProcess
    let accessLogURL: URL
    var origin: String { "http://127.0.0.1:\(port)" }

    /// Sets the store's base URL to the server's address (so that the emails link to it) and starts serving.
    init(_ store: CLIStore, arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        self.store = store
        port = try TestSockets.freePort()
        accessLogURL = store.folder.path("serve-stderr-\(port).log")
        let setting = try store.run(["settings", "base-url", "http://127.0.0.1:\(port)"])
        XCTAssertEqual(setting.status, 0, setting.stderr, file: file, line: line)
        var command = [customerES.path, "--store", store.path, "serve", "--listen", "127.0.0.1:\(port)"]
        if !arguments.contains("--transport") { command += ["--dir", store.deliveredURL.path] }
        command += arguments
        // exec keeps the pid, so signals reach the server itself.
        let script = "exec " + command.map(Self.shellQuoted).joined(separator: " ") + " 2>" + Self.shellQuoted(accessLogURL.path)
        process = try RunningProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
        let deadline = Date().addingTimeInterval(15)
        while !TestSockets.canConnect(port: port) {
            guard process.process.isRunning, Date() < deadline else {
                XCTFail("serve did not start listening: \(stderr)", file: file, line: line)
                throw TestFailure("serve did not start")
            }
            usleep(20_000)
        }
    }

    deinit {
        if process.process.isRunning { process.kill9() }
    }

    var stderr: String { (try? String(contentsOf: accessLogURL, encoding: .utf8)) ?? "" }

    func terminate() { kill(process.process.processIdentifier, SIGTERM) }

    /// Resident memory of the server process now (from /proc/PID/status).
    var residentBytes: Int { TestSupport.residentBytes(of: process.process.processIdentifier) }

    func connect() throws -> RawHTTPConnection { try RawHTTPConnection(port: port) }

    /// The link of `kind` (`register/confirm`, `password/restore`) in the newest delivered email to `email`, waiting
    /// for the dispatcher of the server to deliver it.
    func link(to email: String, path: String = "/register/confirm", after earlier: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            for link in try links(to: email, path: path) where !earlier.contains(link) { return link }
            usleep(50_000)
        }
        XCTFail("no new \(path) email to \(email) was delivered", file: file, line: line)
        throw TestFailure("no email")
    }

    /// Every link with `path` in the emails delivered to `email` so far.
    func links(to email: String, path: String = "/register/confirm") throws -> [String] {
        let folder = store.deliveredURL
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var found: [String] = []
        for name in names where name.hasSuffix(".eml") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            guard text.contains("To: \(email)") || text.contains("<\(email)>") else { continue }
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("http") && line.contains(path) {
                found.append(line.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return found
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// One request for `HTTPClient`.
struct HTTPCall: Encodable {
    var method = "GET"
    var path: String
    var headers: [String: String] = [:]
    var body: String?
    /// The loopback address the client connects from (127.0.0.N), to act as another client address.
    var source: String?

    static func form(_ path: String, _ fields: [(String, String)], headers: [String: String] = [:], source: String? = nil) -> HTTPCall {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.0, value: $0.1) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var allHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        for (name, value) in headers { allHeaders[name] = value }
        return HTTPCall(method: "POST", path: path, headers: allHeaders, body: body, source: source)
    }

    /// What a browser sends with the page's own form under `Referrer-Policy: no-referrer`.
    static let browserSameOrigin = ["Origin": "null", "Sec-Fetch-Site": "same-origin"]
}

extension HTTPCall {
    /// A call to the admin API: `Authorization: Bearer KEY` when a key is given, `json` as an application/json body.
    static func api(_ method: String, _ path: String, key: String?, json: Any? = nil, headers: [String: String] = [:]) throws -> HTTPCall {
        var all = headers
        if let key { all["Authorization"] = "Bearer \(key)" }
        var body: String?
        if let json {
            all["Content-Type"] = "application/json"
            body = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        }
        return HTTPCall(method: method, path: path, headers: all, body: body)
    }
}

extension CLIStore {
    /// `api-key create NAME --role ROLE`, which must succeed: the key it printed once.
    func createApiKey(_ name: String, role: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let created = try run(["api-key", "create", name, "--role", role, "--json"])
        XCTAssertEqual(created.status, 0, created.stderr, file: file, line: line)
        return try XCTUnwrap(try jsonObject(created.stdout)["key"] as? String, file: file, line: line)
    }

    /// Another process takes the store's writer and keeps it for `milliseconds`: the commands arriving meanwhile
    /// queue for it together (without it, a commit can end before the next request is ready to join one).
    func holdTheWriter(milliseconds: Int = 1500, file: StaticString = #filePath, line: UInt = #line) throws -> RunningProcess {
        let holder = try RunningProcess(builtProduct("eventstore-worker"), ["hold-write", path, String(milliseconds)])
        let deadline = Date().addingTimeInterval(20)
        while !holder.lines.contains("writing") && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(holder.lines.contains("writing"), "the holder never got the writer", file: file, line: line)
        return holder
    }
}

struct HTTPAnswer: Decodable {
    let status: Int
    let headers: [String: String]
    let body: String

    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
}

/// A real HTTP client: Python's http.client in a child process, one connection per call.
enum HTTPClient {
    static let script = """
        import http.client, json, sys
        port = int(sys.argv[1])
        answers = []
        for call in json.load(sys.stdin):
            source = (call["source"], 0) if call.get("source") else None
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=source)
            body = call.get("body")
            connection.request(call["method"], call["path"], body=body.encode() if body is not None else None, headers=call["headers"])
            response = connection.getresponse()
            answers.append({"status": response.status, "headers": dict(response.getheaders()), "body": response.read().decode("utf-8", "replace")})
            connection.close()
        json.dump(answers, sys.stdout)
        """

    static func send(_ calls: [HTTPCall], port: UInt16, file: StaticString = #filePath, line: UInt = #line) throws -> [HTTPAnswer] {
        try run(script, calls, port: port, timeout: 60, file: file, line: line)
    }

    /// `calls` through the Python client `script`, whose standard output is the JSON array of the answers.
    private static func run(_ script: String, _ calls: [HTTPCall], port: UInt16, timeout: Double, file: StaticString, line: UInt) throws -> [HTTPAnswer] {
        let input = String(decoding: try JSONEncoder().encode(calls), as: UTF8.self)
        let output = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, String(port)], stdin: input, timeout: timeout)
        XCTAssertEqual(output.status, 0, "the HTTP client failed: \(output.stderr)", file: file, line: line)
        return try JSONDecoder().decode([HTTPAnswer].self, from: Data(output.stdout.utf8))
    }

    /// The calls at once: one thread and connection each, released together by a barrier; answers in call order.
    static let concurrentScript = """
        import http.client, json, sys, threading
        port = int(sys.argv[1])
        calls = json.load(sys.stdin)
        answers = [None] * len(calls)
        barrier = threading.Barrier(len(calls))
        def run(index, call):
            source = (call["source"], 0) if call.get("source") else None
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=source)
            connection.connect()
            body = call.get("body")
            barrier.wait()
            connection.request(call["method"], call["path"], body=body.encode() if body is not None else None, headers=call["headers"])
            response = connection.getresponse()
            answers[index] = {"status": response.status, "headers": dict(response.getheaders()), "body": response.read().decode("utf-8", "replace")}
            connection.close()
        threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
        for thread in threads: thread.start()
        for thread in threads: thread.join()
        json.dump(answers, sys.stdout)
        """

    static func sendConcurrently(_ calls: [HTTPCall], port: UInt16, file: StaticString = #filePath, line: UInt = #line) throws -> [HTTPAnswer] {
        try run(concurrentScript, calls, port: port, timeout: 120, file: file, line: line)
    }

    static func send(_ call: HTTPCall, port: UInt16, file: StaticString = #filePath, line: UInt = #line) throws -> HTTPAnswer {
        let answers = try send([call], port: port, file: file, line: line)
        return try XCTUnwrap(answers.first, file: file, line: line)
    }
}

/// `POST /api/authenticate` with the JSON the storefront's sign-in sends.
func signInCall(_ email: String, _ password: String, source: String? = nil) throws -> HTTPCall {
    let body = String(decoding: try JSONSerialization.data(withJSONObject: ["email": email, "password": password]), as: UTF8.self)
    return HTTPCall(method: "POST", path: "/api/authenticate", headers: ["Content-Type": "application/json"], body: body, source: source)
}

/// The path and query of a link (`/register/confirm?token=…&_locale=…`).
func pathAndQuery(_ link: String) -> String {
    guard let components = URLComponents(string: link) else { return link }
    return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
}
