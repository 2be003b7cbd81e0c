/// Decides whether a state-changing request (a form POST) comes from one of our own pages, to refuse cross-site
/// request forgery without tokens in forms.
///
/// Browsers say where a request comes from in two ways. `Sec-Fetch-Site` (every current browser) is decisive
/// when present: only `same-origin` is ours. Under `Referrer-Policy: no-referrer` a browser sends `Origin: null`
/// on the page's own form POST, so `Origin` can only confirm (equal to our origin) or refuse (another origin or
/// `null` without `Sec-Fetch-Site`). A request with neither field is not from a browser (curl, scripts), and a
/// forgery needs a browser, so it is allowed.
public enum SameOrigin {
    /// `allowedOrigins` are serialized origins, e.g. `http://127.0.0.1:8080` (scheme, host, port if not default,
    /// no path), typically from the configured base URL.
    public static func isAllowed(_ request: HTTPRequest, allowedOrigins: [String]) -> Bool {
        if let site = request.headers["Sec-Fetch-Site"] {
            return site.lowercased() == "same-origin"
        }
        guard let origin = request.headers["Origin"] else { return true }
        let normalized = origin.lowercased()
        return normalized != "null" && allowedOrigins.contains { $0.lowercased() == normalized }
    }

    /// The origin of a base URL such as `https://shop.example/account/` → `https://shop.example`; nil when it is not
    /// an absolute http(s) URL.
    public static func origin(ofBaseURL base: String) -> String? {
        let lowered = base.lowercased()
        guard let schemeEnd = lowered.range(of: "://") else { return nil }
        let scheme = lowered[..<schemeEnd.lowerBound]
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = lowered[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let defaultPort = scheme == "http" ? ":80" : ":443"
        let host = authority.hasSuffix(defaultPort) ? authority.dropLast(defaultPort.count) : authority
        return "\(scheme)://\(host)"
    }
}
