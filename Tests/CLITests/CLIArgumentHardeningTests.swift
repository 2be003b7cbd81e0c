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
