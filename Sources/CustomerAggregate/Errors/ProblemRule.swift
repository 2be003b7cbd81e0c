extension Problem {
    /// Which rule a problem broke: a stable code (its raw value) that a front end keys its own wording by. An
    /// enum, so that the list of rules is complete by construction (`allCases`) and a new rule is one new case
    /// that the translations' test then asks a text for. The arguments each rule carries are listed beside it.
    public enum Rule: String, CaseIterable, Sendable {
        /// Said only in `message` (the rules of CLI-only input such as import rows): no front end words it.
        case unstated
        case required
        /// `maximum`; `actual` when the message says how many there were.
        case tooLong
        /// `minimum`, `actual`.
        case tooShort
        /// `maximum` (bytes of UTF-8).
        case tooManyBytes
        /// `characters`: the refused ones, separated by spaces.
        case forbiddenCharacters
        case controlCharacters
        /// Line breaks and tabs are allowed, other control characters not.
        case controlCharactersBesideLineBreaks
        /// Control or formatting (bidirectional) characters.
        case notPrintable
        case invalidEmail
        /// The email is another customer's (current or pending).
        case alreadyUsed
        /// `allowed`: the accepted values, comma-separated.
        case notOneOf
        case invalidDate
        case inFuture
        /// `earliest`.
        case beforeEarliest
        /// Import: the account's creation after its registration.
        case afterRegistration
        /// `allowed`: the accepted symbols beside digits.
        case phoneCharacters
        /// `minimum`.
        case tooFewDigits
        /// `value`.
        case invalidCountry
        /// `id`, `known` (the ids there are, comma-separated; empty when none).
        case unknownItem
        /// A reason was given for a change that records none.
        case reasonNotRecorded
        /// The new email differs from the current one only in letter case.
        case caseOnlyChange
        case containsNUL
        /// `part`: `emailLocalPart`, `firstName`, `lastName` or `operatorName`.
        case containsPersonalData
        case commonPassword
        /// `maximum`, `value`: an operator's or API key's name.
        case invalidAccessName
        /// `value`, `allowed`.
        case unknownRole
        case nameTakenByOperator
        case nameTakenByAPIKey
        case unknownOperator
        case disabledOperator
        case unknownAPIKey
        /// `value`, `known`.
        case unknownSetting
        /// `value`, `key`.
        case invalidSettingValue
        /// `default`: the store's default locale, which `locales` must keep.
        case localesWithoutDefault
        /// `allowed`: the store's locales.
        case localeNotOffered
        /// `value`: what named the customer.
        case unknownCustomer
        /// `id`.
        case unknownEmail
        /// `id`, `state`.
        case emailNotDead
        /// `id`, `reason`: a dead email held back on purpose (its customer erased, say), which a retry cannot send.
        case notSentOnPurpose
        case unknownToken
        /// A password-set token given where a verification token is taken.
        case passwordTokenGiven
        /// `maximum`.
        case invalidRequestId
        /// `maximum`: the hasher's limit in bytes.
        case passwordTooManyBytes
        case requestIdReused
    }
}
