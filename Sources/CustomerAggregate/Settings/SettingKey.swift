/// The keys of `customer-es settings KEY VALUE`, spelled as the user types them.
public enum SettingKey: String, CaseIterable, Sendable {
    case referencePrefix = "reference-prefix"
    case locales
    case defaultLocale = "default-locale"
    case baseURL = "base-url"
    case sender
    case verificationTokenTTL = "verification-token-ttl"
    case passwordTokenTTL = "password-token-ttl"
    case deliveryMaxAttempts = "delivery-max-attempts"
    case deliveryBackoff = "delivery-backoff"
    case deliveryLease = "delivery-lease"
    case heloName = "helo-name"
    case signInRequiresVerified = "sign-in-requires-verified"
    case signInMaxFailures = "sign-in-max-failures"
    case signInLock = "sign-in-lock"

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
        case .deliveryMaxAttempts:
            return "a whole number of delivery attempts from 1 to \(StoreSettings.maximumDeliveryAttempts) (e.g. 31)"
        case .deliveryBackoff:
            return "FIRST,MAX: the delay after the first failed attempt, doubled after each further one up to MAX "
                + "(e.g. 30s,1h)"
        case .deliveryLease:
            return "how long a dispatcher holds the emails it is sending, a duration from 1s to 1d (e.g. 60s)"
        case .heloName:
            return "auto (this machine's fully qualified name) or a host name such as mail.example.com"
        case .signInRequiresVerified:
            return "true (only customers with a verified email address can sign in) or false"
        case .signInMaxFailures:
            return "the wrong passwords in a row that lock the account, a whole number from 1 to \(StoreSettings.maximumSignInFailures) (e.g. 5)"
        case .signInLock:
            return "FIRST,MAX: how long the first lock-out lasts, doubled for each further one up to MAX (e.g. 1m,15m)"
        }
    }

    /// The longest value accepted, in characters: 2 000 for a URL (what browsers and mail clients reliably keep
    /// in a link), an address's 254 plus a display name for the sender, a host name's 253, and room to spare for
    /// the short forms.
    public var maximumLength: Int {
        switch self {
        case .baseURL: return 2_000
        case .sender: return 400
        case .heloName: return 253
        case .locales: return 600
        case .referencePrefix, .defaultLocale, .verificationTokenTTL, .passwordTokenTTL, .deliveryMaxAttempts,
             .deliveryBackoff, .deliveryLease, .signInRequiresVerified, .signInMaxFailures, .signInLock:
            return 40
        }
    }

    /// The value a store starts with.
    public var defaultValue: String { StoreSettings.defaults.value(for: self) }
}
