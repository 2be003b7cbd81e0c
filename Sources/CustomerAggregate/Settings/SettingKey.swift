/// The keys of `customer-es settings KEY VALUE`, spelled as the user types them.
public enum SettingKey: String, CaseIterable, Sendable {
    case referencePrefix = "reference-prefix"
    case locales
    case defaultLocale = "default-locale"
    case baseURL = "base-url"
    case sender
    case verificationTokenTTL = "verification-token-ttl"
    case passwordTokenTTL = "password-token-ttl"

    /// Case-insensitive, surrounding whitespace ignored.
    public init?(matching text: String) {
        self.init(rawValue: text.trimmed().lowercased())
    }

    /// The accepted form of a value, as error messages and `settings --help` state it.
    public var expectedForm: String {
        switch self {
        case .referencePrefix: return "1–20 letters, digits or _ (e.g. DE)"
        case .locales: return "a comma-separated list of locales in the form ll_CC (e.g. en_US,de_DE)"
        case .defaultLocale: return "a locale in the form ll_CC that is one of the store's locales (e.g. en_US)"
        case .baseURL: return "an absolute http(s) URL without query or fragment (e.g. https://shop.example.com)"
        case .sender: return "a sender in the form Name <address> (e.g. Shop <no-reply@example.com>)"
        case .verificationTokenTTL, .passwordTokenTTL:
            return "a duration such as 90s, 15m, 2h or 7d (at most \(StoreSettings.maximumDurationDays)d)"
        }
    }

    /// The value a store starts with.
    public var defaultValue: String { StoreSettings.defaults.value(for: self) }
}
