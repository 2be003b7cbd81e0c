import Foundation

extension BackOfficeTexts {
    /// The texts for a browser's `Accept-Language` (`de-DE,de;q=0.9,en;q=0.8`): the first language, by
    /// weight, that has a table (matched by its language: `de` and `de-AT` both get de_DE), else `fallback` (the
    /// store's default locale), else English.
    public static func preferred(acceptLanguage: String?, fallback: String?) -> BackOfficeTexts {
        var ranked: [(language: String, weight: Double, order: Int)] = []
        for (order, part) in (acceptLanguage ?? "").split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { continue }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard weight > 0 else { continue }
            ranked.append((String(tag.prefix { $0 != "-" && $0 != "_" }).lowercased(), weight, order))
        }
        ranked.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }
        for candidate in ranked {
            if let texts = table.values.first(where: { $0.language == candidate.language }) { return texts }
        }
        return first(of: [fallback])
    }
}
