import Foundation
import TestSupport
import XCTest

/// Off-the-shelf clients against the server process: what browsers' and scripts' HTTP stacks actually send.
final class HTTPRealClientTests: XCTestCase {
    /// Python's http.client on one kept-alive connection: GET, HEAD, a form POST, a 404, then GET again.
    func testPythonHTTPClientReusesOneConnection() throws {
        let server = try TestHTTPServer()
        let script = """
            import http.client, sys, urllib.parse
            connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
            def ask(method, path, body=None, headers={}):
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                print(method, path, response.status, len(data), response.getheader("Connection"), connection.sock.getsockname()[1])
                return data
            ask("GET", "/")
            ask("HEAD", "/big")
            body = urllib.parse.urlencode({"name": "Jürgen Groß", "note": "a&b=c"})
            print(ask("POST", "/form", body, {"Content-Type": "application/x-www-form-urlencoded"}).decode())
            ask("GET", "/missing")
            ask("GET", "/")
            """
        let output = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, String(server.port)], timeout: 20)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, output.stdout)
        let summaries = lines.filter { $0.hasPrefix("GET") || $0.hasPrefix("HEAD") || $0.hasPrefix("POST") }
        XCTAssertEqual(summaries.map { $0.split(separator: " ").prefix(4).joined(separator: " ") }, [
            "GET / 200 6", "HEAD /big 200 0", "POST /form 200 29", "GET /missing 404 45", "GET / 200 6",
        ])
        XCTAssertEqual(Set(summaries.map { $0.split(separator: " ").last! }).count, 1, "one local port: one connection")
        XCTAssertTrue(lines.contains("name=Jürgen Groß"))
        XCTAssertTrue(lines.contains("note=a&b=c"))
    }

    /// curl posts bodies over 1 KiB with `Expect: 100-continue` and waits for the interim answer.
    func testCurlLargeFormPostWithExpectContinue() throws {
        let server = try TestHTTPServer()
        let value = String(repeating: "z", count: 4000)
        let output = try runProcess(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-sS", "--max-time", "10", "--expect100-timeout", "6", "-w", "\\n%{http_code} %{time_total}",
             "--data", "big=\(value)", "http://127.0.0.1:\(server.port)/form"],
            timeout: 20)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init), "big=\(value)")
        let timing = lines.last?.split(separator: " ") ?? []
        XCTAssertEqual(timing.first, "200")
        XCTAssertLessThan(Double(timing.last ?? "9") ?? 9, 4.0, "no waiting for the Expect timeout")
    }
}
