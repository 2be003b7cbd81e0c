/// Who is acting through the back office or the admin API: a signed-in operator or an API key, with its role.
/// Its `actorName` is what every event written on its behalf records as the actor, so that `history` and `audit`
/// name the person or key rather than whatever a client claims.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case operatorAccount = "operator"
        case apiKey = "api-key"
    }

    public let kind: Kind
    public let name: String
    public let role: AccessRole

    public init(kind: Kind, name: String, role: AccessRole) {
        self.kind = kind
        self.name = name
        self.role = role
    }

    /// `operator:alice`, `api-key:crm-sync`.
    public var actorName: String { "\(kind.rawValue):\(name)" }
}
