@testable import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// German pages say the domain's refusals in German: every rule a problem can break and every refusal code the
/// domain and the application declare have a de_DE sentence (so a new rule cannot go untranslated), and the
/// pages render them from the texts, not from the domain's English messages.
final class RefusalTranslationTests: XCTestCase {
    func testEveryRuleHasASentenceInEnglishAndGerman() {
        for rule in Problem.Rule.allCases where rule != .unstated {
            XCTAssertNotNil(RefusalWording.german.rules[rule], "no de_DE sentence for the rule \(rule.rawValue)")
            XCTAssertNotNil(RefusalWording.english.rules[rule], "no en_US sentence for the rule \(rule.rawValue)")
        }
    }

    func testEveryRefusalCodeTheDomainDeclaresHasAGermanSentence() throws {
        let declared = try Self.declaredCodes()
        XCTAssertGreaterThan(declared.count, 30, "the scan finds the codes: \(declared.sorted())")
        let german = Set(RefusalWording.german.codes.keys.map(\.rawValue))
        XCTAssertEqual(declared.subtracting(german).sorted(), [], "codes without a de_DE sentence")
    }

    /// Problems built without a rule would be said in English on every page; only the import's rows (CLI input,
    /// never on a page) may leave theirs unstated.
    func testEveryProblemTheDomainBuildsNamesItsRule() throws {
        var unstated: [String] = []
        var calls = 0
        let opening = try NSRegularExpression(pattern: #"Problem\(\s*field:"#)
        for file in try Self.swiftFiles(under: ["Sources/CustomerAggregate", "Sources/CustomerService"]) where !file.contains("Import") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for match in opening.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let call = Self.balancedCall(text, from: Range(match.range, in: text)!.lowerBound)
                calls += 1
                if !call.contains("rule:") { unstated.append("\(file): \(call.prefix(120))") }
            }
        }
        XCTAssertGreaterThan(calls, 20, "the scan finds the problems the domain builds")
        XCTAssertEqual(unstated, [], "problems without a rule")
    }

    func testTheAddCustomerFormSaysEveryBrokenRuleInGerman() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("taken@example.com")
        let response = try fixture.post("/backoffice/customers/new", [
            ("email", "not-an-address"), ("salutation", "Herr"), ("first-name", "Max<"), ("last-name", ""),
            ("date-of-birth", "1850-01-01"), ("phone", "12"),
        ], texts: .german)
        XCTAssertEqual(response.status, .unprocessableContent)
        let html = response.html
        for sentence in [
            "E-Mail ist keine gültige Adresse", "Anrede muss eines von Mr, Mrs, Ms, Dr, n/a sein",
            "Vorname darf keines der Zeichen : / &lt; &gt; enthalten", "Nachname ist erforderlich",
            "Geburtsdatum darf nicht vor dem 1900-01-01 liegen", "Telefon muss mindestens 3 Ziffern enthalten",
        ] {
            XCTAssertTrue(html.contains(sentence), "\(sentence) in \(html)")
        }
        for english in ["is not a valid address", "must be one of", "is required", "must not be before", "at least 3 digits"] {
            XCTAssertFalse(html.contains(english), "no English: \(english)")
        }
        let taken = try fixture.post("/backoffice/customers/new", [
            ("email", "TAKEN@example.com"), ("salutation", "Ms"), ("first-name", "Eva"), ("last-name", "Ernst"),
        ], texts: .german)
        XCTAssertTrue(taken.html.contains("E-Mail wird bereits verwendet"), taken.html)
        XCTAssertTrue(try fixture.post("/backoffice/customers/new", [("email", "x")]).html.contains("Email is not a valid address"),
                      "English pages keep the domain's words")
    }

    func testActionsAddressesAuditAndNotFoundSpeakGerman() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        let forget = try fixture.post("/backoffice/customers/\(reference)/forget", [("reason", " ")], texts: .german)
        XCTAssertTrue(forget.html.contains("Grund ist erforderlich"), forget.html)

        let address = try fixture.post("/backoffice/customers/\(reference)/address", [
            ("salutation", "Ms"), ("first-name", "Anna"), ("last-name", "Adler"), ("address1", "Hauptstr. 1"), ("city", "Köln"),
            ("zip-code", "50667"), ("country", "XX"),
        ], texts: .german)
        XCTAssertEqual(address.status, .unprocessableContent)
        XCTAssertTrue(address.html.contains("Land muss ein ISO-3166-1-Alpha-2-Code wie DE, AT oder US sein (XX ist keiner)"), address.html)
        XCTAssertTrue(address.html.contains(">Postleitzahl</span></label>"), "the address form's labels are German too")

        let note = try fixture.post("/backoffice/customers/\(reference)/note", [("message", "")], texts: .german)
        XCTAssertTrue(note.html.contains("Nachricht ist erforderlich"), note.html)

        let audit = try fixture.get("/backoffice/audit?customer=nobody%40example.com", texts: .german)
        XCTAssertTrue(audit.html.contains("Kein Kunde hat die Referenz oder E-Mail nobody@example.com"), audit.html)

        _ = try fixture.service.forget(reference, reason: "asked", metadata: CommandMetadata(actor: "test"), then: .leavePending)
        let erased = try fixture.post("/backoffice/customers/\(reference)/edit", [("first-name", "Berta")], texts: .german)
        XCTAssertTrue(erased.html.contains("Die persönlichen Daten dieses Kunden wurden gelöscht"), erased.html)
    }

    func testASettingsRefusalNamesTheExpectedFormInGerman() throws {
        let fixture = try PagesFixture()
        let refused = try fixture.post("/backoffice/settings", [("key", "base-url"), ("value", "ftp://x")], as: .admin, texts: .german)
        XCTAssertTrue(refused.html.contains("„ftp://x“ ist kein gültiger Wert für base-url: erwartet wird eine absolute http(s)-URL"), refused.html)
    }

    // MARK: Reading the sources

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func swiftFiles(under folders: [String]) throws -> [String] {
        var files: [String] = []
        for folder in folders {
            let root = packageRoot.appendingPathComponent(folder).path
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let next = enumerator?.nextObject() as? String {
                if next.hasSuffix(".swift") { files.append(root + "/" + next) }
            }
        }
        return files
    }

    /// Every `DomainError.Code("…")` declared by the domain and the application layer.
    static func declaredCodes() throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"(?:DomainError\.Code|static let \w+ = Code)\("(\w+)"\)"#)
        var codes: Set<String> = []
        for file in try swiftFiles(under: ["Sources/CustomerAggregate", "Sources/CustomerService"]) {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return codes
    }

    /// The text of the call that opens at `start` up to its closing parenthesis.
    static func balancedCall(_ text: String, from start: String.Index) -> Substring {
        var depth = 0
        var index = start
        while index < text.endIndex {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return text[start...index] }
            }
            index = text.index(after: index)
        }
        return text[start...]
    }
}
