/// A customer is Unverified from creation until the verification link is followed (or an import says so).
public enum CustomerStatus: String, CaseIterable, Sendable {
    case unverified = "Unverified"
    case verified = "Verified"

    /// Case-insensitive, for `list --status verified`.
    public init?(matching text: String) {
        let lowered = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = match
    }
}
