import CustomerAggregate
import Foundation
import XCTest

/// One test per field rule of the create form, with good and bad values, then the "every problem at once" rule.
final class ValidationTests: XCTestCase {
    private func form(
        email: String = "maria@example.com", salutation: String = "Ms", firstName: String = "Maria",
        lastName: String = "Williams", gender: String? = nil, dateOfBirth: String? = nil, phone: String? = nil,
        company: String? = nil, locale: String? = nil
    ) -> CustomerForm {
        CustomerForm(
            email: email, salutation: salutation, firstName: firstName, lastName: lastName, gender: gender,
            dateOfBirth: dateOfBirth, phone: phone, company: company, locale: locale
        )
    }

    private func messages(_ form: CustomerForm, emailAlreadyUsed: Bool = false) -> [String] {
        problems(of: form, emailAlreadyUsed: emailAlreadyUsed).map { "\($0.field): \($0.message)" }
    }

    // MARK: - A complete, valid form

    func testValidFormIsTrimmedAndNormalised() {
        let result = profile(of: form(
            email: "  Maria.Williams@Example.COM ", salutation: " mrs ", firstName: " Maria ", lastName: "Williams\n",
            gender: "female", dateOfBirth: "1984-02-29", phone: " +49 (30) 123-456 ", company: " ACME GmbH ",
            locale: "DE_de"
        ))
        XCTAssertEqual(result, CustomerProfile(
            email: "Maria.Williams@Example.COM", salutation: .mrs, firstName: "Maria", lastName: "Williams",
            gender: .female, dateOfBirth: CalendarDate(year: 1984, month: 2, day: 29), phone: "+49 (30) 123-456",
            company: "ACME GmbH", locale: "de_DE"
        ))
    }

    func testEmptyOptionalValuesAreAbsentAndLocaleDefaults() {
        let result = profile(of: form(gender: "  ", dateOfBirth: "", phone: " ", company: "\t", locale: " "))
        XCTAssertEqual(result, Fixture.profile)
        XCTAssertNil(result?.gender)
        XCTAssertEqual(result?.locale, "en_US")
    }

    func testLocaleDefaultsToTheStoresDefault() {
        let settings = StoreSettings(locales: ["en_US", "de_DE"], defaultLocale: "de_DE")
        XCTAssertEqual(profile(of: form(), settings: settings)?.locale, "de_DE")
    }

    // MARK: - Email

    func testEmailIsRequired() {
        XCTAssertEqual(messages(form(email: "   ")), ["email: Email is required"])
    }

    func testEmailAcceptsPlausibleAddresses() {
        for email in [
            "a@b.co", "first.last+tag@sub.example.org", "o'hara@example.ie", "user_name-1@my-shop.de",
            "x@example.museum",
        ] {
            XCTAssertEqual(profile(of: form(email: email))?.email, email)
        }
    }

    func testEmailRejectsMalformedAddresses() {
        for email in [
            "maria", "maria@", "@example.com", "maria@example", "maria@@example.com", "ma@ria@example.com",
            "maria @example.com", "maria@exa mple.com", "maria@example..com", "maria@.example.com",
            "maria@example.com.", ".maria@example.com", "maria.@example.com", "ma..ria@example.com",
            "maria@-example.com", "maria@example-.com", "<maria@example.com>", "maria@example.com\nBcc: x@y.z",
            "maria\t@example.com", "\"maria\"@example.com", "maria@exa_mple.com", "maria,anna@example.com",
        ] {
            XCTAssertEqual(messages(form(email: email)), ["email: Email is not a valid address"], email)
        }
    }

    func testEmailIsAtMost100Characters() {
        let atLimit = String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 31) + ".com"
        XCTAssertEqual(atLimit.count, 100)
        XCTAssertNotNil(profile(of: form(email: atLimit)))
        let tooLong = String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 36) + ".com"
        XCTAssertEqual(messages(form(email: tooLong)), ["email: Email must be at most 100 characters"])
    }

    func testEmailAlreadyUsedIsAProblemOnEmailWithItsOwnCode() {
        let result = CustomerValidation.validate(
            form(), settings: .defaults, today: Fixture.today, emailAlreadyUsed: true
        )
        guard case .failure(let error) = result else { return XCTFail("expected failure") }
        XCTAssertEqual(error.code, .emailAlreadyUsed)
        XCTAssertEqual(error.problems, [Problem(field: "email", message: "Email is already used", rule: .alreadyUsed)])
    }

    func testEmailAlreadyUsedAmongOtherProblemsIsAValidationFailure() {
        let result = CustomerValidation.validate(
            form(firstName: ""), settings: .defaults, today: Fixture.today, emailAlreadyUsed: true
        )
        guard case .failure(let error) = result else { return XCTFail("expected failure") }
        XCTAssertEqual(error.code, .validationFailed)
        XCTAssertEqual(error.problems.map(\.message), ["Email is already used", "First name is required"])
    }

    func testAnInvalidEmailIsNotAlsoReportedAsUsed() {
        XCTAssertEqual(messages(form(email: "nope"), emailAlreadyUsed: true), ["email: Email is not a valid address"])
    }

    // MARK: - Salutation

    func testSalutationAcceptsEachValueCaseInsensitively() {
        for salutation in Salutation.allCases {
            XCTAssertEqual(profile(of: form(salutation: salutation.rawValue))?.salutation, salutation)
            XCTAssertEqual(profile(of: form(salutation: salutation.rawValue.uppercased()))?.salutation, salutation)
        }
    }

    func testSalutationIsRequiredAndListsTheAllowedValues() {
        XCTAssertEqual(messages(form(salutation: "")), ["salutation: Salutation is required"])
        XCTAssertEqual(
            messages(form(salutation: "Sir")), ["salutation: Salutation must be one of: Mr, Mrs, Ms, Dr, n/a"]
        )
        XCTAssertEqual(
            messages(form(salutation: "Mr.")), ["salutation: Salutation must be one of: Mr, Mrs, Ms, Dr, n/a"]
        )
    }

    // MARK: - Names

    func testNamesAcceptLettersOfAnyScriptAndPunctuation() {
        for name in ["Zoë", "O'Neil", "Jean-Luc", "José María", "李", "Ørsted", String(repeating: "x", count: 100)] {
            XCTAssertEqual(profile(of: form(firstName: name, lastName: name))?.lastName, name)
        }
    }

    func testNamesAreRequired() {
        XCTAssertEqual(
            messages(form(firstName: " ", lastName: "")),
            ["first-name: First name is required", "last-name: Last name is required"]
        )
    }

    func testNamesAreAtMost100Characters() {
        let long = String(repeating: "x", count: 101)
        XCTAssertEqual(
            messages(form(firstName: long, lastName: long)),
            ["first-name: First name must be at most 100 characters", "last-name: Last name must be at most 100 characters"]
        )
    }

    func testNamesMustNotContainTheForbiddenCharacters() {
        for bad in ["Ma:ria", "Ma/ria", "<b>Maria", "Maria>"] {
            XCTAssertEqual(messages(form(firstName: bad)), ["first-name: First name must not contain any of : / < >"], bad)
            XCTAssertEqual(messages(form(lastName: bad)), ["last-name: Last name must not contain any of : / < >"], bad)
        }
    }

    /// Header-injection safety: names go into `To:` headers.
    func testNamesMustNotContainControlCharacters() {
        for bad in ["Maria\r\nBcc evil@example.com", "Ma\tria", "Ma\u{1B}[31mria", "Ma\u{0}ria", "Ma\u{2028}ria", "Ma\u{85}ria"] {
            XCTAssertEqual(
                messages(form(firstName: bad)),
                ["first-name: First name must not contain control characters (such as line breaks or tabs)"],
                bad.debugDescription
            )
        }
        XCTAssertEqual(
            messages(form(lastName: "Wil\nliams")),
            ["last-name: Last name must not contain control characters (such as line breaks or tabs)"]
        )
    }

    func testANameCanBreakSeveralRulesAtOnce() {
        let bad = String(repeating: "a", count: 100) + ":\nb"
        XCTAssertEqual(messages(form(firstName: bad)), [
            "first-name: First name must be at most 100 characters",
            "first-name: First name must not contain any of : / < >",
            "first-name: First name must not contain control characters (such as line breaks or tabs)",
        ])
    }

    // MARK: - Gender

    func testGenderIsOptionalAndCaseInsensitive() {
        XCTAssertEqual(profile(of: form(gender: "Male"))?.gender, .male)
        XCTAssertEqual(profile(of: form(gender: "FEMALE"))?.gender, .female)
        XCTAssertNil(profile(of: form(gender: nil))?.gender)
    }

    func testGenderListsTheAllowedValues() {
        XCTAssertEqual(messages(form(gender: "other")), ["gender: Gender must be one of: Male, Female"])
        XCTAssertEqual(messages(form(gender: "M")), ["gender: Gender must be one of: Male, Female"])
    }

    // MARK: - Date of birth

    func testDateOfBirthAcceptsTheRange() {
        XCTAssertEqual(profile(of: form(dateOfBirth: "1900-01-01"))?.dateOfBirth?.description, "1900-01-01")
        XCTAssertEqual(profile(of: form(dateOfBirth: "2025-11-29"))?.dateOfBirth, Fixture.today)
    }

    func testDateOfBirthMustBeARealDate() {
        for bad in ["2023-02-29", "29.02.1984", "1984-2-3", "yesterday", "1984-02-30"] {
            XCTAssertEqual(
                messages(form(dateOfBirth: bad)),
                ["date-of-birth: Date of birth must be a real date in the form YYYY-MM-DD"], bad
            )
        }
    }

    func testDateOfBirthMustNotBeInTheFuture() {
        XCTAssertEqual(
            messages(form(dateOfBirth: "2025-11-30")), ["date-of-birth: Date of birth must not be in the future"]
        )
    }

    func testDateOfBirthMustNotBeBefore1900() {
        XCTAssertEqual(
            messages(form(dateOfBirth: "1899-12-31")), ["date-of-birth: Date of birth must not be before 1900-01-01"]
        )
    }

    // MARK: - Phone

    func testPhoneAcceptsCommonFormats() {
        for phone in ["495-123-45-67", "+49 (30) 1234.56/7", "110", String(repeating: "1", count: 255)] {
            XCTAssertEqual(profile(of: form(phone: phone))?.phone, phone)
        }
    }

    func testPhoneRules() {
        XCTAssertEqual(
            messages(form(phone: "+49 30 CALL-ME")), ["phone: Phone may contain only digits, spaces and + - ( ) . /"]
        )
        XCTAssertEqual(messages(form(phone: "12")), ["phone: Phone must contain at least 3 digits"])
        XCTAssertEqual(messages(form(phone: "+( )-")), ["phone: Phone must contain at least 3 digits"])
        XCTAssertEqual(
            messages(form(phone: String(repeating: "1", count: 256))), ["phone: Phone must be at most 255 characters"]
        )
        XCTAssertEqual(
            messages(form(phone: "١٢٣٤")),
            ["phone: Phone may contain only digits, spaces and + - ( ) . /", "phone: Phone must contain at least 3 digits"]
        )
        XCTAssertEqual(
            messages(form(phone: "030\t123")), ["phone: Phone may contain only digits, spaces and + - ( ) . /"]
        )
    }

    // MARK: - Company

    func testCompanyRules() {
        XCTAssertEqual(profile(of: form(company: "Spryker Systems GmbH"))?.company, "Spryker Systems GmbH")
        XCTAssertEqual(profile(of: form(company: String(repeating: "c", count: 100)))?.company?.count, 100)
        XCTAssertEqual(
            messages(form(company: String(repeating: "c", count: 101))), ["company: Company must be at most 100 characters"]
        )
        XCTAssertEqual(
            messages(form(company: "ACME\r\nX-Evil: 1")),
            ["company: Company must not contain control characters (such as line breaks or tabs)"]
        )
    }

    // MARK: - Locale

    func testLocaleMustBeOneOfTheStoresLocales() {
        XCTAssertEqual(profile(of: form(locale: "de_DE"))?.locale, "de_DE")
        XCTAssertEqual(messages(form(locale: "fr_FR")), ["locale: Locale must be one of: en_US, de_DE"])
        XCTAssertEqual(messages(form(locale: "german")), ["locale: Locale must be one of: en_US, de_DE"])
        XCTAssertEqual(messages(form(locale: "de-DE")), ["locale: Locale must be one of: en_US, de_DE"])
        let settings = StoreSettings(locales: ["en_US", "de_DE", "fr_FR"])
        XCTAssertEqual(profile(of: form(locale: "fr_FR"), settings: settings)?.locale, "fr_FR")
    }

    // MARK: - Every problem at once

    func testAFormWithManyErrorsReportsAllOfThemInFormOrder() {
        let bad = CustomerForm(
            email: "not an email", salutation: "Prof", firstName: "", lastName: "A<b>", gender: "x",
            dateOfBirth: "2031-01-01", phone: "call me", company: String(repeating: "c", count: 101), locale: "xx"
        )
        let result = CustomerValidation.validate(bad, settings: .defaults, today: Fixture.today, emailAlreadyUsed: true)
        guard case .failure(let error) = result else { return XCTFail("expected failure") }
        XCTAssertEqual(error.code, .validationFailed)
        XCTAssertEqual(error.problems.map(\.field), [
            "email", "salutation", "first-name", "last-name", "gender", "date-of-birth", "phone", "phone", "company",
            "locale",
        ])
        XCTAssertEqual(error.problems.map(\.message), [
            "Email is not a valid address",
            "Salutation must be one of: Mr, Mrs, Ms, Dr, n/a",
            "First name is required",
            "Last name must not contain any of : / < >",
            "Gender must be one of: Male, Female",
            "Date of birth must not be in the future",
            "Phone may contain only digits, spaces and + - ( ) . /",
            "Phone must contain at least 3 digits",
            "Company must be at most 100 characters",
            "Locale must be one of: en_US, de_DE",
        ])
        XCTAssertTrue(error.message.hasPrefix("Invalid customer data: Email is not a valid address; "), error.message)
        XCTAssertFalse(error.message.contains("\n"))
    }

    func testUniquenessKeyIsTrimmedAndCaseInsensitive() {
        XCTAssertEqual(CustomerProfile.uniquenessKey(forEmail: " Maria@Example.COM "), "maria@example.com")
        XCTAssertEqual(
            CustomerProfile(email: "Maria@Example.com", salutation: .ms, firstName: "M", lastName: "W", locale: "en_US")
                .emailKey,
            "maria@example.com"
        )
    }
}
