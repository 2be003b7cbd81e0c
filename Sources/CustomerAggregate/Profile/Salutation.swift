/// The formal salutation, with the platform's spellings as raw values (they are what users type and see).
public enum Salutation: String, CaseIterable, Sendable {
    case mr = "Mr"
    case mrs = "Mrs"
    case ms = "Ms"
    case dr = "Dr"
    case notApplicable = "n/a"

    /// Case-insensitive, so that `mrs` or `N/A` from a spreadsheet is not rejected for its spelling.
    public init?(matching text: String) {
        let lowered = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = match
    }
}
