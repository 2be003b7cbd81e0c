/// The texts of one locale. `{name}` becomes "First Last", `{link}` the caller's link.
///
/// Each paragraph is one line (the trailing `\` joins source lines): plain-text mail clients wrap to their own
/// width, and hard breaks at our width would leave ragged lines on narrow screens.
struct LocaleTexts: Sendable {
    struct Template: Sendable {
        let subject: String
        let body: String
    }

    let verification: Template
    let passwordSet: Template
    let passwordChanged: Template
    let emailChange: Template
    let emailChangeNotice: Template

    func template(for kind: EmailKind) -> Template {
        switch kind {
        case .verification: verification
        case .passwordSet: passwordSet
        case .passwordChanged: passwordChanged
        case .emailChange: emailChange
        case .emailChangeNotice: emailChangeNotice
        }
    }

    static let english = LocaleTexts(
        verification: Template(
            subject: "Thank you for signing up!",
            body: """
                Hello {name},

                thank you for signing up! Please confirm your email address by opening this link:

                {link}

                The link can be used once and expires after a while; you can ask for a new one at any time. \
                If you did not sign up, you can ignore this email.

                Kind regards
                Your customer service

                """
        ),
        passwordSet: Template(
            subject: "Set your password",
            body: """
                Hello {name},

                please set the password for your customer account by opening this link:

                {link}

                The link expires soon and only the most recent link works; you can ask for a new one at any \
                time. If you did not expect this email, you can ignore it.

                Kind regards
                Your customer service

                """
        ),
        passwordChanged: Template(
            subject: "Your password was changed",
            body: """
                Hello {name},

                the password for your customer account was just changed.

                If you did this, there is nothing more to do. If you did not, please contact our customer service \
                at once: {link}

                Kind regards
                Your customer service

                """
        ),
        emailChange: Template(
            subject: "Confirm your new email address",
            body: """
                Hello {name},

                please confirm that this is the new email address of your customer account by opening this link:

                {link}

                Until you do, your account keeps its current address. The link can be used once and expires after \
                a while. If you did not ask for this change, you can ignore this email.

                Kind regards
                Your customer service

                """
        ),
        emailChangeNotice: Template(
            subject: "Your email address is being changed",
            body: """
                Hello {name},

                your email address is being changed: a change of the email address of your customer account to \
                another address was asked for.

                If this was you, there is nothing more to do. If this was not you, please contact our customer \
                service at once: {link}

                Kind regards
                Your customer service

                """
        )
    )

    static let german = LocaleTexts(
        verification: Template(
            subject: "Vielen Dank für deine Anmeldung!",
            body: """
                Hallo {name},

                vielen Dank für deine Anmeldung! Bitte bestätige deine E-Mail-Adresse über diesen Link:

                {link}

                Der Link kann einmal verwendet werden und läuft nach einiger Zeit ab; du kannst jederzeit einen neuen \
                anfordern. Falls du dich nicht angemeldet hast, kannst du diese E-Mail ignorieren.

                Viele Grüße
                Dein Kundenservice

                """
        ),
        passwordSet: Template(
            subject: "Passwort festlegen",
            body: """
                Hallo {name},

                bitte lege das Passwort für dein Kundenkonto über diesen Link fest:

                {link}

                Der Link läuft bald ab, und nur der zuletzt verschickte Link ist gültig; du kannst jederzeit einen \
                neuen anfordern. Falls du diese E-Mail nicht erwartet hast, kannst du sie ignorieren.

                Viele Grüße
                Dein Kundenservice

                """
        ),
        passwordChanged: Template(
            subject: "Dein Passwort wurde geändert",
            body: """
                Hallo {name},

                das Passwort für dein Kundenkonto wurde soeben geändert.

                Wenn du das warst, ist nichts weiter zu tun. Wenn nicht, wende dich bitte sofort an unseren \
                Kundenservice: {link}

                Viele Grüße
                Dein Kundenservice

                """
        ),
        emailChange: Template(
            subject: "Bestätige deine neue E-Mail-Adresse",
            body: """
                Hallo {name},

                bitte bestätige über diesen Link, dass dies die neue E-Mail-Adresse deines Kundenkontos ist:

                {link}

                Bis dahin behält dein Konto seine bisherige Adresse. Der Link kann einmal verwendet werden und läuft \
                nach einiger Zeit ab. Falls du diese Änderung nicht angefordert hast, kannst du diese E-Mail ignorieren.

                Viele Grüße
                Dein Kundenservice

                """
        ),
        emailChangeNotice: Template(
            subject: "Deine E-Mail-Adresse wird geändert",
            body: """
                Hallo {name},

                deine E-Mail-Adresse wird geändert: Für dein Kundenkonto wurde eine Änderung der E-Mail-Adresse \
                auf eine andere Adresse angefordert.

                Wenn du das warst, ist nichts weiter zu tun. Wenn nicht, wende dich bitte sofort an unseren \
                Kundenservice: {link}

                Viele Grüße
                Dein Kundenservice

                """
        )
    )
}
