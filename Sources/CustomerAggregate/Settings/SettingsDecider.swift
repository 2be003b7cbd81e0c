/// Decides `customer-es settings KEY VALUE`: validates the value against the key's rule (each
/// key's format and limits are in `SettingValueParser`) and the other settings (`default-locale` must be one of `locales`).
public enum SettingsDecider {
    /// - Returns: one `SettingChanged` with the canonical value, or nothing when the setting already has that
    ///   value (so that repeating a command does not fill the audit trail).
    /// - Throws: `.invalidSetting` for an unknown key, a malformed value, a `default-locale` that is not one of
    ///   the `locales`, or `locales` without the current default locale. The problem names the setting (or
    ///   `key` when the key itself is unknown).
    public static func decide(key: String, value: String, current: StoreSettings) throws(DomainError) -> [SettingChanged] {
        guard let settingKey = SettingKey(matching: key) else {
            let known = SettingKey.allCases.map(\.rawValue).joined(separator: ", ")
            let shown = String(key.prefix(60)).escapingControlCharacters
            let message = "Unknown setting '\(shown)'; the settings are: \(known)"
            throw DomainError(.invalidSetting, message, problems: [Problem(
                field: "key", message: message, rule: .unknownSetting, arguments: ["value": shown, "known": known])])
        }
        // A cap before any parsing: a setting is copied into every email and every `settings` listing.
        guard value.count <= settingKey.maximumLength else {
            throw refuse(
                settingKey, "\(settingKey.rawValue) must be at most \(settingKey.maximumLength) characters, got \(value.count)",
                .tooLong, ["maximum": "\(settingKey.maximumLength)", "actual": "\(value.count)"])
        }
        let canonical = try canonicalValue(of: value, for: settingKey, current: current)
        guard canonical != current.value(for: settingKey) else { return [] }
        return [SettingChanged(key: settingKey, value: canonical)]
    }

    private static func canonicalValue(
        of text: String, for key: SettingKey, current: StoreSettings
    ) throws(DomainError) -> String {
        let parsed: String?
        switch key {
        case .referencePrefix:
            parsed = SettingValueParser.referencePrefix(text)
        case .locales:
            guard let locales = SettingValueParser.locales(text) else { throw invalid(key, text) }
            guard locales.contains(current.defaultLocale) else {
                throw refuse(
                    key,
                    "locales must include the default locale \(current.defaultLocale); change default-locale first",
                    .localesWithoutDefault, ["default": current.defaultLocale],
                    remedy: .changeSetting(key: SettingKey.defaultLocale.rawValue, example: locales[0])
                )
            }
            parsed = locales.joined(separator: ",")
        case .defaultLocale:
            guard let locale = SettingValueParser.locale(text) else { throw invalid(key, text) }
            guard current.locales.contains(locale) else {
                throw refuse(
                    key,
                    "default-locale must be one of the store's locales: \(current.locales.joined(separator: ", "))",
                    .localeNotOffered, ["allowed": current.locales.joined(separator: ", ")]
                )
            }
            parsed = locale
        case .baseURL:
            parsed = SettingValueParser.baseURL(text)
        case .sender:
            parsed = SettingValueParser.sender(text)
        case .verificationTokenTTL, .passwordTokenTTL:
            parsed = StoreSettings.parseDuration(text).map(StoreSettings.formatDuration)
        case .deliveryMaxAttempts:
            parsed = SettingValueParser.deliveryMaxAttempts(text).map(String.init)
        case .deliveryBackoff:
            parsed = DeliveryBackoff(text)?.description
        case .deliveryLease:
            parsed = SettingValueParser.deliveryLease(text).map(StoreSettings.formatDuration)
        case .heloName:
            parsed = SettingValueParser.heloName(text)
        case .signInRequiresVerified:
            parsed = SettingValueParser.boolean(text).map { $0 ? "true" : "false" }
        case .signInMaxFailures:
            parsed = SettingValueParser.signInMaxFailures(text).map(String.init)
        case .signInLock:
            parsed = DeliveryBackoff(text)?.description
        }
        guard let parsed else { throw invalid(key, text) }
        return parsed
    }

    private static func invalid(_ key: SettingKey, _ text: String) -> DomainError {
        refuse(
            key, "Invalid value '\(text.escapingControlCharacters)' for \(key.rawValue): expected \(key.expectedForm)",
            .invalidSettingValue, ["value": text.escapingControlCharacters, "key": key.rawValue])
    }

    private static func refuse(
        _ key: SettingKey, _ message: String, _ rule: Problem.Rule, _ arguments: [String: String], remedy: Remedy? = nil
    ) -> DomainError {
        DomainError(
            .invalidSetting, message,
            problems: [Problem(field: key.rawValue, message: message, rule: rule, arguments: arguments)], remedy: remedy)
    }
}
