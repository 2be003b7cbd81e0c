/// The name of an operator or an API key: what `operator:NAME` / `api-key:NAME` records as the actor of every
/// event written on its behalf, so it must be short, printable and unambiguous.
///
/// 1–64 characters of ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit; stored lower-cased
/// (`Alice` and `alice` are one operator), so that an actor name can never be told apart only by case.
public enum AccessName {
    public static let maximumLength = 64

    /// The canonical (lower-cased) name, or a problem on `field` saying what is wrong.
    public static func canonical(_ text: String, field: String) throws(DomainError) -> String {
        let trimmed = text.trimmed()
        let allowed = trimmed.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
        }
        let startsWell = trimmed.unicodeScalars.first.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) } ?? false
        guard !trimmed.isEmpty, trimmed.count <= maximumLength, allowed, startsWell else {
            let shown = String(trimmed.prefix(80)).escapingControlCharacters
            let message = "\(field) must be 1–\(maximumLength) ASCII letters, digits, '.', '_' or '-', starting with a letter or digit; got \"\(shown)\""
            throw DomainError(.validationFailed, message, problems: [Problem(
                field: field, message: message, rule: .invalidAccessName, arguments: ["maximum": "\(maximumLength)", "value": shown])])
        }
        return trimmed.lowercased()
    }

    /// The role named `text` (any case), or a problem on `role` listing the roles.
    public static func role(_ text: String) throws(DomainError) -> AccessRole {
        guard let role = AccessRole(rawValue: text.trimmed().lowercased()) else {
            let allowed = AccessRole.allCases.map(\.rawValue).joined(separator: ", ")
            let shown = String(text.prefix(40)).escapingControlCharacters
            let message = "role must be one of \(allowed); got \"\(shown)\""
            throw DomainError(.validationFailed, message, problems: [Problem(
                field: "role", message: message, rule: .unknownRole, arguments: ["value": shown, "allowed": allowed])])
        }
        return role
    }
}
