/// Optional on the profile; the platform offers exactly these two values.
public enum Gender: String, CaseIterable, Sendable {
    case male = "Male"
    case female = "Female"

    /// Case-insensitive (`male`, `FEMALE`), normalised to the platform's spelling.
    public init?(matching text: String) {
        let lowered = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = match
    }
}
