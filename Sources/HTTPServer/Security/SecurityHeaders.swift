/// The fields every page of ours sends, so that a browser treats it as what it is: a self-contained page with
/// forms and a stylesheet, no scripts, never framed, never cached, whose URL (which may carry a token) never
/// reaches another site.
public enum SecurityHeaders {
    /// No scripts, frames, plugins or foreign resources; stylesheets and form posts only to this origin;
    /// `base-uri 'none'` so an injected `<base>` cannot redirect relative form actions.
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Applied by `HTTPServerConfiguration` to every answer by default (an answer that sets a field keeps its own).
    public static let standard: HTTPHeaders = [
        "Content-Security-Policy": contentSecurityPolicy,
        // The token is in the page's URL; with no Referer at all it cannot leak through a link or a stylesheet
        // request. Consequence: the browser's own form POST carries `Origin: null` (see `SameOrigin`).
        "Referrer-Policy": "no-referrer",
        // Pages show personal data and tokens; no shared or browser cache may keep them.
        "Cache-Control": "no-store",
        // A body is only what its Content-Type says (no sniffing text into HTML or script).
        "X-Content-Type-Options": "nosniff",
    ]
}
