extension CustomerDecider {
    /// The longest reason `forget` records.
    public static let forgetReasonMaxLength = 500

    /// One `CustomerForgotten`: the customer must exist and not be erased already, and the operator must give a
    /// reason (1–500 printable characters; it is kept in the log for the audit, so it must not quote the data).
    static func decideForget(
        reason: String, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let trimmed = reason.trimmed()
        var problems: [Problem] = []
        if trimmed.isEmpty {
            problems.append(Problem(field: "reason", message: "Reason is required: say why the customer's data is erased", rule: .required))
        } else if trimmed.count > forgetReasonMaxLength {
            problems.append(Problem(
                field: "reason", message: "Reason must have at most \(forgetReasonMaxLength) characters",
                rule: .tooLong, arguments: ["maximum": "\(forgetReasonMaxLength)"]))
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(Problem(field: "reason", message: "Reason must not contain control characters", rule: .controlCharacters))
        }
        guard problems.isEmpty else {
            throw DomainError(
                .validationFailed, "The erasure cannot be recorded: " + problems.map(\.message).joined(separator: "; "),
                problems: problems)
        }
        return [.forgotten(CustomerForgotten(forgottenAt: context.stamp, reason: trimmed))]
    }
}
