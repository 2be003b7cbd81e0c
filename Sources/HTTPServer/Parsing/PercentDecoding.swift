/// Strict percent-decoding: every `%` is followed by two hex digits and the bytes are valid UTF-8, or the
/// request is malformed (400). Lenient decoders that pass `%zz` or invalid UTF-8 through let two layers disagree
/// about what a value is.
enum PercentDecoding {
    /// Decodes `bytes` (a path, or a query/form name or value with `plusIsSpace`).
    static func decode(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool, what: String) throws(HTTPError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw HTTPError(.badRequest, "bad percent-encoding in the \(what)")
                }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw HTTPError(.badRequest, "the \(what) is not valid UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
