import Foundation
import TestSupport
import XCTest

/// Hostile and heavy clients against a real server process: slow heads and bodies, idle connections, a thousand
/// connections at once, a stop with a request in flight, and what reaches the access log.
final class HTTPRobustnessTests: XCTestCase {
    func testSlowlorisIsDroppedWhileOthersAreServed() throws {
        let server = try TestHTTPServer(["--header-timeout", "1.5"])
        let slow = try server.connect()
        let started = Date()
        slow.send("GET / HTTP/1.1\r\n")
        let slowFD = slow.fd
        let dripped = DispatchSemaphore(value: 0)
        let dripper = Thread {
            // One byte every 200 ms: the head never completes, and every byte is "activity". Ends when the
            // server has closed the connection (the send fails).
            for byte in "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                var value = byte
                guard send(slowFD, &value, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
                usleep(200_000)
            }
            dripped.signal()
        }
        dripper.start()
        defer { _ = dripped.wait(timeout: .now() + 12) }
        // Meanwhile another client is served at once, again and again.
        let fast = try server.connect()
        for _ in 0..<5 {
            let begun = Date()
            XCTAssertEqual(try fast.get("/").status, 200)
            XCTAssertLessThan(Date().timeIntervalSince(begun), 1.0)
            usleep(100_000)
        }
        let answer = try slow.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(answer.status, 408)
        XCTAssertEqual(answer.header("Connection"), "close")
        XCTAssertGreaterThan(elapsed, 1.4)
        XCTAssertLessThan(elapsed, 4.0, "dropped at the header timeout although it kept sending")
        XCTAssertEqual(try fast.get("/").status, 200)
    }

    func testIdleConnectionsAreClosed() throws {
        let server = try TestHTTPServer(["--idle-timeout", "0.5"])
        let fresh = try server.connect()
        let kept = try server.connect()
        XCTAssertEqual(try kept.get("/").status, 200)
        let started = Date()
        XCTAssertTrue(fresh.isClosedByServer(within: 3))
        XCTAssertTrue(kept.isClosedByServer(within: 3))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
    }

    /// Empty lines before a request are tolerated, but a stream of them does not keep a connection alive.
    func testEndlessEmptyLinesDoNotHoldAConnection() throws {
        let server = try TestHTTPServer(["--idle-timeout", "6"])
        let tolerated = try server.connect()
        tolerated.send("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(try tolerated.readResponse().status, 200)
        let flood = try server.connect()
        let started = Date()
        for _ in 0..<6 {
            flood.send("\r\n")
            usleep(50_000)
        }
        XCTAssertTrue(flood.isClosedByServer(within: 5))
        XCTAssertLessThan(Date().timeIntervalSince(started), 4.0, "closed well before the idle timeout")
    }

    func testSlowBodyIs408() throws {
        let server = try TestHTTPServer(["--body-timeout", "0.5"])
        let connection = try server.connect()
        connection.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        let started = Date()
        XCTAssertEqual(try connection.readResponse().status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3.0)
    }

    /// 1 000 connections open at once against a bound of 64: the first 64 are served, every other one gets 503
    /// with Retry-After right away (not a hang, not a reset), memory stays bounded, and the server keeps serving.
    func testThousandConcurrentConnectionsAreBounded() throws {
        let bound = 64
        try allowDescriptors(4096)  // the server process inherits the limit
        let server = try TestHTTPServer(["--max-connections", String(bound), "--idle-timeout", "30"])
        XCTAssertEqual(try server.connect().get("/").status, 200)
        usleep(100_000)
        let baseline = server.residentBytes
        XCTAssertGreaterThan(baseline, 0)

        // Each request goes out right after its connect: a refused connection is drained for a second and then
        // closed, and a request arriving after that close would reset the connection and lose the 503.
        var connections: [RawHTTPConnection] = []
        for _ in 0..<1000 {
            let connection = try server.connect()
            connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            connections.append(connection)
        }
        var statuses: [Int: Int] = [:]
        for connection in connections {
            let response = try connection.readResponse()
            statuses[response.status, default: 0] += 1
            if response.status == 503 {
                XCTAssertEqual(response.header("Retry-After"), "1")
                XCTAssertEqual(response.header("Connection"), "close")
            }
        }
        XCTAssertEqual(statuses[200, default: 0] + statuses[503, default: 0], 1000, "\(statuses)")
        XCTAssertGreaterThanOrEqual(statuses[200, default: 0], bound - 1)
        XCTAssertLessThanOrEqual(statuses[200, default: 0], bound)
        XCTAssertLessThanOrEqual(server.threadCount, bound + 16, "one thread per served connection, no more")

        // The stated bound: per connection a 512 KiB stack (only touched pages count) and buffers of at most
        // HTTPLimits.maxConnectionBufferBytes; these idle ones hold far less. 64 connections must cost < 48 MB.
        let grown = server.residentBytes - baseline
        XCTAssertLessThan(grown, 48 * 1024 * 1024, "RSS grew by \(grown / 1024) KiB")
        print("1000 connections, bound \(bound): \(statuses), RSS \(baseline / 1024) KiB -> +\(grown / 1024) KiB, \(server.threadCount) threads")

        // The served 64 are idle keep-alive connections now; the server still answers nobody else until they
        // go, then everyone again.
        connections.removeAll()
        usleep(300_000)
        for _ in 0..<5 {
            XCTAssertEqual(try server.connect().get("/").status, 200)
        }
        XCTAssertTrue(server.process.process.isRunning)
    }

    /// Connections that each hold the largest head the server buffers (a request line and 32 KiB of fields,
    /// never finished) cost what `HTTPLimits.maxConnectionBufferBytes` says, not more: 64 of them < 48 MB.
    func testConnectionsHoldingLargeHeadsStayWithinTheMemoryBound() throws {
        let server = try TestHTTPServer(["--max-connections", "64", "--header-timeout", "20"])
        let baseline = server.residentBytes
        let fields = String(repeating: "X-Padding: " + String(repeating: "p", count: 1000) + "\r\n", count: 32)
        var connections: [RawHTTPConnection] = []
        for _ in 0..<64 {
            let connection = try server.connect()
            connection.send("GET / HTTP/1.1\r\nHost: a\r\n" + fields)
            connections.append(connection)
        }
        usleep(500_000)
        let grown = server.residentBytes - baseline
        XCTAssertLessThan(grown, 48 * 1024 * 1024, "RSS grew by \(grown / 1024) KiB")
        // Each of them is still waiting for the end of its head, and completes normally.
        connections[0].send("\r\n")
        XCTAssertEqual(try connections[0].readResponse().status, 200)
        print("64 connections holding \(fields.utf8.count) bytes of head each: RSS +\(grown / 1024) KiB")
    }

    /// Out of descriptors (more pending connections than `ulimit -n` allows): the accept thread must not spin on
    /// a listener that stays readable, and the server serves again once descriptors are free.
    func testRunningOutOfDescriptorsDoesNotSpin() throws {
        let server = try TestHTTPServer(["--max-connections", "500", "--idle-timeout", "30"], descriptorLimit: 48)
        var held: [RawHTTPConnection] = []
        for _ in 0..<100 { held.append(try server.connect()) }
        usleep(300_000)
        let before = server.cpuTicks
        usleep(1_000_000)
        let used = server.cpuTicks - before
        XCTAssertLessThan(used, 40, "\(used) ticks of CPU in one second while out of descriptors")
        held.removeAll()
        usleep(500_000)
        XCTAssertEqual(try server.connect().get("/").status, 200)
    }

    func testStopFinishesTheRequestInFlightThenExits() throws {
        let server = try TestHTTPServer()
        let idle = try server.connect()
        XCTAssertEqual(try idle.get("/").status, 200)
        let busy = try server.connect()
        busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(300_000)
        let stopping = Date()
        kill(server.pid, SIGTERM)
        // The idle connection is closed at once; the busy one gets its whole answer, marked as the last.
        XCTAssertTrue(idle.isClosedByServer(within: 3))
        let answer = try busy.readResponse()
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.text, "slow done\n")
        XCTAssertEqual(answer.header("Connection"), "close")
        XCTAssertGreaterThan(Date().timeIntervalSince(stopping), 1.0)
        XCTAssertEqual(server.process.waitForExit(timeout: 5), 0)
        XCTAssertEqual(server.process.lines.last, "stopped")
        XCTAssertThrowsError(try server.connect(), "no longer accepting")
    }

    func testAccessLogNeverContainsTheQuery() throws {
        for json in [false, true] {
            let server = try TestHTTPServer(json ? ["--json"] : [])
            let connection = try server.connect()
            XCTAssertEqual(try connection.get("/query?token=SECRET-TOKEN&x=1").status, 200)
            XCTAssertEqual(try connection.get("/nothing?token=SECRET-TOKEN").status, 404)
            XCTAssertEqual(try server.connect().get("/query?token=SECRET-TOKEN%zz").status, 400)
            XCTAssertEqual(try server.connect().get("/query?token=SECRET-TOKEN" + String(repeating: "a", count: 9000)).status, 414)
            connection.send("HEAD /big?token=SECRET-TOKEN HTTP/1.1\r\nHost: a\r\n\r\n")
            XCTAssertEqual(try connection.readResponse(bodyExpected: false).status, 200)
            _ = server.stop()
            let lines = server.accessLog
            XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
            XCTAssertFalse(lines.joined().contains("SECRET"), "a query reached the log")
            XCTAssertFalse(lines.joined().contains("?"))
            // Lines are written once each answer is sent, so requests on different connections may log in either
            // order.
            if json {
                let entries = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                let summaries = entries.map { "\($0["method"] as? String ?? "?") \($0["path"] as? String ?? "?") \($0["status"] as? Int ?? 0)" }
                XCTAssertEqual(summaries.sorted(), ["- - 414", "GET /nothing 404", "GET /query 200", "GET /query 400", "HEAD /big 200"])
                let query = try XCTUnwrap(entries.first { $0["path"] as? String == "/query" && $0["status"] as? Int == 200 })
                XCTAssertEqual(query["bytes"] as? Int, 22)
                XCTAssertNotNil(query["durationMs"] as? Double)
                XCTAssertTrue((query["time"] as? String)?.hasSuffix("Z") ?? false)
                XCTAssertEqual(entries.first { $0["method"] as? String == "HEAD" }?["bytes"] as? Int, 0)
            } else {
                let pattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z GET /query 200 \d+\.\d{3}ms 22B$"#
                XCTAssertEqual(lines.filter { $0.range(of: pattern, options: .regularExpression) != nil }.count, 1, lines.joined(separator: "\n"))
            }
        }
    }
}
