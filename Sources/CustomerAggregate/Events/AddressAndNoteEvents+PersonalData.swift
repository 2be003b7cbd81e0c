/// What erasure leaves of address events: the ids, the defaults, the salutation and which fields were set or
/// changed; every other value (names, company, street lines, city, zip code, country, phone, comment) is
/// personal data and blanked. Shaped like the customer events' `withoutPersonalData`, so the right-to-erasure
/// machinery can keep the blanked event in the log and the whole one where erasing can delete it.
extension AddressEvent {
    /// nil for an event without personal data (`AddressRemoved`).
    public var withoutPersonalData: AddressEvent? {
        switch self {
        case .added(var event):
            event.address = event.address.withoutPersonalData
            return .added(event)
        case .edited(var event):
            event.changes = event.changes.map { change in
                AddressFieldChange(change.field, change.field.isPersonalData ? change.value.map { _ in "" } : change.value)
            }
            return .edited(event)
        case .removed:
            return nil
        }
    }

    /// `summary` once the values are erased (no name or place in it).
    public var erasedSummary: String {
        switch self {
        case .added(let event): return "Address \(event.addressId) added (values erased)"
        case .edited(let event): return summary.replacingOccurrences(of: "Address \(event.addressId) edited:", with: "Address \(event.addressId) edited (values erased):")
        case .removed: return summary
        }
    }
}

extension AddressField {
    /// Everything but the salutation (which the customer's own erasure keeps too).
    public var isPersonalData: Bool { self != .salutation }
}

extension PostalAddress {
    /// The same fields present, each personal value blank.
    public var withoutPersonalData: PostalAddress {
        var result = PostalAddress()
        for (field, value) in presentFields { result[field] = field.isPersonalData ? "" : value }
        return result
    }
}

extension AddressBook {
    /// The book as erasure leaves it: the ids and defaults, no values.
    public var withoutPersonalData: AddressBook {
        var result = self
        result.blankValues()
        return result
    }
}

extension NoteEvent {
    /// A note's message and a withdrawal reason may name anyone: blanked. The author and the withdrawer are
    /// operators (actors, as in every event's metadata) and stay.
    public var withoutPersonalData: NoteEvent? {
        switch self {
        case .added(var event):
            event.message = ""
            return .added(event)
        case .withdrawn(var event):
            guard event.reason != nil else { return nil }
            event.reason = ""
            return .withdrawn(event)
        }
    }

    public var erasedSummary: String {
        switch self {
        case .added(let event): return "Note \(event.noteId) added by \(event.author) (text erased)"
        case .withdrawn(let event): return "Note \(event.noteId) withdrawn by \(event.withdrawnBy)" + (event.reason == nil ? "" : " (reason erased)")
        }
    }
}

extension Array where Element == CustomerNote {
    /// The notes as erasure leaves them: ids, authors and times, no text.
    public var withoutPersonalData: [CustomerNote] {
        map { note in
            var blank = note
            blank.message = ""
            if blank.withdrawal?.reason != nil { blank.withdrawal?.reason = "" }
            return blank
        }
    }
}
