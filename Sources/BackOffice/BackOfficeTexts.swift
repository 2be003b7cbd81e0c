import CustomerAggregate

/// Every text of the back-office pages in one locale, one table per locale like the storefront's `PageTexts`.
/// Values (names, emails) are placed beside these by the HTML builder, which escapes them; a page never
/// concatenates user data into a text. The domain's refusals are worded by `refusals`, from their codes.
public struct BackOfficeTexts: Sendable {
    /// `en_US`, `de_DE`.
    public let identifier: String
    /// The `lang` of the page: `de_DE` → `de`.
    public var language: String { String(identifier.prefix { $0 != "_" }) }

    let productName: String
    let navCustomers, navAudit, navOutbox, navSettings, navOperators: String
    let signedInAs: String
    let signOut: String

    let customersTitle: String
    let addCustomer: String
    let downloadCSV: String
    let columnReference, columnCreated, columnEmail, columnLastName, columnFirstName, columnStatus, columnActions: String
    let open: String
    let statusFilterLabel, statusAny, searchLabel, filterButton: String
    let customerCount: @Sendable (Int) -> String
    let nextPage, firstPage: String
    /// The Email column of an erased customer's row (its names show "—").
    let erasedCustomer: String
    let noCustomers: String
    let sortAscending, sortDescending: String

    let newCustomerTitle: String
    let fieldLabels: [CustomerField: String]
    let sendPasswordTokenLabel: String
    let save: String
    let cancel: String
    let chooseOption: String
    let storeDefaultLocale: String
    let formHasProblems: String

    let flashes: [Flash: String]

    let customerTitle: @Sendable (String) -> String
    let detailsHeading, emailsHeading, addressesHeading, notesHeading, historyHeading, actionsHeading: String
    let asOfLabel, asOfButton, asOfNow: String
    let asOfShowing: @Sendable (String) -> String
    let noEmails, noAddresses, noNotes: String
    /// The customer page's email table: the Link column, and what it says of a link.
    let emailLink: String
    let linkWorksUntil: @Sendable (String) -> String
    let linkSpent, noLink: String
    let historyWhen, historyWho, historyWhat, historyChanges: String
    let editCustomer, editTitle: String
    let changeEmailLabel, changeEmailButton: String
    let addAddress, addAddressTitle, defaultBillingLabel, defaultShippingLabel: String
    let noteLabel, addNoteButton: String
    let resendVerification, sendPasswordToken: String
    let forget, forgetTitle, forgetLead, forgetReasonLabel, forgetButton: String

    let auditTitle, auditSince, auditUntil, auditCustomer, auditTo, auditFrom, auditCause, auditActor: String
    let auditNothing: String
    /// The paging links of the Audit and Outbox pages (newest first).
    let olderPage, newestPage: String
    /// The Outbox page ended at its share of the log before it was full: "searched back to" that time.
    let searchedBackTo: @Sendable (String) -> String

    let outboxTitle, outboxState, outboxKind, outboxRecipient, outboxQueued, outboxAttempts, outboxLastError: String
    let retry, retryAllDead: String
    let outboxNothing: String

    let settingsTitle, settingKey, settingValue, settingChange: String

    let forbiddenTitle, forbiddenLead: String
    let notFoundTitle, notFoundLead: String
    let badRequestTitle: String
    let csrfRefusedLead: String

    /// The label of a shown value by its key (`CustomerShape`'s names); the shape's English label otherwise.
    func label(ofShown value: CustomerFieldValue) -> String {
        if let field = CustomerField.profileFields.first(where: { $0.jsonName == value.name }), let label = fieldLabels[field] {
            return label
        }
        return shownLabels[value.name] ?? value.label
    }

    let shownLabels: [String: String]

    let operatorsTitle, operatorName, operatorRole, operatorAdded, operatorLastSignIn, operatorState: String
    let operatorActive, operatorDisabled, disableOperator, addOperatorHeading, operatorPassword, addOperatorButton: String

    let signInTitle, signInName, signInPassword, signInButton, signInRefused: String
    let tooManySignInsTitle, tooManySignInsLead: String
    let formRefusedTitle, formRefusedLead: String

    /// The pages' own refusals of what they parse before any command (a date filter, a role, a retry form).
    let auditSinceInvalid, auditUntilInvalid, asOfInvalid, operatorRoleInvalid, retryNoneNamed: String
    /// The domain's refusals (broken rules, conflicts, not found) in this language.
    let refusals: RefusalWording

    public static let table: [String: BackOfficeTexts] = ["en_US": english, "de_DE": german]

    /// The texts of the first of `candidates` that has its own table, else English.
    public static func first(of candidates: [String?]) -> BackOfficeTexts {
        for candidate in candidates {
            if let candidate, let texts = table[candidate] { return texts }
        }
        return english
    }
}
