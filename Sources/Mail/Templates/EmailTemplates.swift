/// Subject and plain-text body of each email, per locale.
///
/// The texts live in code rather than in files: there are two kinds in two locales, they are part of the
/// product's promise (the verification subjects are fixed: "Thank you for signing up!" / "Vielen Dank für
/// deine Anmeldung!"), and code keeps them checked by the compiler and tests.
public enum EmailTemplates {
    /// The locale used for any locale without its own texts.
    public static let fallbackLocale = "en_US"

    /// The locales with their own texts.
    public static var supportedLocales: [String] { texts.keys.sorted() }

    /// The subject and body for `kind` in `locale` (exact `ll_CC` identifier; any other falls back to `en_US`).
    ///
    /// `link` is inserted as is, on a line of its own, so mail clients make it clickable and never wrap it; build
    /// it with `verificationLink(baseURL:token:locale:)` or `passwordSetLink(baseURL:token:locale:)`.
    public static func content(
        kind: EmailKind, locale: String, firstName: String, lastName: String, link: String
    ) -> (subject: String, body: String) {
        let localeTexts = texts[locale] ?? texts[fallbackLocale] ?? LocaleTexts.english
        let fullName = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        let template = localeTexts.template(for: kind)
        let body = fillPlaceholders(template.body, with: ["name": fullName, "link": link])
        return (template.subject, body)
    }

    private static let texts: [String: LocaleTexts] = [
        "en_US": .english,
        "de_DE": .german,
    ]
}

/// Replaces each `{key}` in one pass, so a value that itself contains `{link}` or `{name}` stays literal text.
/// Unknown keys and unmatched braces are kept as written.
private func fillPlaceholders(_ template: String, with values: [String: String]) -> String {
    var result = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
        result += rest[..<open]
        let afterOpen = rest.index(after: open)
        if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
            result += value
            rest = rest[rest.index(after: close)...]
        } else {
            result.append("{")
            rest = rest[afterOpen...]
        }
    }
    return result + rest
}
