import Foundation

/// The store-wide settings (reference prefix, locales, base URL, sender, token lifetimes, delivery), as the settings stream's events have left them.
///
/// The decider reads them through `DecisionContext` (token lifetimes, locales); they are plain values so that a
/// test can state "given these settings" without a store.
public struct StoreSettings: Sendable, Equatable {
    public var referencePrefix: String
    public var locales: [String]
    public var defaultLocale: String
    public var baseURL: String
    public var sender: String
    public var verificationTokenTTL: TimeInterval
    public var passwordTokenTTL: TimeInterval
    /// Failed delivery attempts after which an email is dead.
    public var deliveryMaxAttempts: Int
    /// The retry schedule: `first` after the first failed attempt, doubled after each further one, capped at
    /// `maximum`.
    public var deliveryBackoff: DeliveryBackoff
    /// How long a dispatcher's claim on an email lasts (it renews it while it works).
    public var deliveryLease: TimeInterval
    /// The name given in SMTP's EHLO/HELO; `auto` means this machine's fully qualified name.
    public var heloName: String
    /// Whether only Verified customers can sign in.
    public var signInRequiresVerified: Bool
    /// Wrong passwords in a row that lock the account.
    public var signInMaxFailures: Int
    /// How long lock-outs last: `first` for the first one, doubled for each further one before a successful
    /// sign-in, capped at `maximum` (the same doubling schedule as delivery retries).
    public var signInLock: DeliveryBackoff

    public init(
        referencePrefix: String = "DE",
        locales: [String] = ["en_US", "de_DE"],
        defaultLocale: String = "en_US",
        baseURL: String = "http://localhost:8080",
        sender: String = "Shop <no-reply@localhost>",
        verificationTokenTTL: TimeInterval = 7 * 86_400,
        passwordTokenTTL: TimeInterval = 2 * 3_600,
        deliveryMaxAttempts: Int = 31,
        deliveryBackoff: DeliveryBackoff = DeliveryBackoff(first: 30, maximum: 3_600),
        deliveryLease: TimeInterval = 60,
        heloName: String = StoreSettings.automaticHeloName,
        signInRequiresVerified: Bool = true,
        signInMaxFailures: Int = 5,
        signInLock: DeliveryBackoff = DeliveryBackoff(first: 60, maximum: 900)
    ) {
        self.referencePrefix = referencePrefix
        self.locales = locales
        self.defaultLocale = defaultLocale
        self.baseURL = baseURL
        self.sender = sender
        self.verificationTokenTTL = verificationTokenTTL
        self.passwordTokenTTL = passwordTokenTTL
        self.deliveryMaxAttempts = deliveryMaxAttempts
        self.deliveryBackoff = deliveryBackoff
        self.deliveryLease = deliveryLease
        self.heloName = heloName
        self.signInRequiresVerified = signInRequiresVerified
        self.signInMaxFailures = signInMaxFailures
        self.signInLock = signInLock
    }

    /// The settings of a store whose settings stream is empty.
    public static let defaults = StoreSettings()

    /// The canonical text of one setting: what `settings` prints and what a `SettingChanged` event carries.
    public func value(for key: SettingKey) -> String {
        switch key {
        case .referencePrefix: return referencePrefix
        case .locales: return locales.joined(separator: ",")
        case .defaultLocale: return defaultLocale
        case .baseURL: return baseURL
        case .sender: return sender
        case .verificationTokenTTL: return Self.formatDuration(verificationTokenTTL)
        case .passwordTokenTTL: return Self.formatDuration(passwordTokenTTL)
        case .deliveryMaxAttempts: return String(deliveryMaxAttempts)
        case .deliveryBackoff: return deliveryBackoff.description
        case .deliveryLease: return Self.formatDuration(deliveryLease)
        case .heloName: return heloName
        case .signInRequiresVerified: return signInRequiresVerified ? "true" : "false"
        case .signInMaxFailures: return String(signInMaxFailures)
        case .signInLock: return signInLock.description
        }
    }

    /// The settings after one recorded change. Total, like `evolve`: a value this version cannot parse (it never
    /// passed `SettingsDecider`) leaves the settings as they were instead of failing a replay.
    public func applying(_ change: SettingChanged) -> StoreSettings {
        var next = self
        let text = change.value
        switch change.key {
        case .referencePrefix:
            guard let value = SettingValueParser.referencePrefix(text) else { return self }
            next.referencePrefix = value
        case .locales:
            guard let value = SettingValueParser.locales(text) else { return self }
            next.locales = value
        case .defaultLocale:
            guard let value = SettingValueParser.locale(text) else { return self }
            next.defaultLocale = value
        case .baseURL:
            guard let value = SettingValueParser.baseURL(text) else { return self }
            next.baseURL = value
        case .sender:
            guard let value = SettingValueParser.sender(text) else { return self }
            next.sender = value
        case .verificationTokenTTL:
            guard let value = Self.parseDuration(text) else { return self }
            next.verificationTokenTTL = value
        case .passwordTokenTTL:
            guard let value = Self.parseDuration(text) else { return self }
            next.passwordTokenTTL = value
        case .deliveryMaxAttempts:
            guard let value = SettingValueParser.deliveryMaxAttempts(text) else { return self }
            next.deliveryMaxAttempts = value
        case .deliveryBackoff:
            guard let value = DeliveryBackoff(text) else { return self }
            next.deliveryBackoff = value
        case .deliveryLease:
            guard let value = SettingValueParser.deliveryLease(text) else { return self }
            next.deliveryLease = value
        case .heloName:
            guard let value = SettingValueParser.heloName(text) else { return self }
            next.heloName = value
        case .signInRequiresVerified:
            guard let value = SettingValueParser.boolean(text) else { return self }
            next.signInRequiresVerified = value
        case .signInMaxFailures:
            guard let value = SettingValueParser.signInMaxFailures(text) else { return self }
            next.signInMaxFailures = value
        case .signInLock:
            guard let value = DeliveryBackoff(text) else { return self }
            next.signInLock = value
        }
        return next
    }

    /// The settings after the whole settings stream, oldest change first.
    public static func replay<S: Sequence>(_ changes: S, from initial: StoreSettings = .defaults) -> StoreSettings
    where S.Element == SettingChanged {
        changes.reduce(initial) { $0.applying($1) }
    }
}
