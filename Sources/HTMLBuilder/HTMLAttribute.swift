/// An attribute: a name from a fixed list and a value that is always quoted and escaped. URL-valued attributes
/// (`href`, `action`) accept only relative URLs and http(s)/mailto ones; anything else (`javascript:`, `data:`)
/// is replaced by `about:invalid#refused`, which goes nowhere.
public struct HTMLAttribute: Sendable, Equatable {
    let name: String
    /// nil for a boolean attribute written without a value (`required`).
    let value: String?

    private init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }

    var rendered: String {
        guard let value else { return " \(name)" }
        return " \(name)=\"\(HTMLEscaping.attribute(value))\""
    }

    public static func id(_ value: String) -> HTMLAttribute { HTMLAttribute("id", value) }
    public static func `class`(_ value: String) -> HTMLAttribute { HTMLAttribute("class", value) }
    public static func lang(_ value: String) -> HTMLAttribute { HTMLAttribute("lang", value) }
    public static func charset(_ value: String) -> HTMLAttribute { HTMLAttribute("charset", value) }
    /// `<meta name=… content=…>`, e.g. the viewport.
    public static func content(_ value: String) -> HTMLAttribute { HTMLAttribute("content", value) }
    public static func rel(_ value: String) -> HTMLAttribute { HTMLAttribute("rel", value) }
    public static func href(_ url: String) -> HTMLAttribute { HTMLAttribute("href", safeURL(url)) }
    public static func action(_ url: String) -> HTMLAttribute { HTMLAttribute("action", safeURL(url)) }
    /// `post` or `get`: forms that change something are posted.
    public static func method(_ value: FormMethod) -> HTMLAttribute { HTMLAttribute("method", value.rawValue) }
    public static func type(_ value: String) -> HTMLAttribute { HTMLAttribute("type", value) }
    public static func name(_ value: String) -> HTMLAttribute { HTMLAttribute("name", value) }
    public static func value(_ value: String) -> HTMLAttribute { HTMLAttribute("value", value) }
    public static func `for`(_ id: String) -> HTMLAttribute { HTMLAttribute("for", id) }
    public static func autocomplete(_ value: String) -> HTMLAttribute { HTMLAttribute("autocomplete", value) }
    public static func minlength(_ value: Int) -> HTMLAttribute { HTMLAttribute("minlength", String(value)) }
    public static func maxlength(_ value: Int) -> HTMLAttribute { HTMLAttribute("maxlength", String(value)) }
    public static func role(_ value: String) -> HTMLAttribute { HTMLAttribute("role", value) }
    public static func ariaDescribedBy(_ id: String) -> HTMLAttribute { HTMLAttribute("aria-describedby", id) }
    public static func ariaLive(_ value: String) -> HTMLAttribute { HTMLAttribute("aria-live", value) }
    /// `col` on a table's header cells.
    public static func scope(_ value: String) -> HTMLAttribute { HTMLAttribute("scope", value) }
    /// `ascending`/`descending` on the header cell of the column a table is sorted by.
    public static func ariaSort(_ value: String) -> HTMLAttribute { HTMLAttribute("aria-sort", value) }
    public static func ariaLabel(_ value: String) -> HTMLAttribute { HTMLAttribute("aria-label", value) }
    /// `page` on the navigation link of the page being shown.
    public static func ariaCurrent(_ value: String) -> HTMLAttribute { HTMLAttribute("aria-current", value) }
    /// `true` on a field whose value broke a rule.
    public static func ariaInvalid(_ value: Bool) -> HTMLAttribute { HTMLAttribute("aria-invalid", value ? "true" : "false") }
    /// The granularity of a date or time input (`1`: seconds).
    public static func step(_ value: String) -> HTMLAttribute { HTMLAttribute("step", value) }
    public static func rows(_ value: Int) -> HTMLAttribute { HTMLAttribute("rows", String(value)) }
    public static let required = HTMLAttribute("required", nil)
    public static let selected = HTMLAttribute("selected", nil)
    public static let checked = HTMLAttribute("checked", nil)
    /// On a form whose rules the server checks and reports beside each field (one set of rules, not the browser's).
    public static let novalidate = HTMLAttribute("novalidate", nil)
    public static let autofocus = HTMLAttribute("autofocus", nil)

    public enum FormMethod: String, Sendable {
        case get
        case post
    }

    /// Relative references (`/path`, `?query`, `#part`, `path`) and absolute http, https and mailto URLs; a
    /// scheme-relative `//host` is refused too (it leaves the site).
    static func safeURL(_ url: String) -> String {
        let lowered = url.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("mailto:") { return url }
        if lowered.hasPrefix("//") || lowered.hasPrefix("/\\") { return refusedURL }
        // A colon before any /, ? or # means a scheme (javascript:, data:, vbscript:, …).
        let beforePath = lowered.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if beforePath.contains(":") { return refusedURL }
        // Browsers drop tabs and line breaks inside URLs, so "java\tscript:" would be a scheme after all.
        if lowered.unicodeScalars.contains(where: { $0.value < 0x20 }) { return refusedURL }
        return url
    }

    static let refusedURL = "about:invalid#refused"
}
