import Foundation

/// Domains in their ASCII form for relays without SMTPUTF8: each non-ASCII label becomes an IDNA A-label
/// (`xn--` + Punycode of the label in NFC, lower-cased), e.g. `müller.de` → `xn--mller-kva.de`.
///
/// The lower-casing is IDNA2008's (UTS #46 non-transitional) mapping for the letters an address uses: `ß` stays
/// `ß` (`straße` → `xn--strae-oqa`), it is not turned into `ss` as IDNA2003 did. ASCII labels are left exactly as
/// written (DNS compares them case-insensitively anyway).
public enum IDNA {
    /// RFC 1035: a DNS label has at most 63 octets, a name at most 253 (written without the final dot).
    static let maximumLabelBytes = 63
    static let maximumDomainBytes = 253

    /// Why a domain has no ASCII form.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func asciiDomain(_ domain: String) throws(Failure) -> String {
        if domain.utf8.allSatisfy({ $0 < 0x80 }) { return domain }
        var labels: [String] = []
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                labels.append(String(label))
                continue
            }
            let mapped = String(label).precomposedStringWithCanonicalMapping.lowercased()
            let encoded: String
            do {
                encoded = "xn--" + (try Punycode.encode(mapped))
            } catch {
                throw Failure(description: "the label \"\(label)\" cannot be written in Punycode")
            }
            guard encoded.utf8.count <= maximumLabelBytes else {
                throw Failure(description: "the label \"\(label)\" is \(encoded.utf8.count) octets as an A-label "
                    + "(\(encoded)), more than DNS allows (\(maximumLabelBytes))")
            }
            labels.append(encoded)
        }
        let ascii = labels.joined(separator: ".")
        guard ascii.utf8.count <= maximumDomainBytes else {
            throw Failure(description: "the domain is \(ascii.utf8.count) octets in its ASCII form, more than DNS allows (\(maximumDomainBytes))")
        }
        return ascii
    }
}
