/// What an address needs on the wire: ASCII as it is, or UTF-8 (RFC 6531 `SMTPUTF8`), or its ASCII form for a relay
/// without `SMTPUTF8`.
///
/// Only the domain has an ASCII form (IDNA A-labels, `IDNA.asciiDomain`). A non-ASCII local part has none: RFC 6530
/// and its successors deliberately define no downgrade, since only the receiving server knows what its mailboxes
/// are called. Such an address can only be delivered through a relay that offers `SMTPUTF8`.
public enum EnvelopeAddress {
    /// Why an address cannot be written in ASCII.
    public enum ASCIIProblem: Error, Sendable, Equatable {
        /// The part before the `@` is not ASCII.
        case localPartNeedsSMTPUTF8
        /// The domain has no valid A-label form.
        case domain(IDNA.Failure)
    }

    /// True when the address is all ASCII and goes into any envelope or header as it is.
    public static func isASCII(_ address: String) -> Bool {
        address.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The address with its domain in A-label form (`info@xn--mller-kva.de`); ASCII addresses unchanged.
    public static func asciiForm(of address: String) throws(ASCIIProblem) -> String {
        if isASCII(address) { return address }
        guard let at = address.lastIndex(of: "@") else { throw .localPartNeedsSMTPUTF8 }
        let local = address[..<at]
        guard isASCII(String(local)) else { throw .localPartNeedsSMTPUTF8 }
        do {
            return local + "@" + (try IDNA.asciiDomain(String(address[address.index(after: at)...])))
        } catch {
            throw .domain(error)
        }
    }
}
