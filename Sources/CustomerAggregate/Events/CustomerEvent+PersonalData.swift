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
        case .address(let event):
            return event.withoutPersonalData.map(CustomerEvent.address)
        case .note(let event):
            return event.withoutPersonalData.map(CustomerEvent.note)
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
        case .verificationRequested, .passwordTokenIssued, .emailVerified, .passwordSet,
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
            return event.erasedSummary
        case .note(let event):
            return event.erasedSummary
        case .emailChangeRequested, .emailChangeConfirmed, .emailChanged:
            return "Email address changed (addresses erased)"
        default:
            return summary
        }
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
