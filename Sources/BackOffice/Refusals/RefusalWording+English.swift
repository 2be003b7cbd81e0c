import CustomerAggregate

extension RefusalWording {
    /// The rules in the words of the domain's own messages, with the same labels, so that an English page says
    /// what the CLI says. No code has an English sentence: the domain's message is English already and names
    /// the customer or the value concerned, which a sentence of this table could not.
    static let english = RefusalWording(
        fieldLabels: [
            "email": "Email", "salutation": "Salutation", "first-name": "First name", "last-name": "Last name",
            "gender": "Gender", "date-of-birth": "Date of birth", "phone": "Phone", "company": "Company", "locale": "Locale",
            "registered": "Registered date", "created-at": "Created at",
            "address1": "Address line 1", "address2": "Address line 2", "address3": "Address line 3", "city": "City",
            "zip-code": "Zip code", "country": "Country", "comment": "Comment",
            "reason": "Reason", "message": "Message", "name": "Name", "role": "Role", "password": "Password",
            "customer": "Customer", "key": "Setting", "request-id": "Request id", "token": "Token",
            "address-id": "Address", "note-id": "Note",
        ],
        rules: [
            .required: { "\($0.label) is required" },
            .tooLong: { p in "\(p.label) must be at most \(p["maximum"]) characters" + (p["actual"].isEmpty ? "" : " (it has \(p["actual"]))") },
            .tooShort: { "\($0.label) must be at least \($0["minimum"]) characters long (it has \($0["actual"]))" },
            .tooManyBytes: { "\($0.label) must be at most \($0["maximum"]) bytes in UTF-8 (RFC 5321; a non-ASCII character takes 2–4)" },
            .forbiddenCharacters: { "\($0.label) must not contain any of \($0["characters"])" },
            .controlCharacters: { "\($0.label) must not contain control characters (such as line breaks or tabs)" },
            .controlCharactersBesideLineBreaks: { "\($0.label) must not contain control characters other than line breaks and tabs" },
            .notPrintable: { "\($0.label) must be printable text (no control or formatting characters)" },
            .invalidEmail: { "\($0.label) is not a valid address" },
            .alreadyUsed: { "\($0.label) is already used" },
            .notOneOf: { "\($0.label) must be one of: \($0["allowed"])" },
            .invalidDate: { "\($0.label) must be a real date in the form YYYY-MM-DD" },
            .inFuture: { "\($0.label) must not be in the future" },
            .beforeEarliest: { "\($0.label) must not be before \($0["earliest"])" },
            .afterRegistration: { "\($0.label) must not be after the registration" },
            .phoneCharacters: { "\($0.label) may contain only digits, spaces and \($0["allowed"])" },
            .tooFewDigits: { "\($0.label) must contain at least \($0["minimum"]) digits" },
            .invalidCountry: { "\($0.label) must be an ISO 3166-1 alpha-2 code such as DE, AT or US (\($0["value"]) is none)" },
            .unknownItem: { p in "There is no \(p.label.lowercased()) \(p["id"])" + (p["known"].isEmpty ? "" : "; there are \(p["known"])") },
            .reasonNotRecorded: { _ in "A reason is recorded only for a change without verification" },
            .caseOnlyChange: { "\($0.label) differs from the current address only in letter case; such a fix is made without verification, with a reason" },
            .containsNUL: { "\($0.label) must not contain a NUL character" },
            .containsPersonalData: { p in
                let part = ["emailLocalPart": "the email address's local part", "firstName": "the first name",
                            "lastName": "the last name", "operatorName": "the operator's name"][p["part"]] ?? p["part"]
                return "\(p.label) must not contain \(part)"
            },
            .commonPassword: { "\($0.label) is one of the most common passwords; choose one that is harder to guess" },
            .invalidAccessName: { "\($0.label) must be 1–\($0["maximum"]) ASCII letters, digits, '.', '_' or '-', starting with a letter or digit" },
            .unknownRole: { "\($0.label) must be one of \($0["allowed"])" },
            .nameTakenByOperator: { "\($0.label) is already used by an operator (names are never reused)" },
            .nameTakenByAPIKey: { "\($0.label) is already used by an API key (names are never reused)" },
            .unknownOperator: { _ in "There is no operator with this name" },
            .disabledOperator: { _ in "The operator is disabled" },
            .unknownAPIKey: { _ in "There is no active API key with this name" },
            .unknownSetting: { "There is no setting '\($0["value"])'; the settings are: \($0["known"])" },
            .invalidSettingValue: { p in
                let expected: String = SettingKey(rawValue: p["key"]).map { key in ": expected \(key.expectedForm)" } ?? ""
                return "'\(p["value"])' is not a valid value for \(p["key"])" + expected
            },
            .localesWithoutDefault: { "The locales must include the default locale \($0["default"]); change default-locale first" },
            .localeNotOffered: { "\($0.label) must be one of the store's locales: \($0["allowed"])" },
            .unknownCustomer: { "No customer has the reference or email \($0["value"])" },
            .unknownEmail: { "No email of the outbox has the id \($0["id"])" },
            .emailNotDead: { "The email \($0["id"]) is \($0["state"]); only dead emails can be retried" },
            .notSentOnPurpose: { "The email \($0["id"]) was not sent on purpose (\($0["reason"])); retrying cannot help" },
            .unknownToken: { _ in "This link is unknown" },
            .passwordTokenGiven: { _ in "This is a password-set link, not a verification link" },
            .invalidRequestId: { "The request id must be 1–\($0["maximum"]) characters" },
            .requestIdReused: { _ in "This form was already sent with other values; open it again" },
            .passwordTooManyBytes: { "\($0.label) must be at most \($0["maximum"]) bytes in UTF-8" },
        ],
        codes: [:],
        listCursor: [:],
        logCursor: [
            .notACursor: "This page link is not valid (it may be cut short); here is the newest page.",
            .forged: "This page link was altered or comes from another store; here is the newest page.",
            .otherFilter: "This page link belongs to another filter; here is the newest page of this one.",
        ]
    )
}
