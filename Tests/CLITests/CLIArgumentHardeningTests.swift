import Foundation
import TestSupport
import XCTest

/// Arguments that are refused before anything runs: strict times, the actor, raw argv bytes.
final class CLIArgumentHardeningTests: XCTestCase {
    func testTimeArgumentsAcceptOnlyTheISOFormsAndNameTheArgument() throws {
        let store = CLIStore()
        try store.create("time@example.com")
        let bad = ["2026-12-01 18:35", "2026-12-01T25:00:00Z", "2026-12-01junk", "2026-02-30", "99999-01-01"]
        for text in bad {
            for (arguments, name) in [(["show", "DE--1", "--as-of", text], "--as-of"), (["audit", "--since", text], "--since"),
                                      (["audit", "--until", text], "--until")] {
                let output = try store.run(arguments)
                XCTAssertEqual(output.status, 2, "\(arguments): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("\(name) must be an ISO 8601 time"), "\(arguments) names \(name): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("YYYY-MM-DDTHH:MM[:SS[.ffffff]]"), "\(arguments) lists the forms: \(output.stderr)")
            }
        }
        for good in ["2026-12-01", "2026-12-01T18:35Z", "2026-12-01T18:35:00.5Z", "2026-12-01T18:35:00+02:00"] {
            XCTAssertEqual(try store.run(["audit", "--since", good]).status, 0, good)
        }
    }
}

final class CLIActorTests: XCTestCase {
    func testActorMustBeShortPrintableText() throws {
        let store = CLIStore()
        let bad = ["", "   ", "evil\nDE--1  2026-01-01  CustomerCreated", "red\u{1B}[31m", "rtl\u{202E}gnp", String(repeating: "a", count: 101),
                   String(repeating: "x", count: 131_000)]
        for actor in bad {
            let output = try store.run(["--actor", actor] + CLIStore.createArguments(email: "actor@example.com"))
            XCTAssertEqual(output.status, 2, "\(actor.prefix(20).debugDescription): \(output.stderr.prefix(200))")
            XCTAssertTrue(output.stderr.hasPrefix("error: --actor must"), String(output.stderr.prefix(200)))
        }
        XCTAssertFalse(store.exists, "no refused actor created the store")
        try store.create("actor@example.com", global: ["--actor", "Zoë Back-Office (shift 2)"])
    }

    func testEveryEventRecordsTheOSUserAndHistoryShowsItBesideAClaimedActor() throws {
        let store = CLIStore()
        let osUser = try XCTUnwrap(try runProcess(URL(fileURLWithPath: "/usr/bin/id"), ["-un"]).stdout.split(separator: "\n").first.map(String.init))
        try store.create("claimed@example.com", global: ["--actor", "alice"])
        let events = try store.events()
        XCTAssertFalse(events.isEmpty)
        for event in events {
            XCTAssertEqual(event["actor"] as? String, "alice")
            XCTAssertEqual(event["osUser"] as? String, osUser, "the account that ran the command is kept: \(event)")
        }
        let history = try store.run(["history", "DE--1"])
        XCTAssertTrue(history.stdout.contains("by alice (OS user \(osUser))"), history.stdout)
        let log = try store.run(["events"])
        XCTAssertTrue(log.stdout.contains("\talice (OS user \(osUser))\t"), log.stdout)
        // The same name as the OS user is not repeated.
        try store.create("same@example.com", global: ["--actor", osUser])
        XCTAssertFalse(try store.run(["history", "DE--2"]).stdout.contains("(OS user"), "no repetition")
    }

    func testHistoryAndEventsEscapeControlCharactersFromStoredData() throws {
        let store = CLIStore()
        // The default actor comes from $USER unchecked, so stored data can hold an escape sequence.
        let created = try store.run(CLIStore.createArguments(email: "esc@example.com"), environment: ["USER": "mallory\u{1B}[2J\u{202E}"])
        XCTAssertEqual(created.status, 0, created.stderr)
        for arguments in [["history", "DE--1"], ["events"], ["audit"]] {
            let output = try store.run(arguments)
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertFalse(output.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(arguments): \(output.stdout.debugDescription)")
            XCTAssertTrue(output.stdout.contains("mallory\\u{1B}[2J\\u{202E}"), "\(arguments): \(output.stdout)")
        }
        // JSON carries the stored text as it is (JSON escapes it).
        XCTAssertEqual(try store.events().first?["actor"] as? String, "mallory\u{1B}[2J\u{202E}")
    }
}

final class CLISettingLengthTests: XCTestCase {
    func testAnOverlongSettingIsRefusedAndNothingIsWritten() throws {
        let store = CLIStore()
        try store.create("len@example.com")
        let before = try store.eventCount()
        let output = try store.run(["settings", "base-url", "https://shop.example.com/" + String(repeating: "p", count: 131_000)])
        XCTAssertEqual(output.status, 1, String(output.stderr.prefix(300)))
        XCTAssertTrue(output.stderr.contains("base-url must be at most 2000 characters"), String(output.stderr.prefix(300)))
        XCTAssertLessThan(output.stderr.utf8.count, 2_000, "the refusal does not echo the value")
        XCTAssertEqual(try store.eventCount(), before, "nothing written")
        XCTAssertEqual(try store.settings()["base-url"], "http://localhost:8080")
    }
}

final class CLIRawArgumentTests: XCTestCase {
    /// Runs the binary from a shell so that an argument can hold bytes that are not UTF-8 (`\377`).
    private func runWithRawBytes(_ script: String, in folder: TemporaryDirectory, environment: [String: String] = [:]) throws -> ProcessOutput {
        try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$1\" && " + script, "sh", folder.url.path, customerES.path],
                       environment: environment)
    }

    func testArgumentsThatAreNotUTF8AreUsageErrors() throws {
        let folder = TemporaryDirectory("rawargs")
        let create = "\"$2\" create --email a@example.com --salutation Mr --first-name \"$(printf 'M\\377x')\" --last-name B"
        let badName = try runWithRawBytes(create, in: folder)
        XCTAssertEqual(badName.status, 2, badName.stderr)
        XCTAssertTrue(badName.stderr.contains("argument 7 is not valid UTF-8"), badName.stderr)
        let badStore = try runWithRawBytes("\"$2\" --store \"$(printf 'st\\377ore')\" create --email a@example.com --salutation Mr --first-name A --last-name B --json", in: folder)
        XCTAssertEqual(badStore.status, 2, badStore.stderr)
        XCTAssertEqual(try CLIErrorJSON(badStore.stderr).code, "usage")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [], "no store folder was created")
    }

    func testAnEmptyStoreIsAUsageError() throws {
        let folder = TemporaryDirectory("emptystore")
        let emptyOption = try runWithRawBytes("\"$2\" --store '' create --email a@example.com --salutation Mr --first-name A --last-name B", in: folder)
        XCTAssertEqual(emptyOption.status, 2, emptyOption.stderr)
        XCTAssertTrue(emptyOption.stderr.contains("--store must not be empty"), emptyOption.stderr)
        let emptyVariable = try runWithRawBytes("\"$2\" list", in: folder, environment: ["CUSTOMER_ES_STORE": ""])
        XCTAssertEqual(emptyVariable.status, 2, emptyVariable.stderr)
        XCTAssertTrue(emptyVariable.stderr.contains("CUSTOMER_ES_STORE is set but empty"), emptyVariable.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [], "nothing was created in the current folder")
    }
}

final class CLIQueuedEmailTests: XCTestCase {
    func testCommandsSayTheirEmailsAreQueuedNotSent() throws {
        let store = CLIStore()
        let created = try store.run(CLIStore.createArguments(email: "q@example.com", flags: ["send-password-token"]))
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("2 emails wait in the outbox for `customer-es outbox dispatch` (or `serve`)."), created.stdout)
        let token = try store.run(["send-password-token", "DE--1"])
        XCTAssertTrue(token.stdout.hasPrefix("Password token was queued.\n"), token.stdout)
        XCTAssertFalse(token.stdout.contains("sent"), token.stdout)
        XCTAssertTrue(token.stdout.contains("The email waits in the outbox for `customer-es outbox dispatch`"), token.stdout)
        let json = try jsonObject(try store.run(["resend-verification", "DE--1", "--json"]).stdout)
        XCTAssertEqual(json["queuedEmails"] as? Int, 1)
        XCTAssertEqual(json["message"] as? String, "A new verification email was queued.")
    }
}

final class CLIErrorOnceTests: XCTestCase {
    func testEveryProblemIsPrintedOnceOnItsOwnLine() throws {
        let store = CLIStore()
        try store.create("once@example.com")
        let duplicate = try store.run(CLIStore.createArguments(email: "once@example.com"))
        XCTAssertEqual(duplicate.status, 1)
        XCTAssertEqual(duplicate.stderr, "error: email: Email is already used\n")
        let invalid = try store.run(CLIStore.createArguments(email: "bad", ["salutation": "X"]))
        XCTAssertEqual(invalid.stderr.split(separator: "\n").map(String.init), [
            "error: email: Email is not a valid address",
            "error: salutation: Salutation must be one of: Mr, Mrs, Ms, Dr, n/a",
        ])
        let setting = try store.run(["settings", "base-url", "ftp://x"])
        XCTAssertEqual(setting.stderr.split(separator: "\n").count, 1, setting.stderr)
        XCTAssertTrue(setting.stderr.hasPrefix("error: base-url: Invalid value 'ftp://x'"), setting.stderr)
        let unknown = try store.run(["show", "DE--9"])
        XCTAssertEqual(unknown.stderr, "error: customer: No customer has the reference or email DE--9\n")
        // JSON keeps the message and every problem.
        let json = try CLIErrorJSON(try store.run(CLIStore.createArguments(email: "once@example.com") + ["--json"]).stderr)
        XCTAssertEqual(json.fields, ["email"])
    }
}

final class CLIVerifyEmailInputTests: XCTestCase {
    func testVerifyEmailTakesTheLinkTheTokenOrStandardInput() throws {
        let store = CLIStore()
        for email in ["link@example.com", "stdin@example.com", "pw@example.com"] { try store.create(email, flags: ["send-password-token"]) }
        let link = try XCTUnwrap(try store.pendingLinks("DE--1").first { $0.kind == "verification" }?.link)
        XCTAssertTrue(link.contains("/register/confirm?token="), link)
        let byLink = try store.run(["verify-email", "--token", link])
        XCTAssertEqual(byLink.status, 0, byLink.stderr)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified")

        let token = try store.token("DE--2")
        let byStdin = try runProcess(customerES, ["--store", store.path, "verify-email", "--token", "-"], stdin: token + "\n")
        XCTAssertEqual(byStdin.status, 0, byStdin.stderr)
        XCTAssertEqual(try store.show("DE--2")["status"] as? String, "Verified")
        let empty = try runProcess(customerES, ["--store", store.path, "verify-email", "--token", "-"], stdin: "")
        XCTAssertEqual(empty.status, 2, empty.stderr)

        let passwordToken = try store.token("DE--3", kind: "password-set")
        let before = try store.eventCount()
        let wrong = try store.run(["verify-email", "--token", passwordToken, "--json"])
        XCTAssertEqual(wrong.status, 1, wrong.stderr)
        let error = try CLIErrorJSON(wrong.stderr)
        XCTAssertEqual(error.code, "wrongTokenKind")
        XCTAssertTrue(error.message.contains("password-set token, not a verification token"), error.message)
        XCTAssertEqual(try store.eventCount(), before, "nothing written")
    }
}

final class CLIHelpTests: XCTestCase {
    func testRequiredOptionsAreNotInBracketsAndGroupsHaveTheirOwnHelp() throws {
        let store = CLIStore()
        let create = try store.run(["create", "--help"])
        XCTAssertTrue(create.stdout.contains("create --email EMAIL --salutation S --first-name NAME --last-name NAME [--gender G]"), create.stdout)
        XCTAssertTrue(try store.run(["verify-email", "--help"]).stdout.contains("verify-email --token TOKEN"))
        let outbox = try store.run(["outbox", "--help"])
        XCTAssertEqual(outbox.status, 0)
        XCTAssertTrue(outbox.stdout.contains("outbox dispatch") && outbox.stdout.contains("outbox list"), outbox.stdout)
        XCTAssertFalse(outbox.stdout.contains("create"), "the group's help, not the overview: \(outbox.stdout)")
        let settings = try store.run(["settings", "--help"])
        for key in ["reference-prefix", "base-url", "verification-token-ttl", "locales"] {
            XCTAssertTrue(settings.stdout.contains("  \(key) "), "settings --help lists \(key): \(settings.stdout)")
        }
    }

    func testNoCommandAndUnknownCommandsAreUsageErrors() throws {
        let store = CLIStore()
        let nothing = try store.run([])
        XCTAssertEqual(nothing.status, 2)
        XCTAssertTrue(nothing.stderr.contains("Usage: customer-es"), nothing.stderr)
        let edit = try store.run(["edit", "DE--1"])
        XCTAssertEqual(edit.status, 2)
        XCTAssertTrue(edit.stderr.hasPrefix("error: unknown command \"edit\";"), edit.stderr)
        let outbox = try store.run(["outbox"])
        XCTAssertEqual(outbox.status, 2)
        XCTAssertTrue(outbox.stderr.contains("outbox needs a command: one of list, dispatch, retry"), outbox.stderr)
    }
}
