import CustomerAggregate

/// The fields `list --search` looks in, folded (`TextFolding.fold`: case and accents ignored), with the number
/// each one has in a posting.
enum SearchFields {
    static let reference: UInt8 = 0
    static let email: UInt8 = 1
    static let firstName: UInt8 = 2
    static let lastName: UInt8 = 3
    static let company: UInt8 = 4
    static let phone: UInt8 = 5
    static let count = 6

    /// A place is `offset << fieldBits | field`.
    static let fieldBits = 3

    /// Places are 16-bit; text beyond this offset is not indexed (fields are ≤ 100 characters, ≤ 400 bytes, so
    /// this never bites).
    static let maxOffset = 4095


    /// Appends every trigram occurrence of the fields as `gram << 40 | row << 16 | place`, with
    /// `place = offset << fieldBits | field`, field by field and offset by offset (the order of a customer's places
    /// in an entry; any fixed order would do, search only asks whether a place is there).
    ///
    /// Each text is padded with two 0x01 bytes, so that every 1- and 2-byte substring is the *prefix* of some
    /// trigram ("ab" at the end of a field is the prefix of "ab␁"): a short query is then a key-range scan of
    /// the same index. Folded text never holds 0x01 (control characters are refused by validation), and a
    /// query holding one matches nothing.
    static func appendOccurrences(_ fields: [(field: UInt8, text: [UInt8])], row: UInt64, to result: inout [UInt64]) {
        for (field, text) in fields where !text.isEmpty {
            let count = min(text.count, maxOffset + 1)
            for offset in 0..<count {
                let b0 = UInt64(text[offset])
                let b1 = UInt64(offset + 1 < text.count ? text[offset + 1] : 1)
                let b2 = UInt64(offset + 2 < text.count ? text[offset + 2] : 1)
                let place = UInt64(offset) << UInt64(fieldBits) | UInt64(field)
                result.append((b0 << 16 | b1 << 8 | b2) << 40 | row << 16 | place)
            }
        }
    }
}
