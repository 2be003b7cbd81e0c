import Foundation

/// The back office's URLs, built from values with every part percent-encoded (a search text or a reference
/// never changes a URL's shape).
enum BackOfficeURL {
    static let customers = "/backoffice/customers"
    static let newCustomer = "/backoffice/customers/new"
    static let customersCSV = "/backoffice/customers.csv"

    /// Letters, digits and `-._~`: everything else is encoded, in a path segment and in a query value alike.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `path?name=value&…`, leaving out empty values.
    static func with(_ path: String, _ query: [(String, String?)]) -> String {
        let parts = query.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(encode(name))=\(encode(value))"
        }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    /// `/backoffice/customers/DE--3` and its sub-pages (`…/edit`).
    static func customer(_ reference: String, _ subpage: String? = nil) -> String {
        customers + "/" + encode(reference) + (subpage.map { "/" + $0 } ?? "")
    }
}
