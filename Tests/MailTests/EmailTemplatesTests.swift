import Mail
import XCTest

final class EmailTemplatesTests: XCTestCase {
    private let link = "http://localhost:8080/register/confirm?token=T0k3n_-x&_locale=en_US"

    func testVerificationEmailInEnglish() {
        let content = EmailTemplates.content(kind: .verification, locale: "en_US", firstName: "Jane", lastName: "Doe", link: link)
        XCTAssertEqual(content.subject, "Thank you for signing up!")
        XCTAssertTrue(content.body.hasPrefix("Hello Jane Doe,\n"), content.body)
        XCTAssertTrue(content.body.contains("\n\(link)\n"), "the link stands on its own line")
    }

    func testVerificationEmailInGerman() {
        let content = EmailTemplates.content(kind: .verification, locale: "de_DE", firstName: "Zoë", lastName: "Ørsted", link: link)
        XCTAssertEqual(content.subject, "Vielen Dank für deine Anmeldung!")
        XCTAssertTrue(content.body.hasPrefix("Hallo Zoë Ørsted,\n"), content.body)
        XCTAssertTrue(content.body.contains("\n\(link)\n"))
    }

    func testPasswordSetEmailInBothLocales() {
        let english = EmailTemplates.content(kind: .passwordSet, locale: "en_US", firstName: "Jane", lastName: "Doe", link: link)
        XCTAssertEqual(english.subject, "Set your password")
        XCTAssertTrue(english.body.hasPrefix("Hello Jane Doe,\n"))
        XCTAssertTrue(english.body.contains("\n\(link)\n"))

        let german = EmailTemplates.content(kind: .passwordSet, locale: "de_DE", firstName: "Jane", lastName: "Doe", link: link)
        XCTAssertEqual(german.subject, "Passwort festlegen")
        XCTAssertTrue(german.body.hasPrefix("Hallo Jane Doe,\n"))
        XCTAssertTrue(german.body.contains("\n\(link)\n"))
    }

    func testEmailChangeLinkAndNoticeInBothLocales() {
        let english = EmailTemplates.content(kind: .emailChange, locale: "en_US", firstName: "Jane", lastName: "Doe", link: link)
        XCTAssertEqual(english.subject, "Confirm your new email address")
        XCTAssertTrue(english.body.contains("\n\(link)\n"), "the link stands on its own line")
        XCTAssertTrue(english.body.contains("Until you do, your account keeps its current address."), english.body)
        let german = EmailTemplates.content(kind: .emailChange, locale: "de_DE", firstName: "Jane", lastName: "Doe", link: link)
        XCTAssertEqual(german.subject, "Bestätige deine neue E-Mail-Adresse")
        XCTAssertTrue(german.body.hasPrefix("Hallo Jane Doe,\n"))
        XCTAssertTrue(german.body.contains("\n\(link)\n"))

        let notice = EmailTemplates.content(kind: .emailChangeNotice, locale: "en_US", firstName: "Jane", lastName: "Doe", link: "http://shop.example")
        XCTAssertEqual(notice.subject, "Your email address is being changed")
        XCTAssertTrue(notice.body.contains("your email address is being changed"), notice.body)
        XCTAssertTrue(notice.body.contains("If this was not you, please contact our customer service at once: http://shop.example\n"), notice.body)
        let deutsch = EmailTemplates.content(kind: .emailChangeNotice, locale: "de_DE", firstName: "Jane", lastName: "Doe", link: "http://shop.example")
        XCTAssertEqual(deutsch.subject, "Deine E-Mail-Adresse wird geändert")
        XCTAssertTrue(deutsch.body.contains("Wenn nicht, wende dich bitte sofort an unseren Kundenservice: http://shop.example\n"), deutsch.body)
    }

    func testPasswordChangedNoticeInBothLocales() {
        let english = EmailTemplates.content(kind: .passwordChanged, locale: "en_US", firstName: "Jane", lastName: "Doe", link: "http://shop.example")
        XCTAssertEqual(english.subject, "Your password was changed")
        XCTAssertTrue(english.body.hasPrefix("Hello Jane Doe,\n"))
        XCTAssertTrue(english.body.contains("If you did not, please contact our customer service at once: http://shop.example\n"))

        let german = EmailTemplates.content(kind: .passwordChanged, locale: "de_DE", firstName: "Jane", lastName: "Doe", link: "http://shop.example")
        XCTAssertEqual(german.subject, "Dein Passwort wurde geändert")
        XCTAssertTrue(german.body.hasPrefix("Hallo Jane Doe,\n"))
        XCTAssertTrue(german.body.contains("Kundenservice: http://shop.example\n"))
    }

    func testOtherLocalesFallBackToEnglish() {
        for locale in ["fr_FR", "de_AT", "", "xx"] {
            for kind in EmailKind.allCases {
                let fallback = EmailTemplates.content(kind: kind, locale: locale, firstName: "A", lastName: "B", link: link)
                let english = EmailTemplates.content(kind: kind, locale: "en_US", firstName: "A", lastName: "B", link: link)
                XCTAssertEqual(fallback.subject, english.subject, locale)
                XCTAssertEqual(fallback.body, english.body, locale)
            }
        }
        XCTAssertEqual(EmailTemplates.supportedLocales, ["de_DE", "en_US"])
    }

    func testParagraphsAreSingleLinesAndEndWithANewline() {
        for locale in EmailTemplates.supportedLocales {
            for kind in EmailKind.allCases {
                let body = EmailTemplates.content(kind: kind, locale: locale, firstName: "A", lastName: "B", link: link).body
                XCTAssertTrue(body.hasSuffix("\n"))
                XCTAssertFalse(body.contains("\n\n\n"))
                XCTAssertFalse(body.contains(" \n"), "no trailing spaces: \(body)")
                XCTAssertFalse(body.contains("{"), "every placeholder is filled")
            }
        }
    }

    func testNamesAreInsertedLiterally() {
        let content = EmailTemplates.content(kind: .verification, locale: "en_US", firstName: "{link}", lastName: "{name}", link: link)
        XCTAssertTrue(content.body.hasPrefix("Hello {link} {name},\n"))
        XCTAssertEqual(content.body.components(separatedBy: link).count, 2, "the link appears exactly once")
    }

    func testLinksFollowTheContract() {
        XCTAssertEqual(
            EmailTemplates.verificationLink(baseURL: "http://localhost:8080", token: "abc-DEF_123", locale: "en_US"),
            "http://localhost:8080/register/confirm?token=abc-DEF_123&_locale=en_US"
        )
        XCTAssertEqual(
            EmailTemplates.passwordSetLink(baseURL: "https://shop.example.com/", token: "abc-DEF_123", locale: "de_DE"),
            "https://shop.example.com/password/restore?token=abc-DEF_123&_locale=de_DE"
        )
        XCTAssertEqual(
            EmailTemplates.verificationLink(baseURL: "https://shop.example.com/base//", token: "a+b/c=&d", locale: "de DE"),
            "https://shop.example.com/base/register/confirm?token=a%2Bb%2Fc%3D%26d&_locale=de%20DE"
        )
    }
}
