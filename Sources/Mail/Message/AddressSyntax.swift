/// The address checks shared by `Mailbox.parse`, the renderer and the SMTP envelope.
///
/// Deliberately a plausibility check, not RFC 5321 validation (the customer's email rules are stricter and live in
/// the aggregate). What it guarantees is what this module needs: the address can be written between
/// `<` and `>` in a header and in `MAIL FROM:<…>`/`RCPT TO:<…>` without changing the meaning of the line.
/// Non-ASCII letters are fine (RFC 6531/6532 addresses; `EnvelopeAddress` decides how they travel); what could
/// end or garble a line never is.
enum AddressSyntax {
    /// Why an address cannot be used, or nil when it can.
    static func problem(with address: String) -> String? {
        if address.isEmpty { return "is empty" }
        if address.utf8.count > 254 { return "is longer than 254 bytes" }
        for scalar in address.unicodeScalars {
            if scalar.value < 0x21 || scalar.value == 0x7F {
                return scalar == " " ? "contains a space" : "contains a control character"
            }
            if scalar.value > 0x7E {
                switch scalar.properties.generalCategory {
                case .control, .lineSeparator, .paragraphSeparator, .spaceSeparator, .format:
                    return "contains the invisible or control character U+\(String(scalar.value, radix: 16, uppercase: true))"
                default:
                    continue
                }
            }
            if "<>\"(),;:[]\\".unicodeScalars.contains(scalar) {
                return "contains the character \"\(Character(scalar))\""
            }
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "must have the form local-part@domain"
        }
        return nil
    }

    static func isPlausible(_ address: String) -> Bool { problem(with: address) == nil }
}
