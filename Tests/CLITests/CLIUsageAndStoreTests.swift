import Foundation
import TestSupport
import XCTest

/// Usage errors, help, version, choosing the store, exit codes, `show` and `show --as-of`.
final class CLIUsageAndStoreTests: XCTestCase {
    static let commands: [(name: String, mentions: [String])] = [
        ("create", ["--email", "--salutation", "--first-name", "--last-name", "--gender", "--date-of-birth", "--phone",
                    "--company", "--locale", "--send-password-token"]),
        ("send-password-token", ["CUSTOMER"]),
        ("verify-email", ["--token"]),
        ("resend-verification", ["CUSTOMER"]),
        ("show", ["CUSTOMER", "--as-of"]),
        ("settings", ["KEY", "VALUE"]),
    ]

    func testUsageErrorsExit2WithTheCommandsUsage() throws {
        let store = CLIStore()
        try store.create("existing@example.com")
        let valid = CLIStore.createArguments(email: "new@example.com")
        let cases: [(label: String, arguments: [String], usageOf: String?)] = [
            ("unknown option", valid + ["--nickname", "Maxi"], "create"),
            ("unknown short option", valid + ["-x"], "create"),
            ("missing value at the end", ["create", "--email"], "create"),
            ("missing value of --as-of", ["show", "DE--1", "--as-of"], "show"),
            ("repeated option", valid + ["--email", "again@example.com"], "create"),
            ("repeated global option", valid + ["--actor", "a", "--actor", "b"], "create"),
            ("repeated flag", valid + ["--send-password-token", "--send-password-token"], "create"),
            ("flag with a value", valid + ["--send-password-token=yes"], "create"),
            ("stray argument", valid + ["extra"], "create"),
            ("stray argument after CUSTOMER", ["show", "DE--1", "DE--2"], "show"),
            ("missing CUSTOMER", ["show"], "show"),
            ("missing CUSTOMER of resend", ["resend-verification"], "resend-verification"),
            ("missing --token", ["verify-email"], "verify-email"),
            ("settings with one argument", ["settings", "reference-prefix"], "settings"),
            ("settings with three arguments", ["settings", "reference-prefix", "XY", "Z"], "settings"),
            ("unparseable --as-of", ["show", "DE--1", "--as-of", "yesterday"], "show"),
            ("unknown command", ["frobnicate"], nil),
            ("unknown command with options", ["delete", "--email", "existing@example.com"], nil),
        ]
        for testCase in cases {
            let output = try store.run(testCase.arguments)
            XCTAssertEqual(output.status, 2, "\(testCase.label): exit 2 expected: \(output.stdout) \(output.stderr)")
            XCTAssertEqual(output.stdout, "", "\(testCase.label): nothing on stdout")
            XCTAssertTrue(output.stderr.hasPrefix("error: "), "\(testCase.label): \(output.stderr)")
            if let command = testCase.usageOf {
                XCTAssertTrue(output.stderr.contains("Usage: customer-es [--store DIR] \(command)"),
                              "\(testCase.label): the usage of \(command) is shown: \(output.stderr)")
            } else {
                XCTAssertTrue(output.stderr.contains("--help"), "\(testCase.label): points at --help: \(output.stderr)")
            }
        }
        // The unknown option and the repeated option name what is wrong.
        XCTAssertTrue(try store.run(valid + ["--nickname", "Maxi"]).stderr.contains("--nickname"))
        XCTAssertTrue(try store.run(valid + ["--email", "x@example.com"]).stderr.contains("--email"))
        XCTAssertTrue(try store.run(["frobnicate"]).stderr.contains("frobnicate"))
        // No usage error wrote anything (several of them carried a complete, valid create).
        XCTAssertEqual(try store.create("new@example.com"), "DE--2")
    }

    func testHelpAndVersion() throws {
        let store = CLIStore()
        let overview = try store.run(["--help"])
        XCTAssertEqual(overview.status, 0, overview.stderr)
        for command in Self.commands {
            XCTAssertTrue(overview.stdout.contains(command.name), "the overview lists \(command.name)")
        }
        for command in Self.commands {
            for arguments in [[command.name, "--help"], ["--help", command.name], [command.name, "-h"]] {
                let help = try store.run(arguments)
                XCTAssertEqual(help.status, 0, "\(arguments): \(help.stderr)")
                XCTAssertTrue(help.stdout.contains("Usage: customer-es [--store DIR] \(command.name)"), "\(arguments): \(help.stdout)")
                for mention in command.mentions {
                    XCTAssertTrue(help.stdout.contains(mention), "\(command.name) --help mentions \(mention): \(help.stdout)")
                }
            }
        }
        // Help even with otherwise incomplete arguments.
        XCTAssertEqual(try store.run(["verify-email", "--help"]).status, 0)

        let version = try store.run(["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.hasPrefix("customer-es "), version.stdout)
        XCTAssertNotNil(version.stdout.range(of: #"\d+\.\d+"#, options: .regularExpression), version.stdout)
        XCTAssertFalse(store.exists, "--help and --version do not create a store")
    }

    func testStoreOptionAnywhereAndTheEnvironmentVariable() throws {
        let folder = TemporaryDirectory("cli-env")
        let storeA = folder.path("a").path
        let storeB = folder.path("b").path

        let before = try runProcess(customerES, ["--store", storeA] + CLIStore.createArguments(email: "one@example.com"))
        XCTAssertEqual(CLIStore.reference(in: before.stdout), "DE--1", before.stderr)
        let after = try runProcess(customerES, CLIStore.createArguments(email: "two@example.com") + ["--store", storeA])
        XCTAssertEqual(CLIStore.reference(in: after.stdout), "DE--2", "--store after the command: \(after.stderr)")
        let inline = try runProcess(customerES, ["create", "--store=\(storeA)"] + Array(CLIStore.createArguments(email: "three@example.com").dropFirst()))
        XCTAssertEqual(CLIStore.reference(in: inline.stdout), "DE--3", "--store=DIR: \(inline.stderr)")

        // CUSTOMER_ES_STORE when there is no --store.
        let viaEnvironment = try runProcess(customerES, CLIStore.createArguments(email: "env@example.com"), environment: ["CUSTOMER_ES_STORE": storeB])
        XCTAssertEqual(CLIStore.reference(in: viaEnvironment.stdout), "DE--1", viaEnvironment.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: storeB + "/data.mdb"), "the store was created where the variable points")
        let showViaEnvironment = try runProcess(customerES, ["show", "env@example.com"], environment: ["CUSTOMER_ES_STORE": storeB])
        XCTAssertEqual(showViaEnvironment.status, 0, showViaEnvironment.stderr)
        XCTAssertTrue(showViaEnvironment.stdout.contains("DE--1"))
        // --store wins over the variable.
        let override = try runProcess(customerES, ["--store", storeA, "show", "DE--3", "--json"], environment: ["CUSTOMER_ES_STORE": storeB])
        XCTAssertEqual(override.status, 0, override.stderr)
        XCTAssertEqual(try jsonObject(override.stdout)["email"] as? String, "three@example.com")
        let notInB = try runProcess(customerES, ["show", "one@example.com"], environment: ["CUSTOMER_ES_STORE": storeB])
        XCTAssertEqual(notInB.status, 1, "store B holds only its own customer")
    }

    func testReadOnAMissingStoreExits3WithoutCreatingIt() throws {
        let store = CLIStore()
        for arguments in [["show", "DE--1"], ["show", "DE--1", "--json"], ["show", "a@example.com", "--as-of", "2020-01-01"]] {
            let output = try store.run(arguments)
            XCTAssertEqual(output.status, 3, "\(arguments): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(store.path) || output.stderr.localizedCaseInsensitiveContains("store"),
                          "\(arguments): says what is missing: \(output.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: store.path), "\(arguments): the store folder must not be created")
        }
    }

    func testShowOfAnUnknownCustomer() throws {
        let store = CLIStore()
        try store.create("known@example.com")
        for customer in ["DE--2", "DE--0", "unknown@example.com", "nonsense"] {
            let output = try store.run(["show", customer])
            XCTAssertEqual(output.status, 1, "show \(customer): \(output.stdout)")
            XCTAssertEqual(output.stdout, "")
            XCTAssertTrue(output.stderr.contains(customer), "the error names \(customer): \(output.stderr)")
        }
    }

    func testEmptyOrOversizedCustomerArgumentIsNotAStoreError() throws {
        let store = CLIStore()
        try store.create("known@example.com")
        // An empty or oversized CUSTOMER is the caller's mistake (exit 1 unknown customer, or 2 usage), never a
        // store error (exit 3), for every command that takes a CUSTOMER.
        let huge = "DE--" + String(repeating: "9", count: 600)
        for command in ["show", "send-password-token", "resend-verification"] {
            for customer in ["", "   ", huge, String(repeating: "a", count: 600) + "@example.com"] {
                let output = try store.run([command, customer])
                XCTAssertTrue([1, 2].contains(output.status),
                              "\(command) \"\(customer.prefix(12))…\" (\(customer.count) chars): exit \(output.status): \(output.stderr.prefix(300))")
                XCTAssertFalse(output.stderr.contains("MDB_"), "no storage internals for a bad argument: \(output.stderr.prefix(300))")
            }
        }
        XCTAssertEqual(try store.run(["show", "DE--1"]).status, 0, "the store is fine afterwards")
    }

    func testShowAsOfReplaysTheLog() throws {
        let store = CLIStore()
        try store.create("history@example.com")
        Thread.sleep(forTimeInterval: 1.1)
        let token = try store.token("DE--1")
        XCTAssertEqual(try store.run(["verify-email", "--token", token]).status, 0)
        Thread.sleep(forTimeInterval: 0.05)
        let afterVerification = Date()

        let now = try store.show("DE--1")
        let createdAt = try XCTUnwrap(ISO.parse(now["createdAt"] as? String))
        let verifiedAt = try XCTUnwrap(ISO.parse(now["verifiedAt"] as? String))
        XCTAssertGreaterThan(verifiedAt.timeIntervalSince(createdAt), 1.0, "the steps are more than a second apart")

        // Before the creation: it did not exist yet.
        let before = try store.run(["show", "DE--1", "--as-of", ISO.format(createdAt.addingTimeInterval(-1))])
        XCTAssertEqual(before.status, 1, before.stdout)
        XCTAssertTrue(before.stderr.contains("did not exist yet"), before.stderr)
        let longBefore = try store.run(["show", "DE--1", "--as-of", "2000-01-01"])
        XCTAssertEqual(longBefore.status, 1)
        XCTAssertTrue(longBefore.stderr.contains("did not exist yet"), longBefore.stderr)

        // Between creation and verification: Unverified.
        let middle = ISO.format(createdAt.addingTimeInterval(verifiedAt.timeIntervalSince(createdAt) / 2))
        let unverified = try store.show("DE--1", asOf: middle)
        XCTAssertEqual(unverified["status"] as? String, "Unverified")
        XCTAssertTrue(unverified["verifiedAt"] is NSNull)
        XCTAssertEqual(unverified["email"] as? String, "history@example.com")
        let text = try store.run(["show", "DE--1", "--as-of", middle])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Unverified"), text.stdout)

        // After the verification: Verified.
        let verified = try store.show("DE--1", asOf: ISO.format(afterVerification))
        XCTAssertEqual(verified["status"] as? String, "Verified")
        XCTAssertEqual(ISO.parse(verified["verifiedAt"] as? String), verifiedAt)
        // A time without fractional seconds is accepted too.
        let wholeSecond = ISO8601DateFormatter().string(from: afterVerification.addingTimeInterval(1))
        XCTAssertEqual(try store.show("DE--1", asOf: wholeSecond)["status"] as? String, "Verified")
    }

    func testShowAsOfThePrintedCreationAndVerificationTimes() throws {
        // `show` prints createdAt/verifiedAt; asking for the state as of exactly those instants must include the
        // event that happened then (the customer existed at its own creation time, and was Verified at its
        // verification time).
        let store = CLIStore()
        try store.create("instant@example.com")
        let token = try store.token("DE--1")
        XCTAssertEqual(try store.run(["verify-email", "--token", token]).status, 0)
        let now = try store.show("DE--1")
        let createdAt = try XCTUnwrap(now["createdAt"] as? String)
        let verifiedAt = try XCTUnwrap(now["verifiedAt"] as? String)

        let atCreation = try store.run(["show", "DE--1", "--as-of", createdAt, "--json"])
        XCTAssertEqual(atCreation.status, 0, "show --as-of \(createdAt) (its printed createdAt): \(atCreation.stderr)")
        if atCreation.status == 0 {
            XCTAssertEqual(try jsonObject(atCreation.stdout)["createdAt"] as? String, createdAt)
        }
        let atVerification = try store.run(["show", "DE--1", "--as-of", verifiedAt, "--json"])
        XCTAssertEqual(atVerification.status, 0, atVerification.stderr)
        if atVerification.status == 0 {
            XCTAssertEqual(try jsonObject(atVerification.stdout)["status"] as? String, "Verified",
                           "show --as-of \(verifiedAt) (its printed verifiedAt)")
        }
    }
}
