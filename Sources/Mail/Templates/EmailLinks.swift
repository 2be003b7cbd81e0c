/// The links in the emails: `<base-url>/register/confirm?token=…&_locale=…` and
/// `<base-url>/password/restore?token=…&_locale=…`. The storefront owns these routes; we only build the URLs.
extension EmailTemplates {
    /// `<baseURL>/register/confirm?token=<token>&_locale=<locale>`
    public static func verificationLink(baseURL: String, token: String, locale: String) -> String {
        link(baseURL: baseURL, path: "/register/confirm", token: token, locale: locale)
    }

    /// `<baseURL>/password/restore?token=<token>&_locale=<locale>`
    public static func passwordSetLink(baseURL: String, token: String, locale: String) -> String {
        link(baseURL: baseURL, path: "/password/restore", token: token, locale: locale)
    }

    /// Trailing slashes of the base URL are dropped (`http://shop/` and `http://shop` give the same link), and the
    /// query values are percent-encoded. Tokens are URL-safe already, so in practice they pass unchanged; the
    /// encoding guards against a token or locale that would otherwise end the parameter early (`&`, `#`, `=`).
    private static func link(baseURL: String, path: String, token: String, locale: String) -> String {
        var base = Substring(baseURL.trimmingSpaces())
        while base.hasSuffix("/") { base = base.dropLast() }
        return "\(base)\(path)?token=\(percentEncodedQueryValue(token))&_locale=\(percentEncodedQueryValue(locale))"
    }

    /// Keeps RFC 3986 unreserved characters and percent-encodes every other UTF-8 byte.
    static func percentEncodedQueryValue(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
