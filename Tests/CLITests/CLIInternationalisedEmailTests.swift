import Foundation
import TestSupport
import XCTest

/// Internationalised addresses through the real binary: accepted and stored in NFC, unique by their case fold,
/// found by any spelling of it, and delivered to real aiosmtpd relays with and without SMTPUTF8.
final class CLIInternationalisedEmailTests: XCTestCase {
    private var servers: [AiosmtpdServer] = []
    private let folder = TemporaryDirectory("cli-idn")

    override func tearDown() {
        servers.forEach { $0.stop() }
    }

    private func relay(smtputf8: Bool) throws -> AiosmtpdServer {
        let server = try AiosmtpdServer.start(in: folder.path(smtputf8 ? "utf8-\(servers.count)" : "ascii-\(servers.count)"),
                                              smtputf8: smtputf8)
        servers.append(server)
        return server
    }

    private func smtpDispatch(_ store: CLIStore, _ server: AiosmtpdServer) throws -> ProcessOutput {
        try store.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(server.port)])
    }

    private func outboxItems(_ store: CLIStore) throws -> [[String: Any]] {
        try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
    }

    func testAcceptedInNFCAndUniqueByTheCaseFoldOfTheWholeAddress() throws {
        let store = CLIStore()
        // Typed with a combining diaeresis (u + U+0308): stored precomposed.
        let jurgen = try store.create("ju\u{0308}rgen.groß@example.de")
        XCTAssertEqual(try store.show(jurgen)["email"] as? String, "jürgen.groß@example.de")
        XCTAssertEqual((try store.show(jurgen)["email"] as? String)?.unicodeScalars.count, 22)

        let before = try store.eventCount()
        for spelling in ["JÜRGEN.GROSS@EXAMPLE.DE", "jürgen.gross@example.de", "Jürgen.Groß@Example.DE"] {
            let duplicate = try store.run(CLIStore.createArguments(email: spelling))
            XCTAssertEqual(duplicate.status, 1, spelling)
            XCTAssertEqual(duplicate.stderr, "error: email: Email is already used\n", spelling)
        }
        XCTAssertEqual(try store.eventCount(), before, "nothing written")
        XCTAssertEqual(try store.show("JÜRGEN.GROSS@example.de")["reference"] as? String, jurgen)

        let muller = try store.create("info@müller.de")
        XCTAssertEqual(try store.show("INFO@MÜLLER.DE")["reference"] as? String, muller)
        // Dotless ı is a letter of its own: no collision with i.
        try store.create("irmak@example.tr")
        try store.create("ırmak@example.tr")

        let wide = "a@" + String(repeating: "例", count: 85) + ".de"
        let refused = try store.run(CLIStore.createArguments(email: wide))
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "error: email: Email must be at most 254 bytes in UTF-8 (RFC 5321; a non-ASCII "
            + "character takes 2–4)\n")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    func testTheFileTransportWritesWhatAnSMTPUTF8RelayGets() throws {
        let store = CLIStore()
        try store.create("jürgen.groß@example.de", ["first-name": "Jürgen", "last-name": "Groß"])
        let delivered = folder.path("mail")
        XCTAssertEqual(try store.run(["outbox", "dispatch", "--dir", delivered.path]).status, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: delivered.path).filter { $0.hasSuffix(".eml") }
        let eml = try XCTUnwrap(files.first.map { Array(try Data(contentsOf: delivered.appendingPathComponent($0))) })
        let message = ParsedMessage(eml)
        XCTAssertEqual(message.header("To"), "=?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?= <jürgen.groß@example.de>")
    }

    func testDispatchToARelayWithSMTPUTF8DeliversInUTF8() throws {
        let store = CLIStore()
        try store.create("jürgen.groß@example.de", ["first-name": "Jürgen", "last-name": "Groß"])
        try store.create("info@müller.de")
        let server = try relay(smtputf8: true)
        let dispatch = try smtpDispatch(store, server)
        XCTAssertEqual(dispatch.status, 0, dispatch.stderr)
        XCTAssertTrue(dispatch.stdout.contains("2 sent"), dispatch.stdout)
        let stored = try server.storedMessages().map(ParsedMessage.init)
        XCTAssertEqual(Set(stored.compactMap { $0.decodedHeader("X-RcptTo") }), ["jürgen.groß@example.de", "info@müller.de"])
        let jurgen = try XCTUnwrap(stored.first { $0.decodedHeader("X-RcptTo") == "jürgen.groß@example.de" })
        XCTAssertEqual(jurgen.decodedHeader("To"), "Jürgen Groß <jürgen.groß@example.de>")
        XCTAssertTrue(jurgen.decodedBody.contains("Jürgen Groß"), jurgen.decodedBody)
    }

    func testWithoutSMTPUTF8AnIDNDomainGoesAsPunycodeAndAUTF8LocalPartIsDeadWithItsReason() throws {
        let store = CLIStore()
        let jurgen = try store.create("jürgen.groß@example.de")
        try store.create("info@müller.de")
        let plain = try relay(smtputf8: false)
        let dispatch = try smtpDispatch(store, plain)
        XCTAssertEqual(dispatch.status, 0, dispatch.stderr)
        XCTAssertTrue(dispatch.stdout.contains("dead    \(jurgen) verification email to jürgen.groß@example.de after 1 "
            + "attempt: the recipient address \"jürgen.groß@example.de\" needs SMTPUTF8 (its local part is not ASCII), "
            + "which the SMTP server 127.0.0.1:\(plain.port) does not offer"), dispatch.stdout)
        let stored = try plain.storedMessages().map(ParsedMessage.init)
        XCTAssertEqual(stored.map { $0.header("X-RcptTo") }, ["info@xn--mller-kva.de"])
        XCTAssertEqual(stored.first?.header("To"), "Max Mustermann <info@xn--mller-kva.de>")

        let dead = try XCTUnwrap(try outboxItems(store).first { $0["reference"] as? String == jurgen })
        XCTAssertEqual(dead["state"] as? String, "dead")
        XCTAssertEqual(dead["deadReason"] as? String, "needs-smtputf8")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0, "the new reason survives a replay")

        // Switching to a relay with SMTPUTF8 and requeuing delivers it.
        XCTAssertEqual(try store.run(["outbox", "retry", "--dead"]).status, 0)
        let modern = try relay(smtputf8: true)
        XCTAssertTrue(try smtpDispatch(store, modern).stdout.contains("1 sent"))
        XCTAssertEqual(try modern.storedMessages().map(ParsedMessage.init).first?.decodedHeader("X-RcptTo"),
                       "jürgen.groß@example.de")
    }
}
