import Foundation
import TestSupport
import XCTest

/// Hostile HTTP against the real `customer-es serve` process (not only the HTTPServer's test server): every limit,
/// smuggling, malformed input, HEAD, the security headers on every answer, and 1 000 connections at once — with
/// raw sockets, so that nothing between the test and the server fixes a request up.
final class CLIServeHostileHTTPTests: XCTestCase {
    static let form = "Content-Type: application/x-www-form-urlencoded\r\n"

    /// One request on a fresh connection; its answer.
    private func exchange(_ server: ServeProcess, _ request: String) throws -> RawHTTPConnection.Response {
        let connection = try server.connect()
        connection.send(request)
        return try connection.readResponse()
    }

    private func post(_ path: String, body: [UInt8], extraHeaders: String = "") -> [UInt8] {
        Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(Self.form)\(extraHeaders)Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    private func assertSecurityHeaders(_ answer: RawHTTPConnection.Response, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let policy = answer.header("Content-Security-Policy") ?? ""
        XCTAssertTrue(policy.contains("frame-ancestors 'none'"), "\(what): CSP \(policy)", file: file, line: line)
        XCTAssertTrue(policy.contains("form-action 'self'"), "\(what): CSP \(policy)", file: file, line: line)
        XCTAssertTrue(policy.contains("default-src 'none'") && !policy.contains("script-src"), "\(what): no scripts: \(policy)", file: file, line: line)
        XCTAssertEqual(answer.header("Referrer-Policy"), "no-referrer", what, file: file, line: line)
        XCTAssertEqual(answer.header("Cache-Control"), "no-store", what, file: file, line: line)
        XCTAssertEqual(answer.header("X-Content-Type-Options"), "nosniff", what, file: file, line: line)
    }

    func testLimitsMalformedRequestsAndHeadersOnEveryAnswer() throws {
        let store = CLIStore()
        let reference = try store.create("target@example.com")
        let server = try ServeProcess(store)
        let link = try server.link(to: "target@example.com")
        let token = try XCTUnwrap(tokenOf(link))
        var answers: [(String, RawHTTPConnection.Response)] = []
        func expect(_ status: Int, _ what: String, _ request: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let answer: RawHTTPConnection.Response
            do { answer = try exchange(server, request) } catch { throw TestFailure("\(what): \(error)") }
            XCTAssertEqual(answer.status, status, "\(what): \(answer.text)", file: file, line: line)
            answers.append((what, answer))
        }
        func expect(_ status: Int, _ what: String, bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
            let connection = try server.connect()
            connection.send(bytes)
            let answer: RawHTTPConnection.Response
            do { answer = try connection.readResponse() } catch { throw TestFailure("\(what): \(error)") }
            XCTAssertEqual(answer.status, status, "\(what): \(answer.text)", file: file, line: line)
            answers.append((what, answer))
        }

        // The pages themselves.
        try expect(200, "confirm page", "GET \(pathAndQuery(link)) HTTP/1.1\r\nHost: a\r\n\r\n")
        try expect(200, "stylesheet", "GET /static/storefront.css HTTP/1.1\r\nHost: a\r\n\r\n")
        try expect(404, "unknown link", "GET /password/restore?token=nonsense HTTP/1.1\r\nHost: a\r\n\r\n")
        try expect(404, "unknown path", "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n")
        let credentials = #"{"email":"a@b.c","password":"nopez"}"#
        try expect(401, "sign-in", "POST /api/authenticate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(credentials.utf8.count)\r\n\r\n\(credentials)")
        // Limits: request line 8 KiB, header fields 32 KiB and 100, form bodies 16 KiB (refused before reading).
        try expect(414, "request line", "GET /register/confirm?token=\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n")
        let bigField = "X-Padding: " + String(repeating: "p", count: 1000) + "\r\n"
        try expect(431, "header bytes", "GET / HTTP/1.1\r\nHost: a\r\n\(String(repeating: bigField, count: 34))\r\n")
        try expect(431, "header fields", "GET / HTTP/1.1\r\nHost: a\r\n\((1...101).map { "X-F\($0): v\r\n" }.joined())\r\n")
        try expect(413, "form body", "POST /register/confirm HTTP/1.1\r\nHost: a\r\n\(Self.form)Content-Length: \(17 * 1024)\r\n\r\n")
        // Smuggling and malformed input.
        try expect(400, "Content-Length with Transfer-Encoding", "POST /register/confirm HTTP/1.1\r\nHost: a\r\n\(Self.form)Content-Length: 11\r\nTransfer-Encoding: chunked\r\n\r\ntoken=x\r\n0\r\n\r\n")
        try expect(400, "two Content-Lengths", "POST /register/confirm HTTP/1.1\r\nHost: a\r\n\(Self.form)Content-Length: 7\r\nContent-Length: 8\r\n\r\ntoken=x")
        try expect(400, "bad percent-encoding in the query", "GET /register/confirm?token=%zz HTTP/1.1\r\nHost: a\r\n\r\n")
        try expect(400, "bad percent-encoding in a form", bytes: post("/register/confirm", body: Array("token=%z1".utf8)))
        try expect(400, "non-UTF-8 form value (encoded)", bytes: post("/register/confirm", body: Array("token=%ff%fe".utf8)))
        try expect(400, "non-UTF-8 form value (raw)", bytes: post("/register/confirm", body: Array("token=".utf8) + [0xC3, 0x28]))
        try expect(400, "bare LF line", "GET / HTTP/1.1\nHost: a\r\n\r\n")
        try expect(400, "no Host", "GET / HTTP/1.1\r\n\r\n")
        // Methods: 405 with Allow.
        try expect(405, "DELETE of a page", "DELETE /register/confirm HTTP/1.1\r\nHost: a\r\n\r\n")
        try expect(405, "GET of the API", "GET /api/authenticate HTTP/1.1\r\nHost: a\r\n\r\n")
        let allowPage = answers.first { $0.0 == "DELETE of a page" }?.1.header("Allow") ?? ""
        XCTAssertTrue(allowPage.contains("GET") && allowPage.contains("POST"), allowPage)
        XCTAssertEqual(answers.first { $0.0 == "GET of the API" }?.1.header("Allow"), "POST")

        for (what, answer) in answers { assertSecurityHeaders(answer, what) }

        // HEAD: the GET's status and length, no body — the next answer on the same connection proves it.
        let connection = try server.connect()
        connection.send("HEAD \(pathAndQuery(link)) HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try connection.readResponse(bodyExpected: false)
        XCTAssertEqual(head.status, 200)
        XCTAssertGreaterThan(Int(head.header("Content-Length") ?? "") ?? 0, 0)
        assertSecurityHeaders(head, "HEAD")
        let next = try connection.get("/static/storefront.css")
        XCTAssertEqual(next.status, 200, "HEAD sent no body bytes before the next answer")

        // Nothing above used the token; the server still serves, and the log holds no token.
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Unverified")
        let confirmed = try exchange(server, String(decoding: post("/register/confirm", body: Array("token=\(token)".utf8)), as: UTF8.self))
        XCTAssertEqual(confirmed.status, 200, confirmed.text)
        assertSecurityHeaders(confirmed, "POST confirm")
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Verified")
        XCTAssertTrue(server.process.process.isRunning)
        XCTAssertFalse(server.stderr.contains(token), "the token must never reach the access log")
    }

    /// Slowloris against serve itself: with `--header-timeout 2` a client sending one byte a second is answered 408
    /// and dropped two seconds after its first byte, whatever it keeps sending, while another client is served
    /// meanwhile; with `--idle-timeout 1.5` a connection that sends nothing is closed.
    func testASlowClientIsDroppedAtTheHeaderTimeoutWhileAnotherIsServed() throws {
        let store = CLIStore()
        try store.create("someone@example.com")
        let server = try ServeProcess(store, arguments: ["--transport", "none", "--header-timeout", "2", "--idle-timeout", "1.5"])
        let slow = try server.connect()
        slow.setTimeout(10)
        let started = Date()
        slow.send("GET /static/storefront.css HTTP/1.1\r\n")
        let slowFD = slow.fd
        let dripped = DispatchSemaphore(value: 0)
        Thread {
            // One byte a second; ends when the server has closed the connection (the send fails).
            for byte in "X-Slow: aaaaaaaa".utf8 {
                sleep(1)
                var value = byte
                guard send(slowFD, &value, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
            }
            dripped.signal()
        }.start()
        defer { _ = dripped.wait(timeout: .now() + 20) }

        let fast = try server.connect()
        for _ in 0..<6 {
            let begun = Date()
            XCTAssertEqual(try fast.get("/static/storefront.css").status, 200)
            XCTAssertLessThan(Date().timeIntervalSince(begun), 1.0, "the other client waited")
            usleep(250_000)
        }
        let answer = try slow.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(answer.status, 408, answer.text)
        XCTAssertEqual(answer.header("Connection"), "close")
        XCTAssertGreaterThan(elapsed, 1.9)
        XCTAssertLessThan(elapsed, 5.0, "dropped at the header timeout although it kept sending")
        XCTAssertTrue(slow.isClosedByServer(within: 3))

        let silent = try server.connect()
        let opened = Date()
        XCTAssertTrue(silent.isClosedByServer(within: 5), "an idle connection is closed")
        let idle = Date().timeIntervalSince(opened)
        XCTAssertGreaterThan(idle, 1.3)
        XCTAssertLessThan(idle, 4.0)
        XCTAssertEqual(try server.connect().get("/static/storefront.css").status, 200)
        XCTAssertTrue(server.stderr.contains(" 408 "), "the drop is in the access log: \(server.stderr)")
    }

    func testTheTimeoutOptionsAreValidatedAndDocumented() throws {
        let store = CLIStore()
        try store.create("x@example.com")
        for option in ["header-timeout", "idle-timeout"] {
            for value in ["0", "0.5", "601", "ten", "nan", "inf", "-3", ""] {
                let bad = try store.run(["serve", "--\(option)", value, "--transport", "none"])
                XCTAssertEqual(bad.status, 2, "--\(option) \(value): \(bad.stderr)")
                XCTAssertTrue(bad.stderr.contains("--\(option) must be a number of seconds from 1 to 600"), bad.stderr)
            }
        }
        let help = try store.run(["serve", "--help"])
        XCTAssertTrue(help.stdout.contains("--header-timeout SECONDS"), help.stdout)
        XCTAssertTrue(help.stdout.contains("(default: 10)"), help.stdout)
        XCTAssertTrue(help.stdout.contains("--idle-timeout SECONDS"), help.stdout)
        XCTAssertTrue(help.stdout.contains("(default: 5)"), help.stdout)
    }

    /// 1 000 connections at once: serve holds at most its bound (256 connection threads), answers the rest 503 with
    /// Retry-After at once, keeps serving a client that was already connected, stays within its memory bound, and
    /// serves everyone again afterwards.
    func testThousandConcurrentConnectionsWhileAnotherClientIsServed() throws {
        try allowDescriptors(4096)  // serve inherits the limit through the shell that starts it
        let store = CLIStore()
        try store.create("someone@example.com")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let regular = try server.connect()
        XCTAssertEqual(try regular.get("/static/storefront.css").status, 200)
        usleep(100_000)
        let baseline = server.residentBytes
        XCTAssertGreaterThan(baseline, 0)

        // Each request right after its connect: a refused connection is drained for a second and then closed.
        var flood: [RawHTTPConnection] = []
        for _ in 0..<1000 {
            let connection = try server.connect()
            connection.send("GET /static/storefront.css HTTP/1.1\r\nHost: a\r\n\r\n")
            flood.append(connection)
        }
        // The client connected before the flood is served meanwhile, on its kept-alive connection.
        let during = try regular.get("/register/confirm?token=nonsense")
        XCTAssertEqual(during.status, 404, during.text)

        var statuses: [Int: Int] = [:]
        for connection in flood {
            let answer = try connection.readResponse()
            statuses[answer.status, default: 0] += 1
            if answer.status == 503 { XCTAssertNotNil(answer.header("Retry-After")) }
        }
        XCTAssertEqual(statuses[200, default: 0] + statuses[503, default: 0], 1000, "\(statuses)")
        XCTAssertLessThanOrEqual(statuses[200, default: 0], 256, "at most the connection bound is served at once")
        XCTAssertGreaterThan(statuses[503, default: 0], 0)

        // The stated bound: 256 connection threads (512 KiB stacks, only touched pages count) and their bounded
        // buffers on top of what serve needs anyway: idle ones like these cost well under 64 MB.
        let grown = server.residentBytes - baseline
        XCTAssertLessThan(grown, 64 * 1024 * 1024, "RSS grew by \(grown / 1024) KiB")
        XCTAssertEqual(try regular.get("/static/storefront.css").status, 200, "still served after the flood")
        print("serve, 1000 connections: \(statuses), RSS \(baseline / 1024) KiB -> +\(grown / 1024) KiB")

        flood.removeAll()
        usleep(300_000)
        for _ in 0..<3 {
            XCTAssertEqual(try server.connect().get("/static/storefront.css").status, 200)
        }
        XCTAssertTrue(server.process.process.isRunning)
    }
}
