import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import TestSupport
import XCTest

/// A real store in a temporary folder and the back-office pages over it, called as the session gate calls them:
/// a request and the signed-in principal with the session's CSRF token.
final class PagesFixture {
    let folder = TemporaryDirectory("backoffice-pages")
    let service: CustomerService
    let pages: OperatorPages
    static let csrf = "csrf-token-of-this-session"

    init() throws {
        service = try CustomerService(directory: folder.path("store"))
        pages = OperatorPages(service: service)
    }

    deinit { folder.remove() }

    static func context(_ role: AccessRole, texts: BackOfficeTexts = .english) -> PageContext {
        PageContext(principal: Principal(kind: .operatorAccount, name: role == .viewer ? "vera" : "alice", role: role), csrfToken: csrf, texts: texts)
    }

    static func encoded(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return pairs.map { "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// A GET of `path` with `query` (or a whole `path?query` link as the pages render it, `&amp;` unescaped).
    func get(_ link: String, as role: AccessRole = .agent, texts: BackOfficeTexts = .english) throws -> HTTPResponse {
        let unescaped = link.replacingOccurrences(of: "&amp;", with: "&")
        let parts = unescaped.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts[0].removingPercentEncoding ?? parts[0]
        let query = try URLEncodedForm(parsing: Array((parts.count > 1 ? parts[1] : "").utf8)[...], what: "query")
        let request = HTTPRequest(method: .get, path: path, query: query)
        return try XCTUnwrap(try pages.respond(to: request, context: Self.context(role, texts: texts)), "no page at \(link)")
    }

    /// A form POST carrying this session's CSRF token unless `csrf` says otherwise.
    func post(
        _ path: String, _ fields: [(String, String)], as role: AccessRole = .agent, csrf: String? = PagesFixture.csrf,
        texts: BackOfficeTexts = .english
    ) throws -> HTTPResponse {
        let all = (csrf.map { [("_csrf", $0)] } ?? []) + fields
        let request = HTTPRequest(
            method: .post, path: path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array(Self.encoded(all).utf8))
        return try XCTUnwrap(try pages.respond(to: request, context: Self.context(role, texts: texts)), "no page at POST \(path)")
    }

    @discardableResult
    func createCustomer(_ email: String, first: String = "Anna", last: String = "Schmidt", company: String? = nil) throws -> String {
        try service.create(
            CustomerForm(email: email, salutation: "Ms", firstName: first, lastName: last, company: company),
            sendPasswordToken: false, metadata: CommandMetadata(actor: "test")
        ).reference ?? ""
    }
}

extension HTTPResponse {
    var html: String { String(decoding: body, as: UTF8.self) }
    var location: String? { headers["Location"] }
}

/// Small readers of rendered HTML for assertions.
enum HTMLFacts {
    /// The `id`s of the controls a person fills in (inputs that are not hidden, selects, textareas).
    static func controlIds(_ html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"<(input|select|textarea)([^>]*)>"#)
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).compactMap { match in
            let attributes = String(html[Range(match.range(at: 2), in: html)!])
            if attributes.contains("type=\"hidden\"") { return nil }
            return attribute("id", in: attributes)
        }
    }

    static func attribute(_ name: String, in attributes: String) -> String? {
        guard let start = attributes.range(of: " \(name)=\"") else { return nil }
        let rest = attributes[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The opening tag of the element with `id`.
    static func tag(withId id: String, in html: String) -> String? {
        guard let idRange = html.range(of: " id=\"\(id)\"") else { return nil }
        let start = html[..<idRange.lowerBound].lastIndex(of: "<")!
        let end = html[idRange.upperBound...].firstIndex(of: ">")!
        return String(html[start...end])
    }

    /// The hidden fields (name, value) of the form posting to `action`, but the CSRF token (which `post` adds):
    /// what a browser sends again when that rendering of the form is posted.
    static func hiddenFields(ofFormTo action: String, in html: String) -> [(String, String)] {
        guard let actionRange = html.range(of: " action=\"\(action)\""),
              let start = html[..<actionRange.lowerBound].range(of: "<form", options: .backwards),
              let end = html[actionRange.upperBound...].range(of: "</form>") else { return [] }
        let form = String(html[start.lowerBound..<end.lowerBound])
        let pattern = try! NSRegularExpression(pattern: #"<input([^>]*type="hidden"[^>]*)>"#)
        return pattern.matches(in: form, range: NSRange(form.startIndex..., in: form)).compactMap { match in
            let attributes = String(form[Range(match.range(at: 1), in: form)!])
            guard let name = attribute("name", in: attributes), name != "_csrf" else { return nil }
            return (name, attribute("value", in: attributes) ?? "")
        }
    }

    /// The hrefs of links, `&amp;` as rendered.
    static func href(ofId id: String, in html: String) -> String? {
        tag(withId: id, in: html).flatMap { attribute("href", in: $0) }
    }

    /// The rows of the table `id` (the text of each `<tr>` in its body, tags stripped).
    static func bodyRows(ofTable id: String, in html: String) -> [String] {
        guard let start = html.range(of: "<table id=\"\(id)\""), let body = html[start.upperBound...].range(of: "<tbody>"),
              let end = html[body.upperBound...].range(of: "</tbody>") else { return [] }
        let inner = String(html[body.upperBound..<end.lowerBound])
        return inner.components(separatedBy: "</tr>").dropLast().map { row in
            row.replacingOccurrences(of: "</td>", with: "|").replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
        }
    }
}
