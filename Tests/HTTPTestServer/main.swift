import Foundation
import HTTPServer

// A few routes on the real server for HTTPServerTests, which run this as a child process on a free loopback port:
//   http-test-server [--max-connections N] [--header-timeout S] [--idle-timeout S] [--body-timeout S]
//                    [--access-log FILE] [--json]
// Prints "listening PORT" once it accepts, "stopped" after SIGTERM/SIGINT drained it.

let (options, flags) = {
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        if argument == "--json" { flags.insert(argument) } else if let value = arguments.popFirst() { options[argument] = value }
    }
    return (options, flags)
}()
let seconds = { @Sendable (name: String, fallback: Double) in options[name].flatMap(Double.init) ?? fallback }

let accessLog: AccessLog? = options["--access-log"].map { path in
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = FileHandle(forWritingAtPath: path)!
    let lock = NSLock()
    return AccessLog(format: flags.contains("--json") ? .jsonLines : .text) { line in
        lock.withLock { handle.write(Data((line + "\n").utf8)) }
    }
}

struct Unexpected: Error {}

/// A line on stdout, unbuffered, so the test sees it at once.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

var router = Router()
router.get("/") { _ in .text("hello\n") }
router.get("/query") { request in
    .text(request.query.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "\n"))
}
router.get("/path/ä b") { request in .text("decoded \(request.path)\n") }
router.post("/form") { request in
    let form = try request.form()
    return .text(form.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "\n"))
}
router.post("/small", bodyLimit: 16) { request in .text("got \(request.body.count)\n") }
router.get("/slow") { request in
    usleep(UInt32(request.query["ms"].flatMap(Int.init) ?? 1000) * 1000)
    return .text("slow done\n")
}
router.get("/big") { _ in HTTPResponse(body: [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)) }
router.get("/throws") { _ in throw Unexpected() }
router.get("/teapot") { _ in throw HTTPError(HTTPStatus(418, "I'm a teapot"), "short and stout") }
router.get("/header-injection") { _ in
    HTTPResponse(headers: ["X-Echo": "a\r\nSet-Cookie: evil=1"], body: [])
}
router.get("/own-cache-control") { _ in HTTPResponse(headers: ["Cache-Control": "max-age=60"], body: Array("cached\n".utf8)) }
router.post("/same-origin") { request in
    let port = request.headers["Host"]?.split(separator: ":").last.map(String.init) ?? ""
    return SameOrigin.isAllowed(request, allowedOrigins: ["http://127.0.0.1:\(port)"])
        ? .text("allowed\n") : .text("refused\n", status: .forbidden)
}
router.add(.delete, "/form") { _ in .text("deleted\n") }

let server = HTTPServer(
    configuration: HTTPServerConfiguration(
        port: 0, maxConnections: options["--max-connections"].flatMap(Int.init) ?? 64,
        headerReadTimeout: seconds("--header-timeout", 10.0), idleTimeout: seconds("--idle-timeout", 5),
        bodyReadTimeout: seconds("--body-timeout", 10), accessLog: accessLog),
    router: router)
let signals = StopSignals.install(stopping: server)
do {
    let port = try server.start()
    say("listening \(port)")
    server.waitUntilStopped()
    say("stopped")
} catch {
    FileHandle.standardError.write(Data("http-test-server: \(error)\n".utf8))
    exit(3)
}
withExtendedLifetime(signals) {}
