/// The id of something a customer has several of (addresses `A1`, `A2`, …; notes `N1`, …): a letter and the
/// item's number in order of creation within that customer. Numbers are never reused, so an id printed once
/// always means the same item, even after it was removed.
public protocol CustomerItemID: Hashable, Sendable, Comparable, CustomStringConvertible {
    static var prefix: Character { get }
    var number: UInt32 { get }
    init(number: UInt32)
}

extension CustomerItemID {
    public var description: String { "\(Self.prefix)\(number)" }

    /// `A3` or `a3` (the prefix in any case); nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmed()
        guard let first = trimmed.first, first.uppercased() == String(Self.prefix) else { return nil }
        let digits = trimmed.dropFirst()
        guard String(digits).isASCIIDigits, digits.first != "0", let number = UInt32(digits) else { return nil }
        self.init(number: number)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}

public struct AddressID: CustomerItemID {
    public static let prefix: Character = "A"
    public let number: UInt32
    public init(number: UInt32) { self.number = number }
}

public struct NoteID: CustomerItemID {
    public static let prefix: Character = "N"
    public let number: UInt32
    public init(number: UInt32) { self.number = number }
}
