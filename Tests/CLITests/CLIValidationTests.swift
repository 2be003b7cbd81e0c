import Foundation
import TestSupport
import XCTest

/// Every rule of the create form, each reported naming its field, with exit 1 and nothing written.
final class CLIValidationTests: XCTestCase {
    struct Case {
        let label: String
        let overrides: [String: String?]
        let field: String
        let message: String
    }

    static let seedEmail = "taken@example.com"

    static var cases: [Case] {
        let long = String(repeating: "x", count: 101)
        var cases: [Case] = [
            // email
            Case(label: "email 600 chars", overrides: ["email": String(repeating: "a", count: 600) + "@example.com"], field: "email", message: "at most 100"),
            Case(label: "email without @", overrides: ["email": "not-an-email"], field: "email", message: "not a valid address"),
            Case(label: "email with space", overrides: ["email": "max mustermann@example.com"], field: "email", message: "not a valid address"),
            Case(label: "email with two @", overrides: ["email": "max@@example.com"], field: "email", message: "not a valid address"),
            Case(label: "email a@b@c", overrides: ["email": "max@example@com.de"], field: "email", message: "not a valid address"),
            Case(label: "email without tld", overrides: ["email": "max@localhost"], field: "email", message: "not a valid address"),
            Case(label: "email 101 chars", overrides: ["email": String(repeating: "a", count: 89) + "@example.com"], field: "email", message: "at most 100"),
            Case(label: "email taken, other case", overrides: ["email": "TAKEN@Example.COM"], field: "email", message: "Email is already used"),
            Case(label: "email taken, padded", overrides: ["email": "  taken@example.com "], field: "email", message: "Email is already used"),
            // salutation
            Case(label: "salutation missing", overrides: ["salutation": nil], field: "salutation", message: "Salutation is required"),
            Case(label: "salutation unknown", overrides: ["salutation": "Sir"], field: "salutation", message: "Mr, Mrs, Ms, Dr, n/a"),
            // gender
            Case(label: "gender unknown", overrides: ["gender": "Other"], field: "gender", message: "Male, Female"),
            // date of birth
            Case(label: "dob slashes", overrides: ["date-of-birth": "1990/01/01"], field: "date-of-birth", message: "YYYY-MM-DD"),
            Case(label: "dob day first", overrides: ["date-of-birth": "01-01-1990"], field: "date-of-birth", message: "YYYY-MM-DD"),
            Case(label: "dob unpadded", overrides: ["date-of-birth": "1990-1-1"], field: "date-of-birth", message: "YYYY-MM-DD"),
            Case(label: "dob 30 Feb", overrides: ["date-of-birth": "1990-02-30"], field: "date-of-birth", message: "real date"),
            Case(label: "dob 29 Feb non-leap", overrides: ["date-of-birth": "2023-02-29"], field: "date-of-birth", message: "real date"),
            Case(label: "dob month 13", overrides: ["date-of-birth": "1990-13-01"], field: "date-of-birth", message: "real date"),
            Case(label: "dob in two days", overrides: ["date-of-birth": ISO.day(plus: 2)], field: "date-of-birth", message: "future"),
            Case(label: "dob far future", overrides: ["date-of-birth": "2999-01-01"], field: "date-of-birth", message: "future"),
            Case(label: "dob before 1900", overrides: ["date-of-birth": "1899-12-31"], field: "date-of-birth", message: "1900-01-01"),
            // phone
            Case(label: "phone two digits", overrides: ["phone": "12"], field: "phone", message: "at least 3 digits"),
            Case(label: "phone letters", overrides: ["phone": "030 CALL ME"], field: "phone", message: "only digits"),
            Case(label: "phone 256 chars", overrides: ["phone": String(repeating: "1", count: 256)], field: "phone", message: "at most 255"),
            // company
            Case(label: "company 101 chars", overrides: ["company": long], field: "company", message: "at most 100"),
            // locale
            Case(label: "locale with dash", overrides: ["locale": "de-DE"], field: "locale", message: "en_US, de_DE"),
            Case(label: "locale a word", overrides: ["locale": "german"], field: "locale", message: "en_US, de_DE"),
            Case(label: "locale not allowed", overrides: ["locale": "fr_FR"], field: "locale", message: "en_US, de_DE"),
        ]
        for (field, label) in [("first-name", "First name"), ("last-name", "Last name")] {
            cases += [
                Case(label: "\(field) missing", overrides: [field: nil], field: field, message: "\(label) is required"),
                Case(label: "\(field) blank", overrides: [field: "  "], field: field, message: "\(label) is required"),
                Case(label: "\(field) 101 chars", overrides: [field: long], field: field, message: "at most 100"),
                Case(label: "\(field) tab", overrides: [field: "Max\tX"], field: field, message: "control characters"),
                Case(label: "\(field) line break", overrides: [field: "Max\nBcc: evil@example.com"], field: field, message: "control characters"),
            ]
            for character in [":", "/", "<", ">"] {
                cases.append(Case(label: "\(field) with \(character)", overrides: [field: "Ma\(character)x"], field: field, message: ": / < >"))
            }
        }
        return cases
    }

    func testEveryBrokenRuleIsRejectedNamingItsFieldAndWritesNothing() throws {
        let store = CLIStore()
        XCTAssertEqual(try store.create(Self.seedEmail), "DE--1")
        let head = try store.eventCount()
        XCTAssertGreaterThan(head, 0)
        for testCase in Self.cases {
            let arguments = CLIStore.createArguments(email: "fresh@example.com", testCase.overrides)
            let output = try store.run(arguments)
            XCTAssertEqual(output.status, 1, "\(testCase.label): exit 1 expected, stderr: \(output.stderr)")
            XCTAssertFalse(output.stdout.contains("created successfully"), "\(testCase.label): \(output.stdout)")
            XCTAssertTrue(output.stderr.contains("error: \(testCase.field): "),
                          "\(testCase.label): stderr names the field \(testCase.field): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(testCase.message),
                          "\(testCase.label): stderr says \"\(testCase.message)\": \(output.stderr)")
            let otherFields = output.stderr.split(separator: "\n")
                .compactMap { line -> String? in
                    // Problem lines are `error: FIELD: message`; the summary line `error: Invalid customer data: …`
                    // has no FIELD (a field name has no spaces).
                    let parts = line.split(separator: ":", maxSplits: 2)
                    guard parts.count == 3, parts[0] == "error" else { return nil }
                    let field = parts[1].trimmingCharacters(in: .whitespaces)
                    return field.contains(" ") ? nil : field
                }
                .filter { $0 != testCase.field }
            XCTAssertEqual(otherFields, [], "\(testCase.label): only \(testCase.field) is at fault: \(output.stderr)")
        }
        // Nothing was written: the log did not grow, no reference number was consumed.
        XCTAssertEqual(try store.eventCount(), head, "rejected creates appended no event")
        XCTAssertEqual(try store.create("fresh@example.com"), "DE--2", "rejected creates must not consume reference numbers")
        let missing = try store.run(["show", "DE--3"])
        XCTAssertEqual(missing.status, 1, "no third customer exists: \(missing.stdout)")
        XCTAssertEqual(try store.show(Self.seedEmail)["firstName"] as? String, "Max", "the taken customer is unchanged")
    }

    /// Kept apart from the table above so that a failure here does not hide the other rules.
    func testMissingOrBlankEmailIsReportedAsRequired() throws {
        let store = CLIStore()
        XCTAssertEqual(try store.create(Self.seedEmail), "DE--1")
        for (label, email) in [("missing", nil), ("empty", ""), ("blank", "   ")] as [(String, String?)] {
            let output = try store.run(CLIStore.createArguments(email: email))
            XCTAssertEqual(output.status, 1, "email \(label): a rejected command (exit 1), not a store error: \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("error: email: Email is required"), "email \(label): \(output.stderr)")
            // Reported together with the other broken rules.
            let more = try store.run(CLIStore.createArguments(email: email, ["salutation": "Sir"]) + ["--json"])
            XCTAssertEqual(more.status, 1, "email \(label) + salutation: \(more.stderr)")
            if more.status == 1 {
                XCTAssertEqual(Set(try CLIErrorJSON(more.stderr).fields), ["email", "salutation"])
            }
        }
        XCTAssertEqual(try store.create("fresh@example.com"), "DE--2", "nothing was written")
    }

    func testEveryBrokenRuleOfOneCommandIsReportedAtOnce() throws {
        let store = CLIStore()
        let arguments = [
            "create", "--email", "broken", "--salutation", "Sir", "--first-name", "a:b", "--last-name", "",
            "--gender", "x", "--date-of-birth", "1990-02-30", "--phone", "12", "--company", String(repeating: "c", count: 101),
            "--locale", "xx",
        ]
        let text = try store.run(arguments)
        XCTAssertEqual(text.status, 1, text.stderr)
        let expected = ["email", "salutation", "first-name", "last-name", "gender", "date-of-birth", "phone", "company", "locale"]
        for field in expected {
            XCTAssertTrue(text.stderr.contains("error: \(field): "), "\(field) is reported: \(text.stderr)")
        }

        let json = try store.run(arguments + ["--json"])
        XCTAssertEqual(json.status, 1, json.stderr)
        XCTAssertEqual(json.stdout, "", "nothing on stdout when rejected")
        let error = try CLIErrorJSON(json.stderr)
        XCTAssertEqual(error.code, "validationFailed")
        XCTAssertEqual(Set(error.fields), Set(expected), "one problem per broken field: \(error.problems)")
        XCTAssertEqual(error.fields.count, expected.count, "each field once: \(error.fields)")
        for problem in error.problems {
            XCTAssertFalse(problem.message.isEmpty, "problem \(problem.field) has a message")
        }
        XCTAssertEqual(try store.create("after@example.com"), "DE--1", "nothing was written by the rejected creates")
    }

    func testJSONErrorFormat() throws {
        let store = CLIStore()
        try store.create(Self.seedEmail)
        // A single rule: code emailAlreadyUsed, the problem names the field.
        let taken = try store.run(CLIStore.createArguments(email: "Taken@Example.com") + ["--json"])
        XCTAssertEqual(taken.status, 1)
        let takenError = try CLIErrorJSON(taken.stderr)
        XCTAssertEqual(takenError.code, "emailAlreadyUsed")
        XCTAssertEqual(takenError.fields, ["email"])
        XCTAssertTrue(takenError.problems[0].message.contains("Email is already used"), takenError.problems[0].message)
        XCTAssertTrue(takenError.message.contains("already used"), takenError.message)

        // A business-rule error without a form: still the same shape (problems may be empty, but is an array).
        let unknown = try store.run(["show", "DE--99", "--json"])
        XCTAssertEqual(unknown.status, 1)
        let unknownError = try CLIErrorJSON(unknown.stderr)
        XCTAssertEqual(unknownError.code, "customerNotFound")

        // A usage error, too, with exit 2.
        let usage = try store.run(["create", "--bogus", "--json"])
        XCTAssertEqual(usage.status, 2)
        let usageError = try CLIErrorJSON(usage.stderr)
        XCTAssertTrue(usageError.message.contains("--bogus"), usageError.message)
    }
}
