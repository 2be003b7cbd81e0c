import HTTPServer
import TestSupport
import XCTest

/// The server as a library, in this process: how `serve` will embed it.
final class HTTPServerAPITests: XCTestCase {
    func testStartServeStopInProcess() throws {
        let lines = LogLines()
        var router = Router()
        router.get("/ping") { request in .text("pong from \(request.remoteAddress)\n") }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, accessLog: AccessLog(format: .text) { lines.append($0) }),
            router: router)
        let port = try server.start()
        XCTAssertEqual(server.port, port)
        let connection = try RawHTTPConnection(port: port)
        XCTAssertEqual(try connection.get("/ping").text, "pong from 127.0.0.1\n")
        XCTAssertEqual(server.connectionCount, 1)
        server.stop()
        server.stop()  // idempotent
        server.waitUntilStopped()
        XCTAssertEqual(server.connectionCount, 0)
        XCTAssertTrue(connection.isClosedByServer(within: 3))
        XCTAssertEqual(lines.values.count, 1)
        XCTAssertTrue(lines.values[0].contains(" GET /ping 200 "))
    }

    func testStopBeforeStartEndsAtOnce() throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), router: Router())
        server.stop()
        try server.start()
        server.waitUntilStopped()
    }

    func testAddressInUseIsAClearError() throws {
        let first = HTTPServer(configuration: HTTPServerConfiguration(port: 0), router: Router())
        let port = try first.start()
        defer {
            first.stop()
            first.waitUntilStopped()
        }
        let second = HTTPServer(configuration: HTTPServerConfiguration(port: port), router: Router())
        XCTAssertThrowsError(try second.start()) { error in
            XCTAssertTrue("\(error)".contains("another process listens there"), "\(error)")
        }
        XCTAssertThrowsError(try HTTPServer(configuration: HTTPServerConfiguration(host: "localhost"), router: Router()).start()) { error in
            XCTAssertTrue("\(error)".contains("not an IPv4 address"), "\(error)")
        }
    }
}

private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var values: [String] { lock.withLock { stored } }
}
