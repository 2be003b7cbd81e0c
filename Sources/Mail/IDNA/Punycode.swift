/// The Punycode encoder of RFC 3492 (the Bootstring parameters for IDNA): the ASCII form of a Unicode label,
/// without the `xn--` prefix, e.g. `müller` → `mller-kva`.
///
/// Written from §6.3 of the RFC (its test vectors are in the tests). Only encoding is needed: we send mail, we
/// never read domains back.
public enum Punycode {
    private static let base: UInt32 = 36
    private static let tMin: UInt32 = 1
    private static let tMax: UInt32 = 26
    private static let skew: UInt32 = 38
    private static let damp: UInt32 = 700
    private static let initialBias: UInt32 = 72
    private static let initialN: UInt32 = 0x80

    /// The encoding fails only on overflow, which needs a label far longer than any domain may be.
    public struct Overflow: Error, Sendable, Equatable {}

    /// Encodes the code points of `text`, case preserved (IDNA lower-cases before, see `IDNA`).
    public static func encode(_ text: String) throws(Overflow) -> String {
        let input = text.unicodeScalars.map(\.value)
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = UInt32(output.count)
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }

        var n = initialN
        var delta: UInt32 = 0
        var bias = initialBias
        while handled < UInt32(input.count) {
            // The smallest code point not handled yet; every earlier one has been inserted.
            guard let next = input.filter({ $0 >= n }).min() else { break }
            let (step, stepOverflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            let (advanced, addOverflow) = delta.addingReportingOverflow(step)
            if stepOverflow || addOverflow { throw Overflow() }
            delta = advanced
            n = next
            for code in input {
                if code < n {
                    let (incremented, overflow) = delta.addingReportingOverflow(1)
                    if overflow { throw Overflow() }
                    delta = incremented
                }
                guard code == n else { continue }
                // Write delta as a generalized variable-length integer.
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta: delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// §6.1: the bias adaptation after each delta.
    private static func adapt(delta: UInt32, points: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0–25 → `a`–`z`, 26–35 → `0`–`9` (lower case, as IDNA wants).
    private static func digit(_ value: UInt32) -> UInt8 {
        value < 26 ? UInt8(value) + UInt8(ascii: "a") : UInt8(value - 26) + UInt8(ascii: "0")
    }
}
