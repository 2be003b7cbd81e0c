@testable import HTTPServer
import XCTest

/// The pure parts, without sockets: routing decisions, form decoding, origins.
final class RoutingAndParsingTests: XCTestCase {
    func testRouterResolvesExactPathsAndListsAllowedMethods() {
        var router = Router()
        router.get("/a") { _ in .text("a") }
        router.post("/a", bodyLimit: 10) { _ in .text("post a") }
        router.add(.delete, "/b") { _ in .text("b") }
        guard case .route(let route) = router.resolve(.post, "/a") else { return XCTFail("POST /a") }
        XCTAssertEqual(route.bodyLimit, 10)
        guard case .route = router.resolve(.head, "/a") else { return XCTFail("HEAD follows GET") }
        guard case .notFound = router.resolve(.get, "/a/") else { return XCTFail("exact paths only") }
        guard case .methodNotAllowed(let allowed) = router.resolve(.put, "/a") else { return XCTFail("PUT /a") }
        XCTAssertEqual(allowed, [.get, .head, .post])
        guard case .methodNotAllowed(let onlyDelete) = router.resolve(.head, "/b") else { return XCTFail("HEAD /b") }
        XCTAssertEqual(onlyDelete, [.delete])
    }

    func testPrefixRoutesTakeWhatTheExactOnesDoNotAndIncludedRouteSetsJoin() throws {
        var api = Router()
        api.get("/api/customers") { _ in .text("list") }
        api.add(.get, pathsUnder: "/api/customers/") { request in .text("one " + request.path) }
        api.add(.patch, pathsUnder: "/api/customers/", bodyLimit: 99) { _ in .text("edit") }
        api.add(.get, pathsUnder: "/api/customers/special/") { _ in .text("longest") }
        var router = Router()
        router.get("/register/confirm") { _ in .text("confirm") }
        router.include(api)
        func body(_ method: HTTPMethod, _ path: String) throws -> String? {
            guard case .route(let route) = router.resolve(method, path) else { return nil }
            return String(decoding: try route.handler(HTTPRequest(method: method, path: path)).body, as: UTF8.self)
        }
        XCTAssertEqual(try body(.get, "/register/confirm"), "confirm")
        XCTAssertEqual(try body(.get, "/api/customers"), "list", "the exact route first")
        XCTAssertEqual(try body(.get, "/api/customers/DE--1/history"), "one /api/customers/DE--1/history")
        XCTAssertEqual(try body(.get, "/api/customers/special/x"), "longest", "the longest prefix wins")
        XCTAssertEqual(try body(.head, "/api/customers/DE--1"), "one /api/customers/DE--1")
        guard case .notFound = router.resolve(.get, "/api/customersX") else { return XCTFail("not under the prefix") }
        guard case .methodNotAllowed(let allowed) = router.resolve(.delete, "/api/customers/DE--1") else { return XCTFail("DELETE") }
        XCTAssertEqual(allowed.map(\.rawValue), ["GET", "HEAD", "PATCH"])
        guard case .route(let edit) = router.resolve(.patch, "/api/customers/DE--1") else { return XCTFail("PATCH") }
        XCTAssertEqual(edit.bodyLimit, 99)
    }

    func testFormDecoding() throws {
        let form = try URLEncodedForm(parsing: Array("a=1&a=2&b=%E2%9C%93&c&=e&f=x+y%2B".utf8)[...], what: "form")
        XCTAssertEqual(form.values("a"), ["1", "2"])
        XCTAssertEqual(form["b"], "✓")
        XCTAssertEqual(form["c"], "")
        XCTAssertEqual(form[""], "e")
        XCTAssertEqual(form["f"], "x y+")
        XCTAssertNil(form["missing"])
        for bad in ["a=%", "a=%2", "a=%G1", "a=%C3%28", "%FF=1"] {
            XCTAssertThrowsError(try URLEncodedForm(parsing: Array(bad.utf8)[...], what: "form"), bad) { error in
                XCTAssertEqual((error as? HTTPError)?.status, .badRequest, bad)
            }
        }
    }

    func testOriginOfBaseURL() {
        XCTAssertEqual(SameOrigin.origin(ofBaseURL: "http://127.0.0.1:8080"), "http://127.0.0.1:8080")
        XCTAssertEqual(SameOrigin.origin(ofBaseURL: "https://Shop.Example/account/?x"), "https://shop.example")
        XCTAssertEqual(SameOrigin.origin(ofBaseURL: "https://shop.example:443/"), "https://shop.example")
        XCTAssertEqual(SameOrigin.origin(ofBaseURL: "http://shop.example:80"), "http://shop.example")
        XCTAssertNil(SameOrigin.origin(ofBaseURL: "ftp://shop.example"))
        XCTAssertNil(SameOrigin.origin(ofBaseURL: "shop.example"))
        XCTAssertNil(SameOrigin.origin(ofBaseURL: "http://user@shop.example"))
    }

    func testResponseFieldsWithLineBreaksAreUnsafe() {
        XCTAssertTrue(ResponseSerializer.isSafe(["Location": "/done?x=1"]))
        XCTAssertFalse(ResponseSerializer.isSafe(["Location": "/done\r\nSet-Cookie: a=b"]))
        XCTAssertFalse(ResponseSerializer.isSafe(["Bad Name": "x"]))
    }

    /// The head is status line, the handler's fields, the defaults it lacks, the framing, one blank line; a
    /// HEAD answer announces the body's length without sending it.
    func testAnAnswerIsSerializedFieldByFieldWithItsBody() {
        var response = HTTPResponse(status: .created, headers: ["Location": "/api/customers/C1", "Content-Type": "application/json"], body: Array(#"{"a":1}"#.utf8))
        response.headers.set("Cache-Control", "no-store")
        let defaults: HTTPHeaders = ["X-Content-Type-Options": "nosniff", "Cache-Control": "private", "Date": "Thu, 01 Jan 1970 00:00:00 GMT"]
        let bytes = ResponseSerializer.serialize(response, includeBody: true, keepAlive: true, version: .http1_1, defaults: defaults)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "HTTP/1.1 201 Created\r\nLocation: /api/customers/C1\r\nContent-Type: application/json\r\n"
            + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        let head = ResponseSerializer.serialize(response, includeBody: false, keepAlive: false, version: .http1_1, defaults: [:])
        let text = String(decoding: head, as: UTF8.self)
        XCTAssertTrue(text.contains("\r\nContent-Length: 7\r\n") && text.hasSuffix("\r\nConnection: close\r\n\r\n"), text)
        XCTAssertTrue(text.contains("\r\nDate: "), "a Date field is added when none is set")
    }

    func testHTTPDatesAreIMFFixdates() {
        XCTAssertEqual(HTTPDate.format(0), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(1_796_083_199), "Mon, 30 Nov 2026 23:59:59 GMT")
        XCTAssertTrue(HTTPDate.now().hasSuffix(" GMT"))
    }

    func testAccessLogLineFormats() {
        let entry = AccessLogEntry(
            time: Date(timeIntervalSince1970: 1_764_619_200.25), method: "GET", path: "/a\"b\\c", status: 200,
            duration: .microseconds(1500), bytes: 12)
        XCTAssertEqual(AccessLog(format: .text) { _ in }.line(for: entry), "2025-12-01T20:00:00.250Z GET /a\"b\\c 200 1.500ms 12B")
        let json = AccessLog(format: .jsonLines) { _ in }.line(for: entry)
        XCTAssertEqual(json, #"{"time":"2025-12-01T20:00:00.250Z","method":"GET","path":"/a\"b\\c","status":200,"durationMs":1.500,"bytes":12}"#)
    }
}
