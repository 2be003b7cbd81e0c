import Foundation

/// RFC 2045 §6.7 quoted-printable decoding: `=XX` escapes become bytes, `=` at the end of a line is a soft break.
/// Lines are separated by `\n` (as in `ParsedMessage.rawBody`). Written from the RFC, independent of the `Mail`
/// module's encoder.
public func decodeQuotedPrintable(_ text: String) -> [UInt8] {
    var output: [UInt8] = []
    let lines = text.components(separatedBy: "\n")
    for (number, line) in lines.enumerated() {
        var bytes = Array(line.utf8)
        let soft = bytes.last == UInt8(ascii: "=")
        if soft { bytes.removeLast() }
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        if !soft && number < lines.count - 1 { output.append(UInt8(ascii: "\n")) }
    }
    return output
}
