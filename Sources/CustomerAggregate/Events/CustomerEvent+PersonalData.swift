/// What the log keeps of each customer event: the event with its personal fields blanked (see
/// `EventFamily.withoutPersonalData`). The salutation, the locale and which fields an edit touched are not
/// personal data here; names, email, gender, birth date, phone and company are.
extension CustomerEvent {
    public var withoutPersonalData: CustomerEvent? {
        switch self {
        case .created(var event):
            event.profile = event.profile.withoutPersonalData
            return .created(event)
        case .edited(let event):
            return .edited(CustomerEdited(changes: event.changes.map(\.withoutPersonalData)))
        case .address(.added(var event)):
            event.address = event.address.withoutPersonalData
            return .address(.added(event))
        case .address(.edited(var event)):
            event.changes = event.changes.map { AddressFieldChange($0.field, $0.value.map { _ in "" }) }
            return .address(.edited(event))
        case .note(.added(var event)):
            event.message = ""
            return .note(.added(event))
        case .note(.withdrawn(var event)):
            // The operator's reason may quote the note.
            event.reason = event.reason.map { _ in "" }
            return .note(.withdrawn(event))
        case .emailChangeRequested(var event):
            event.email = ""
            return .emailChangeRequested(event)
        case .emailChangeConfirmed(var event):
            event.previousEmail = ""
            event.email = ""
            return .emailChangeConfirmed(event)
        case .emailChanged(var event):
            // The reason of a typo fix usually quotes the address.
            event.previousEmail = ""
            event.email = ""
            event.reason = ""
            return .emailChanged(event)
        case .address(.removed), .verificationRequested, .passwordTokenIssued, .emailVerified, .passwordSet,
             .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .forgotten:
            return nil
        }
    }

    public var erasedSummary: String {
        switch self {
        case .created(let event):
            let verb = event.origin == .import ? "imported" : "created"
            return "Customer \(event.reference) \(verb) (\(CustomerStatus.unverified.rawValue)): erased customer \(event.reference)"
        case .edited(let event):
            return "Customer edited: " + event.changes.map { $0.field.label.lowercased() }.joined(separator: ", ")
                + " (values erased)"
        case .address(let event):
            return "Address \(event.addressId) " + {
                switch event {
                case .added: return "added"
                case .edited: return "edited"
                case .removed: return "removed"
                }
            }() + " (values erased)"
        case .note(.added(let event)):
            return "Note \(event.noteId) added by \(event.author) (text erased)"
        case .emailChangeRequested, .emailChangeConfirmed, .emailChanged:
            return "Email address changed (addresses erased)"
        default:
            return summary
        }
    }
}

extension PostalAddress {
    /// The same fields present, each blank (which lines an address had is no personal data).
    public var withoutPersonalData: PostalAddress {
        var result = PostalAddress()
        for (field, _) in presentFields { result[field] = "" }
        return result
    }
}

extension CustomerProfile {
    /// The profile as erasure leaves it: the salutation and locale stay, everything else is blank.
    public var withoutPersonalData: CustomerProfile {
        CustomerProfile(email: "", salutation: salutation, firstName: "", lastName: "", locale: locale)
    }
}

extension ProfileChange {
    /// The same field, its value blanked (salutation and locale are kept).
    public var withoutPersonalData: ProfileChange {
        switch self {
        case .salutation, .locale: return self
        case .firstName: return .firstName("")
        case .lastName: return .lastName("")
        case .gender: return .gender(nil)
        case .dateOfBirth: return .dateOfBirth(nil)
        case .phone: return .phone(nil)
        case .company: return .company(nil)
        }
    }
}
