import Foundation

/// A fresh random id for a form's request id field, lower-case like every id the CLI prints.
enum UUIDText {
    static func random() -> String { UUID().uuidString.lowercased() }
}
