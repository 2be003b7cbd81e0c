import CustomerAggregate

/// Every text of the storefront pages in one locale, one table per locale like the email templates. A page
/// never concatenates user data into these: values are placed beside them by the HTML builder, which escapes.
struct PageTexts: Sendable {
    /// The locale these texts are for (`en_US`), carried in the forms' `_locale` so the next page speaks it too.
    let identifier: String

    /// The `lang` of the page: `de_DE` → `de`.
    var language: String { String(identifier.prefix { $0 != "_" }) }

    let confirmTitle: String
    let confirmLead: String
    let confirmButton: String
    let confirmedTitle: String
    let confirmedLead: String
    let alreadyConfirmedTitle: String
    let alreadyConfirmedLead: String

    let unknownLinkTitle: String
    let unknownLinkLead: String
    let usedLinkTitle: String
    let usedLinkLead: String
    let expiredLinkTitle: String
    let expiredLinkLead: String
    let supersededLinkTitle: String
    let supersededLinkLead: String

    let resendHeading: String
    let emailLabel: String
    let resendButton: String
    let resendEmailMissing: String
    let resendDoneTitle: String
    let resendDoneLead: String

    let passwordTitle: String
    let passwordLead: String
    let newPasswordLabel: String
    let repeatPasswordLabel: String
    let passwordButton: String
    let passwordMismatch: String
    let passwordMissing: String
    /// The password policy's rules (`PasswordPolicy`), by the rule a problem broke, from its arguments.
    let passwordRules: [Problem.Rule: @Sendable ([String: String]) -> String]
    /// A refused password whose problem has no sentence in `passwordRules`.
    let passwordRefused: String
    let passwordSetTitle: String
    let passwordSetLead: String
    let newPasswordLinkHint: String

    let signInFailed: String

    let crossSiteTitle: String
    let crossSiteLead: String
    let tooManyTitle: String
    let tooManyLead: String

    static let english = PageTexts(
        identifier: "en_US",
        confirmTitle: "Confirm your email address",
        confirmLead: "Please confirm that this email address belongs to you.",
        confirmButton: "Confirm my email address",
        confirmedTitle: "Your email address is confirmed.",
        confirmedLead: "Thank you. You can close this page.",
        alreadyConfirmedTitle: "Your email address is already confirmed.",
        alreadyConfirmedLead: "There is nothing more to do. You can close this page.",
        unknownLinkTitle: "This link is not valid",
        unknownLinkLead: "The link is incomplete or unknown. Check that you opened the whole link from the email, or ask for a new email below.",
        usedLinkTitle: "This link was already used",
        usedLinkLead: "Each link works once, and this one has been used. If you still need to confirm your address, ask for a new email below.",
        expiredLinkTitle: "This link has expired",
        expiredLinkLead: "Links stop working after a while. Ask for a new email below.",
        supersededLinkTitle: "This link was replaced by a newer one",
        supersededLinkLead: "Only the link in the latest email works. Use that one, or ask for a new email below.",
        resendHeading: "Send me a new email",
        emailLabel: "Email address",
        resendButton: "Send a new email",
        resendEmailMissing: "Enter the email address you signed up with.",
        resendDoneTitle: "Check your inbox",
        resendDoneLead: "If an account with this email address is waiting for confirmation, we have sent a new email to it. The link in it replaces any earlier one.",
        passwordTitle: "Set your password",
        passwordLead: "Choose a password of 12 to 128 characters that you do not use anywhere else.",
        newPasswordLabel: "New password",
        repeatPasswordLabel: "Repeat the new password",
        passwordButton: "Set password",
        passwordMismatch: "The two passwords are not the same.",
        passwordMissing: "Enter the new password twice.",
        passwordRules: [
            .tooShort: { "The password must be at least \($0["minimum"] ?? "") characters long (it has \($0["actual"] ?? ""))." },
            .tooLong: { "The password must be at most \($0["maximum"] ?? "") characters long (it has \($0["actual"] ?? ""))." },
            .passwordTooManyBytes: { "The password must be at most \($0["maximum"] ?? "") bytes long in UTF-8; use a shorter one." },
            .containsNUL: { _ in "The password must not contain a NUL character." },
            .containsPersonalData: { arguments in
                let part = ["emailLocalPart": "the part of your email address before the @", "firstName": "your first name",
                            "lastName": "your last name"][arguments["part"] ?? ""] ?? "your name"
                return "The password must not contain \(part)."
            },
            .commonPassword: { _ in "This is one of the most common passwords; choose one that is harder to guess." },
        ],
        passwordRefused: "This password does not meet the password rules.",
        passwordSetTitle: "Your password is set.",
        passwordSetLead: "You can now sign in with your email address and the new password.",
        newPasswordLinkHint: "Ask our customer service for a new link to set your password.",
        signInFailed: "The email address or the password is not correct.",
        crossSiteTitle: "This form was refused",
        crossSiteLead: "It was sent from another website. Open the link from your email again and use the form on this site.",
        tooManyTitle: "Too many attempts",
        tooManyLead: "Please wait a few minutes, then try again."
    )

    static let german = PageTexts(
        identifier: "de_DE",
        confirmTitle: "E-Mail-Adresse bestätigen",
        confirmLead: "Bitte bestätige, dass diese E-Mail-Adresse dir gehört.",
        confirmButton: "Meine E-Mail-Adresse bestätigen",
        confirmedTitle: "Deine E-Mail-Adresse ist bestätigt.",
        confirmedLead: "Vielen Dank. Du kannst diese Seite schließen.",
        alreadyConfirmedTitle: "Deine E-Mail-Adresse ist bereits bestätigt.",
        alreadyConfirmedLead: "Es ist nichts weiter zu tun. Du kannst diese Seite schließen.",
        unknownLinkTitle: "Dieser Link ist ungültig",
        unknownLinkLead: "Der Link ist unvollständig oder unbekannt. Prüfe, ob du den ganzen Link aus der E-Mail geöffnet hast, oder fordere unten eine neue E-Mail an.",
        usedLinkTitle: "Dieser Link wurde bereits verwendet",
        usedLinkLead: "Jeder Link funktioniert einmal, und dieser wurde schon verwendet. Falls du deine Adresse noch bestätigen musst, fordere unten eine neue E-Mail an.",
        expiredLinkTitle: "Dieser Link ist abgelaufen",
        expiredLinkLead: "Links funktionieren nur eine gewisse Zeit. Fordere unten eine neue E-Mail an.",
        supersededLinkTitle: "Dieser Link wurde durch einen neueren ersetzt",
        supersededLinkLead: "Nur der Link in der neuesten E-Mail funktioniert. Verwende diesen oder fordere unten eine neue E-Mail an.",
        resendHeading: "Neue E-Mail anfordern",
        emailLabel: "E-Mail-Adresse",
        resendButton: "Neue E-Mail senden",
        resendEmailMissing: "Gib die E-Mail-Adresse ein, mit der du dich angemeldet hast.",
        resendDoneTitle: "Sieh in deinem Postfach nach",
        resendDoneLead: "Falls ein Konto mit dieser E-Mail-Adresse auf die Bestätigung wartet, haben wir eine neue E-Mail dorthin gesendet. Der Link darin ersetzt alle früheren.",
        passwordTitle: "Passwort festlegen",
        passwordLead: "Wähle ein Passwort mit 12 bis 128 Zeichen, das du nirgends sonst verwendest.",
        newPasswordLabel: "Neues Passwort",
        repeatPasswordLabel: "Neues Passwort wiederholen",
        passwordButton: "Passwort festlegen",
        passwordMismatch: "Die beiden Passwörter stimmen nicht überein.",
        passwordMissing: "Gib das neue Passwort zweimal ein.",
        passwordRules: [
            .tooShort: { "Das Passwort muss mindestens \($0["minimum"] ?? "") Zeichen lang sein (es sind \($0["actual"] ?? ""))." },
            .tooLong: { "Das Passwort darf höchstens \($0["maximum"] ?? "") Zeichen lang sein (es sind \($0["actual"] ?? ""))." },
            .passwordTooManyBytes: { "Das Passwort darf in UTF-8 höchstens \($0["maximum"] ?? "") Bytes lang sein; wähle ein kürzeres." },
            .containsNUL: { _ in "Das Passwort darf kein NUL-Zeichen enthalten." },
            .containsPersonalData: { arguments in
                let part = ["emailLocalPart": "den Teil deiner E-Mail-Adresse vor dem @", "firstName": "deinen Vornamen",
                            "lastName": "deinen Nachnamen"][arguments["part"] ?? ""] ?? "deinen Namen"
                return "Das Passwort darf \(part) nicht enthalten."
            },
            .commonPassword: { _ in "Das ist eines der häufigsten Passwörter; wähle eines, das schwerer zu erraten ist." },
        ],
        passwordRefused: "Dieses Passwort erfüllt die Passwortregeln nicht.",
        passwordSetTitle: "Dein Passwort ist festgelegt.",
        passwordSetLead: "Du kannst dich jetzt mit deiner E-Mail-Adresse und dem neuen Passwort anmelden.",
        newPasswordLinkHint: "Bitte unseren Kundenservice um einen neuen Link zum Festlegen deines Passworts.",
        signInFailed: "Die E-Mail-Adresse oder das Passwort ist nicht korrekt.",
        crossSiteTitle: "Dieses Formular wurde abgelehnt",
        crossSiteLead: "Es wurde von einer anderen Website gesendet. Öffne den Link aus deiner E-Mail erneut und verwende das Formular auf dieser Seite.",
        tooManyTitle: "Zu viele Versuche",
        tooManyLead: "Bitte warte ein paar Minuten und versuche es dann erneut."
    )

    /// What the password form says for a refused password: a sentence per broken rule, in this language.
    func say(passwordRefusal refused: DomainError) -> [String] {
        let said = refused.problems.filter { $0.field == PasswordPolicy.field }.map { problem in
            passwordRules[problem.rule].map { $0(problem.arguments) } ?? passwordRefused
        }
        return said.isEmpty ? [passwordRefused] : said
    }

    /// The locales with their own texts (exact `ll_CC` identifiers, as customers and settings name them).
    static let table: [String: PageTexts] = ["en_US": english, "de_DE": german]

    /// The texts of the first of `candidates` that has its own table (the request's `_locale`, the customer's
    /// locale, the store's default), else English.
    static func first(of candidates: [String?]) -> PageTexts {
        for candidate in candidates {
            if let candidate, let texts = table[candidate] { return texts }
        }
        return english
    }
}
