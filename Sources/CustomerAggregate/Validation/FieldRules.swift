/// The per-field rules of the create form (email, salutation, names, gender, date of birth, phone, company,
/// locale), one small function each so that each can be read on its own and tested against its limits.
enum FieldRules {
    static let maximumEmailLength = 100
    static let maximumNameLength = 100
    static let maximumPhoneLength = 255
    static let maximumCompanyLength = 100
    static let earliestDateOfBirth = CalendarDate(year: 1900, month: 1, day: 1)
    static let forbiddenNameCharacters: Set<Character> = [":", "/", "<", ">"]
    static let phoneSymbols: Set<Character> = [" ", "+", "-", "(", ")", ".", "/"]

    /// A first or last name: required, 1–100 characters, none of `: / < >`, and no control characters.
    ///
    /// Names end up in the `To:` header of every email (`To: First Last <email>`) and in CSV and terminal
    /// output. A CR or LF inside a name would let a value start a new mail header (header injection: an extra
    /// `Bcc:`), and a TAB or ESC would garble tables, so they are refused here, once, rather than escaped in
    /// every consumer.
    static func name(_ raw: String, field: CustomerField, problems: inout [Problem]) -> String {
        let value = raw.trimmed()
        guard !value.isEmpty else {
            problems.append(field.problem("is required", .required))
            return value
        }
        if value.count > maximumNameLength {
            problems.append(field.problem("must be at most \(maximumNameLength) characters", .tooLong, ["maximum": "\(maximumNameLength)"]))
        }
        if value.contains(where: forbiddenNameCharacters.contains) {
            problems.append(field.problem("must not contain any of : / < >", .forbiddenCharacters, ["characters": ": / < >"]))
        }
        if value.containsControlCharacters {
            problems.append(field.problem("must not contain control characters (such as line breaks or tabs)", .controlCharacters))
        }
        return value
    }

    /// Required, at most 100 characters, a plausible address within RFC 5321's octet limits, stored in NFC. The
    /// "already used" check only applies to a valid address: telling a user that an invalid address is taken
    /// would be confusing.
    ///
    /// Characters are what a person counts (grapheme clusters, after NFC), the RFC limits are octets of UTF-8:
    /// `ü` is one character and two bytes, so a long internationalised address can pass the first and not the
    /// second.
    static func email(_ raw: String, alreadyUsed: Bool, problems: inout [Problem]) -> String {
        let value = EmailAddress.normalized(raw.trimmed())
        guard !value.isEmpty else {
            problems.append(CustomerField.email.problem("is required", .required))
            return value
        }
        var valid = true
        // The length rules report one problem between them: an address over 100 characters is told that, not also
        // that its local part passes 64 octets.
        if value.count > maximumEmailLength {
            problems.append(CustomerField.email.problem("must be at most \(maximumEmailLength) characters", .tooLong, ["maximum": "\(maximumEmailLength)"]))
            valid = false
        } else if value.utf8.count > EmailAddress.maximumAddressBytes {
            problems.append(CustomerField.email.problem(
                "must be at most \(EmailAddress.maximumAddressBytes) bytes in UTF-8 (RFC 5321; a non-ASCII character takes 2–4)",
                .tooManyBytes, ["maximum": "\(EmailAddress.maximumAddressBytes)"]))
            valid = false
        }
        if !EmailAddress.isValid(value) {
            problems.append(CustomerField.email.problem("is not a valid address", .invalidEmail))
            valid = false
        }
        if valid, alreadyUsed {
            problems.append(CustomerField.email.problem("is already used", .alreadyUsed))
        }
        return value
    }

    static func salutation(_ raw: String, problems: inout [Problem]) -> Salutation? {
        let value = raw.trimmed()
        guard !value.isEmpty else {
            problems.append(CustomerField.salutation.problem("is required", .required))
            return nil
        }
        guard let salutation = Salutation(matching: value) else {
            problems.append(CustomerField.salutation.problem("must be one of: \(allowed(Salutation.self))", .notOneOf, ["allowed": allowed(Salutation.self)]))
            return nil
        }
        return salutation
    }

    static func gender(_ raw: String?, problems: inout [Problem]) -> Gender? {
        guard let value = raw?.trimmedNonEmpty() else { return nil }
        guard let gender = Gender(matching: value) else {
            problems.append(CustomerField.gender.problem("must be one of: \(allowed(Gender.self))", .notOneOf, ["allowed": allowed(Gender.self)]))
            return nil
        }
        return gender
    }

    /// A real day, from 1900-01-01 up to and including `today` (the caller's UTC day).
    static func dateOfBirth(_ raw: String?, today: CalendarDate, problems: inout [Problem]) -> CalendarDate? {
        guard let value = raw?.trimmedNonEmpty() else { return nil }
        guard let date = CalendarDate.parse(value) else {
            problems.append(CustomerField.dateOfBirth.problem("must be a real date in the form YYYY-MM-DD", .invalidDate))
            return nil
        }
        if date > today {
            problems.append(CustomerField.dateOfBirth.problem("must not be in the future", .inFuture))
        }
        if let earliest = earliestDateOfBirth, date < earliest {
            problems.append(CustomerField.dateOfBirth.problem("must not be before \(earliest)", .beforeEarliest, ["earliest": "\(earliest)"]))
        }
        return date
    }

    /// At most 255 characters of digits, spaces and `+ - ( ) . /`, with at least 3 digits: loose enough for every
    /// national format, strict enough to keep letters and line breaks out.
    static func phone(_ raw: String?, problems: inout [Problem]) -> String? {
        guard let value = raw?.trimmedNonEmpty() else { return nil }
        if value.count > maximumPhoneLength {
            problems.append(CustomerField.phone.problem("must be at most \(maximumPhoneLength) characters", .tooLong, ["maximum": "\(maximumPhoneLength)"]))
        }
        if !value.allSatisfy({ isASCIIDigit($0) || phoneSymbols.contains($0) }) {
            problems.append(CustomerField.phone.problem("may contain only digits, spaces and + - ( ) . /", .phoneCharacters, ["allowed": "+ - ( ) . /"]))
        }
        if value.filter(isASCIIDigit).count < 3 {
            problems.append(CustomerField.phone.problem("must contain at least 3 digits", .tooFewDigits, ["minimum": "3"]))
        }
        return value
    }

    /// At most 100 characters; no control characters, for the same reasons as names (it is printed in tables
    /// and may appear in emails).
    static func company(_ raw: String?, problems: inout [Problem]) -> String? {
        guard let value = raw?.trimmedNonEmpty() else { return nil }
        if value.count > maximumCompanyLength {
            problems.append(CustomerField.company.problem("must be at most \(maximumCompanyLength) characters", .tooLong, ["maximum": "\(maximumCompanyLength)"]))
        }
        if value.containsControlCharacters {
            problems.append(CustomerField.company.problem("must not contain control characters (such as line breaks or tabs)", .controlCharacters))
        }
        return value
    }

    /// One of the store's locales (matched case-insensitively, stored in the store's spelling); absent means
    /// the store's default locale.
    static func locale(_ raw: String?, settings: StoreSettings, problems: inout [Problem]) -> String {
        guard let value = raw?.trimmedNonEmpty() else { return settings.defaultLocale }
        guard let canonical = SettingValueParser.locale(value), settings.locales.contains(canonical) else {
            problems.append(CustomerField.locale.problem("must be one of: \(settings.locales.joined(separator: ", "))", .notOneOf, ["allowed": settings.locales.joined(separator: ", ")]))
            return settings.defaultLocale
        }
        return canonical
    }

    private static func allowed<Value: CaseIterable & RawRepresentable>(_: Value.Type) -> String
    where Value.RawValue == String {
        Value.allCases.map(\.rawValue).joined(separator: ", ")
    }

    private static func isASCIIDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}
