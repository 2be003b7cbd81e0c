import CustomerAggregate

/// What a back-office page knows about the request beyond its URL and form: who is signed in (from the session
/// the gate checked), the session's CSRF token (every form carries it back in `_csrf`), and the texts to speak.
public struct PageContext: Sendable {
    public let principal: Principal
    public let csrfToken: String
    public let texts: BackOfficeTexts

    public init(principal: Principal, csrfToken: String, texts: BackOfficeTexts = .english) {
        self.principal = principal
        self.csrfToken = csrfToken
        self.texts = texts
    }

    /// The name of the hidden field that carries `csrfToken` in every form.
    public static let csrfField = "_csrf"
    /// The name of the hidden field that carries a form's request id (the application's request log makes a
    /// second post of the same form, a double click or the back button, return the first outcome).
    public static let requestIdField = "_request"
}
