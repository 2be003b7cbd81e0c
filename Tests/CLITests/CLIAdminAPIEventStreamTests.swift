import Foundation
import TestSupport
import XCTest

/// `GET /api/events` with `Accept: text/event-stream` on a real `serve`: the live tail, a disconnect while
/// other processes keep writing, and a resume with `Last-Event-ID` that loses and repeats nothing.
final class CLIAdminAPIEventStreamTests: XCTestCase {
    /// Reads `count` events from the stream (after `lastId` when given) and prints their ids, then hangs up.
    static let reader = """
        import http.client, sys
        port, key, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        headers = {"Authorization": "Bearer " + key, "Accept": "text/event-stream"}
        if len(sys.argv) > 4: headers["Last-Event-ID"] = sys.argv[4]
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        c.request("GET", "/api/events", headers=headers)
        r = c.getresponse()
        print("status", r.status, r.getheader("Content-Type"))
        seen = 0
        while seen < count:
            line = r.fp.readline().decode()
            if not line: break
            if line.startswith("id: "):
                print(line.strip()[4:]); seen += 1
            elif line.startswith("data: ") and '"actor"' not in line:
                print("bad data", line)
        c.close()
        """

    func read(_ server: ServeProcess, key: String, count: Int, after lastId: String? = nil) throws -> [String] {
        let output = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.reader, String(server.port), key, String(count)] + (lastId.map { [$0] } ?? []), timeout: 30)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "status 200 text/event-stream; charset=utf-8", output.stdout)
        XCTAssertFalse(output.stdout.contains("bad data"), output.stdout)
        return Array(lines.dropFirst())
    }

    func testTheTailResumesAfterADisconnectWithoutLossOrDuplicates() throws {
        let store = CLIStore()
        let created = try store.run(["api-key", "create", "tail", "--role", "viewer", "--json"])
        let key = try XCTUnwrap(try jsonObject(created.stdout)["key"] as? String)
        for index in 0..<3 { XCTAssertEqual(try store.run(CLIStore.createArguments(email: "first\(index)@example.com")).status, 0) }
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        // 1 key event + 3 × 2 customer events (plus the base-url setting the harness wrote).
        let head = try store.eventCount()
        let first = try read(server, key: key, count: head)
        XCTAssertEqual(first, (1...head).map(String.init))

        // While nobody listens, another process writes; the resumed stream starts right after the last id seen.
        for index in 0..<2 { XCTAssertEqual(try store.run(CLIStore.createArguments(email: "later\(index)@example.com")).status, 0) }
        let total = try store.eventCount()
        // And a write that arrives while the resumed stream is open is delivered live.
        let writer = Thread {
            usleep(500_000)
            _ = try? store.run(CLIStore.createArguments(email: "live@example.com"))
        }
        writer.start()
        let resumed = try read(server, key: key, count: total - head + 2, after: first.last)
        XCTAssertEqual(resumed, ((head + 1)...(total + 2)).map(String.init), "no loss, no duplicate, live events too")

        let anonymous = try HTTPClient.send(HTTPCall(path: "/api/events", headers: ["Accept": "text/event-stream"]), port: server.port)
        XCTAssertEqual(anonymous.status, 401)
        let badId = try HTTPClient.send(HTTPCall(path: "/api/events", headers: ["Accept": "text/event-stream", "Authorization": "Bearer \(key)", "Last-Event-ID": "x"]), port: server.port)
        XCTAssertEqual(badId.status, 422)
    }
}
