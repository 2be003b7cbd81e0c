extension CustomerDecider {
    /// One `CustomerEdited` with exactly the fields whose value changes, or no event when none does.
    ///
    /// Only the given fields are checked, each by the create form's rule, and every broken rule is reported at
    /// once: a customer whose untouched field no longer passes today's rules (a locale the store has since
    /// dropped) can still have a typo in a name fixed.
    static func decideEdit(
        _ command: EditCustomer, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        guard let current = state.profile else { return [] }
        var problems: [Problem] = []
        var edited = current
        for (field, raw) in command.givenValues {
            switch field {
            case .salutation:
                if let salutation = FieldRules.salutation(raw, problems: &problems) { edited.salutation = salutation }
            case .firstName:
                edited.firstName = FieldRules.name(raw, field: .firstName, problems: &problems)
            case .lastName:
                edited.lastName = FieldRules.name(raw, field: .lastName, problems: &problems)
            case .gender:
                edited.gender = FieldRules.gender(raw, problems: &problems)
            case .dateOfBirth:
                edited.dateOfBirth = FieldRules.dateOfBirth(raw, today: context.today, problems: &problems)
            case .phone:
                edited.phone = FieldRules.phone(raw, problems: &problems)
            case .company:
                edited.company = FieldRules.company(raw, problems: &problems)
            case .locale:
                // Required on a customer: an empty value would silently mean "the store's default" on create,
                // but on an existing customer it can only be a mistake.
                if raw.trimmedNonEmpty() == nil {
                    problems.append(CustomerField.locale.problem("is required", .required))
                } else {
                    edited.locale = FieldRules.locale(raw, settings: context.settings, problems: &problems)
                }
            case .email, .registered:
                continue  // not part of `EditCustomer.givenValues`
            }
        }
        guard problems.isEmpty else { throw CustomerValidation.failure(problems) }
        let changes = ProfileChange.changes(from: current, to: edited)
        return changes.isEmpty ? [] : [.edited(CustomerEdited(changes: changes))]
    }
}
