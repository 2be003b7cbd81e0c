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

    func template(for kind: EmailKind) -> Template {
        switch kind {
        case .verification: verification
        case .passwordSet: passwordSet
        case .passwordChanged: passwordChanged
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
        )
    )
}
