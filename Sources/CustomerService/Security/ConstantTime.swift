/// Comparison whose running time does not depend on where (or whether) two byte strings differ.
///
/// `==` on arrays stops at the first differing byte, so an attacker timing many guesses could learn
/// a valid MAC byte by byte. Here every byte is always visited and differences are OR-ed together,
/// leaving no data-dependent branch. Length is not secret (tokens have a fixed, public size), so a
/// length mismatch may and does return early.
public enum ConstantTime: Sendable {
    // Not inlined, so the optimiser cannot merge the loop into a caller and specialise it around
    // known contents.
    @inline(never)
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}
