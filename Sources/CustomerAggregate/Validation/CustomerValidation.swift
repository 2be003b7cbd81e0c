/// Turns a `CustomerForm` into a `CustomerProfile`, or reports every broken rule at once.
///
/// Reporting all problems (not the first) spares a back-office user one round trip per mistake; the order of
/// `problems` follows the form (email, salutation, first name, …).
public enum CustomerValidation {
    /// - Parameters:
    ///   - today: the UTC day of the decision, for "date of birth must not be in the future"; passed in so that the
    ///     rule is testable and the function pure.
    ///   - emailAlreadyUsed: whether the uniqueness index already holds the email (case-insensitively); looked up
    ///     by the caller, because the index is not part of one customer's state.
    /// - Returns: the profile, or a `DomainError` with code `.emailAlreadyUsed` when that is the only problem and
    ///   `.validationFailed` otherwise.
    public static func validate(
        _ form: CustomerForm, settings: StoreSettings, today: CalendarDate, emailAlreadyUsed: Bool
    ) -> Result<CustomerProfile, DomainError> {
        var problems: [Problem] = []
        let email = FieldRules.email(form.email, alreadyUsed: emailAlreadyUsed, problems: &problems)
        let salutation = FieldRules.salutation(form.salutation, problems: &problems)
        let firstName = FieldRules.name(form.firstName, field: .firstName, problems: &problems)
        let lastName = FieldRules.name(form.lastName, field: .lastName, problems: &problems)
        let gender = FieldRules.gender(form.gender, problems: &problems)
        let dateOfBirth = FieldRules.dateOfBirth(form.dateOfBirth, today: today, problems: &problems)
        let phone = FieldRules.phone(form.phone, problems: &problems)
        let company = FieldRules.company(form.company, problems: &problems)
        let locale = FieldRules.locale(form.locale, settings: settings, problems: &problems)

        guard problems.isEmpty, let salutation else {
            return .failure(failure(problems))
        }
        return .success(CustomerProfile(
            email: email, salutation: salutation, firstName: firstName, lastName: lastName, gender: gender,
            dateOfBirth: dateOfBirth, phone: phone, company: company, locale: locale
        ))
    }

    /// The error for a non-empty list of problems.
    public static func failure(_ problems: [Problem]) -> DomainError {
        let onlyEmailTaken = problems == [CustomerField.email.problem("is already used", .alreadyUsed)]
        let summary = problems.map(\.message).joined(separator: "; ")
        return DomainError(
            onlyEmailTaken ? .emailAlreadyUsed : .validationFailed,
            "Invalid customer data: \(summary)",
            problems: problems
        )
    }
}
