import Foundation

extension CustomerDecider {
    /// A new Unverified customer, a verification email, and (with the flag) a password-set email.
    static func decideCreate(
        _ command: CreateCustomer, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireAbsent(state)
        let profile = try validate(command.form, emailAlreadyUsed: command.emailAlreadyUsed, context: context)
        var passwordTokenId: UUID?
        if command.sendPasswordToken {
            guard let id = command.passwordTokenId else {
                throw DomainError(.invalidCommand, "A password token was requested without a token id")
            }
            passwordTokenId = id
        }
        var events: [CustomerEvent] = [
            .created(CustomerCreated(
                customerId: command.customerId, reference: command.reference, profile: profile,
                createdAt: context.stamp, origin: .backOffice
            )),
            .verificationRequested(VerificationRequested(
                tokenId: command.verificationTokenId,
                expiresAt: context.instant(after: context.settings.verificationTokenTTL),
                reason: .signUp
            )),
        ]
        if let passwordTokenId {
            events.append(.passwordTokenIssued(PasswordTokenIssued(
                tokenId: passwordTokenId, expiresAt: context.instant(after: context.settings.passwordTokenTTL)
            )))
        }
        return events
    }

    /// A customer from a platform export. With `registeredAt` it is created (at `createdAt`, else then) and
    /// verified at that instant; otherwise it is created at `createdAt` (else now), Unverified, with a verification
    /// email only if a token id is given. Times in the future, or a creation after the registration, are refused.
    static func decideImport(
        _ command: ImportCustomer, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireAbsent(state)
        var problems: [Problem] = []
        if let registeredAt = command.registeredAt, registeredAt > context.now {
            problems.append(CustomerField.registered.problem("must not be in the future", .inFuture))
        }
        if let createdAt = command.createdAt {
            if createdAt > context.now {
                problems.append(Problem(field: "created-at", message: "must not be in the future", rule: .inFuture))
            } else if let registeredAt = command.registeredAt, createdAt > registeredAt {
                problems.append(Problem(field: "created-at", message: "must not be after the registration", rule: .afterRegistration))
            }
        }
        let validation = CustomerValidation.validate(
            command.form, settings: context.settings, today: context.today, emailAlreadyUsed: command.emailAlreadyUsed
        )
        let profile: CustomerProfile
        switch validation {
        case .success(let valid) where problems.isEmpty:
            profile = valid
        case .success:
            throw CustomerValidation.failure(problems)
        case .failure(let error):
            throw CustomerValidation.failure(error.problems + problems)
        }

        // The password comes last, so that an import's creation and registration stay next to each other.
        let password: [CustomerEvent] = command.passwordAlgorithm.map {
            [.passwordSet(PasswordSet(setAt: context.stamp, source: .import, tokenId: nil, algorithm: $0))]
        } ?? []
        if let registeredAt = command.registeredAt.map(UTCTime.roundedToMicroseconds) {
            return [
                .created(CustomerCreated(
                    customerId: command.customerId, reference: command.reference, profile: profile,
                    createdAt: command.createdAt.map(UTCTime.roundedToMicroseconds) ?? registeredAt, origin: .import
                )),
                .emailVerified(EmailVerified(verifiedAt: registeredAt, tokenId: nil)),
            ] + password
        }
        var events: [CustomerEvent] = [
            .created(CustomerCreated(
                customerId: command.customerId, reference: command.reference, profile: profile,
                createdAt: command.createdAt.map(UTCTime.roundedToMicroseconds) ?? context.stamp, origin: .import
            )),
        ]
        if let tokenId = command.verificationTokenId {
            events.append(.verificationRequested(VerificationRequested(
                tokenId: tokenId, expiresAt: context.instant(after: context.settings.verificationTokenTTL),
                reason: .import
            )))
        }
        return events + password
    }

    private static func requireAbsent(_ state: CustomerState) throws(DomainError) {
        guard !state.exists else {
            throw DomainError(.customerAlreadyExists, "\(state.displayName) already exists")
        }
    }

    private static func validate(
        _ form: CustomerForm, emailAlreadyUsed: Bool, context: DecisionContext
    ) throws(DomainError) -> CustomerProfile {
        switch CustomerValidation.validate(
            form, settings: context.settings, today: context.today, emailAlreadyUsed: emailAlreadyUsed
        ) {
        case .success(let profile): return profile
        case .failure(let error): throw error
        }
    }
}
