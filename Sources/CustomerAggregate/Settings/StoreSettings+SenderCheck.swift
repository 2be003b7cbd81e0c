extension StoreSettings {
    /// A warning when the `sender` address is not fully qualified (its domain has no dot, or is `localhost`): relays
    /// that check it (Postfix's common `reject_non_fqdn_sender`) refuse every email from it. Nil when it looks fine.
    public var senderWarning: String? {
        guard let at = sender.lastIndex(of: "@") else { return nil }
        let domain = sender[sender.index(after: at)...].prefix { $0 != ">" }.lowercased()
        guard !domain.contains(".") || domain == "localhost" || domain.hasSuffix(".localhost") else { return nil }
        return "the sender address in \"\(sender)\" is not fully qualified (its domain \"\(domain)\" "
            + (domain.contains(".") ? "is a local name" : "has no dot")
            + "); relays that check it refuse every email: set a real one with `customer-es settings sender \"Shop <no-reply@example.com>\"`"
    }
}
