import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
import Projections

/// The application layer of customer-es: each public method is one command or query, run against the store
/// in one transaction. Commands load the customer's history, let the pure `CustomerDecider` decide, and append
/// the events — with the lookups, the list view and the request log updated in the same write transaction.
///
/// Because the decision is taken *inside* the write transaction (LMDB has one writer across processes), two
/// processes racing on the same email or the same customer are serialized: the second sees the first's events.
public final class CustomerService: Sendable {
    public let store: EventStore
    public let directory: CustomerDirectory
    public let storeDirectory: URL
    let tokens: TokenCodec
    let clock: @Sendable () -> Date

    /// Every read model, kept up to date inline by every writer and rebuildable from the log.
    public static let catalog = ProjectionCatalog([CustomerDirectory(), CustomerListView(), EmailOutbox()])

    public static let settingsStream = "settings"

    /// The tables kept beside the projections': the request log, the dispatchers' leases, the credentials, and the rebuild's
    /// shadow tables and bookkeeping. Declared here so that every process opens all of them with the store.
    static let additionalTables = [RequestLog.table, OutboxLeases.table, ReferenceReservation.table, CredentialTable.table]
        + AccessTables.all + catalog.additionalTables

    /// Opens the store in `directory`: `.readWrite` creates it when the folder is absent or empty, `.readOnly`
    /// writes nothing (and refuses a missing store). `lockTimeout` bounds how long a write waits for another
    /// process's writer; `onWaitingForWriter` is told (with that writer's pid when known) after a second.
    public init(
        directory: URL, clock: @escaping @Sendable () -> Date = { Date() }, access: EventStore.Access = .readWrite,
        lockTimeout: TimeInterval? = nil, onWaitingForWriter: (@Sendable (Int32?) -> Void)? = nil
    ) throws {
        storeDirectory = directory
        self.clock = clock
        store = try EventStore(
            directory: directory,
            options: EventStore.Options(clock: clock, lockTimeout: lockTimeout, onWaitingForWriter: onWaitingForWriter),
            projections: Self.catalog.inlineProjections, additionalTables: Self.additionalTables, access: access)
        self.directory = CustomerDirectory()
        tokens = TokenCodec(key: try Self.tokenKey(of: store, in: directory))
    }

    /// The key is created only together with a new store (or one whose log is still empty); a store with events
    /// and no key is refused, so that links already mailed never silently die.
    private static func tokenKey(of store: EventStore, in directory: URL) throws -> TokenKey {
        if store.access == .readWrite { TokenKey.removeStaleTemporaryFiles(inDirectory: directory) }
        if store.wasCreated { return try TokenKey.loadOrCreate(inDirectory: directory) }
        if let key = try TokenKey.load(inDirectory: directory) { return key }
        guard try store.headPosition() == 0 else {
            throw TokenKeyError.missing(path: directory.appendingPathComponent(TokenKey.fileName).path)
        }
        // An empty log has minted no token yet. A reader must not write, and has nothing to check a token against.
        return store.access == .readWrite ? try TokenKey.loadOrCreate(inDirectory: directory) : TokenKey.generate()
    }

    /// Whether `directory` holds anything a store left (an empty or absent folder does not): what a read needs
    /// before it opens, so that "no store yet" and "a damaged store" are told apart.
    public static func storeExists(at directory: URL) -> Bool {
        StoreFolder(directory).holdsAnything
    }

    // MARK: Commands

    public func create(_ form: CustomerForm, sendPasswordToken: Bool, metadata: CommandMetadata) throws -> CommandOutcome {
        let ids = NewCustomerIDs.draw(sendPasswordToken: sendPasswordToken)
        return try execute(metadata, fingerprint: Self.createFingerprint(form, sendPasswordToken: sendPasswordToken)) { writer, settings, now in
            try create(form, ids: ids, metadata: metadata, writer: writer, settings: settings, now: now)
        }
    }

    /// What a retry of a create must repeat exactly (`--request-id`, `Idempotency-Key`).
    static func createFingerprint(_ form: CustomerForm, sendPasswordToken: Bool) -> [UInt8] {
        RequestLog.fingerprint([
            "create", form.email, form.salutation, form.firstName, form.lastName, form.gender ?? "\u{1}",
            form.dateOfBirth ?? "\u{1}", form.phone ?? "\u{1}", form.company ?? "\u{1}", form.locale ?? "\u{1}",
            sendPasswordToken ? "token" : "no-token",
        ])
    }

    /// Creates many customers in one write transaction (one durable commit): the batched path of bulk loads and
    /// benchmarks. Each command is decided on its own; a rejected one writes nothing and the others still land.
    public func createMany(_ forms: [(form: CustomerForm, sendPasswordToken: Bool)], metadata: CommandMetadata) throws -> [Result<CommandOutcome, DomainError>] {
        let ids = forms.map { NewCustomerIDs.draw(sendPasswordToken: $0.sendPasswordToken) }
        return try store.write { writer in
            let settings = try loadSettings(in: writer)
            let now = try writer.recordingTime()
            return try zip(forms, ids).map { item, ids in
                do {
                    return .success(try create(item.form, ids: ids, metadata: metadata, writer: writer, settings: settings, now: now))
                } catch let error as DomainError {
                    return .failure(error)
                }
            }
        }
    }

    func create(
        _ form: CustomerForm, ids: NewCustomerIDs, metadata: CommandMetadata, writer: StoreWriter,
        settings: StoreSettings, now: Date
    ) throws -> CommandOutcome {
        let id = ids.customerId
        // After every reference in use and every one an import has reserved.
        let last = max(try directory.lastReferenceNumber(in: writer), try ReferenceReservation.reservedUpTo(in: writer))
        let reference = CustomerReference(prefix: settings.referencePrefix, number: last + 1)
        let command = CreateCustomer(
            customerId: id, reference: reference, form: form, sendPasswordToken: ids.passwordTokenId != nil,
            emailAlreadyUsed: try directory.isEmailTaken(form.email, byAnyoneBut: nil, at: now, in: writer),
            verificationTokenId: ids.verificationTokenId, passwordTokenId: ids.passwordTokenId)
        let events = try CustomerDecider.decide(.create(command), state: CustomerDecider.initialState, context: DecisionContext(now: now, settings: settings))
        let result = try append(events, to: id, expected: .noStream, metadata: metadata, writer: writer)
        var outcome = CommandOutcome(
            customerId: id, reference: reference.description, message: "Customer was created successfully.",
            lastPosition: result.lastPosition, queuedEmails: events.map(\.queuedEmailCount).reduce(0, +))
        outcome.createdState = events.reduce(CustomerDecider.initialState, CustomerDecider.evolve)
        return outcome
    }

    public func sendPasswordToken(to customer: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try execute(metadata, fingerprint: RequestLog.fingerprint(["send-password-token", customer])) { writer, settings, now in
            let (id, state, version) = try loadCustomer(customer, in: writer)
            return try decideAndAppend(
                .sendPasswordToken(tokenId: TokenCodec.newTokenId()), to: id, state: state, version: version,
                message: "Password token was queued.", settings: settings, now: now, metadata: metadata, writer: writer)
        }
    }

    public func resendVerification(to customer: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try store.write { try resendVerification(to: customer, metadata: metadata, in: $0) }
    }

    /// The command inside a write transaction that may hold other commands too (group commit).
    func resendVerification(to customer: String, metadata: CommandMetadata, in writer: StoreWriter) throws -> CommandOutcome {
        try execute(metadata, fingerprint: RequestLog.fingerprint(["resend-verification", customer]), in: writer) { writer, settings, now in
            let (id, state, version) = try loadCustomer(customer, in: writer)
            return try decideAndAppend(
                .resendVerification(tokenId: TokenCodec.newTokenId()), to: id, state: state, version: version,
                message: "A new verification email was queued.", settings: settings, now: now, metadata: metadata, writer: writer)
        }
    }

    /// `token` is the token or the whole verification link (`…/register/confirm?token=…&_locale=…`).
    public func verifyEmail(token input: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try verifyEmail(token: input, metadata: metadata, writing: { body in try store.write(body) })
    }

    /// `verifyEmail`, with its decide-and-append step run by `writing` (a transaction of its own, or a batch's).
    /// Which kind of token it is (its MACs) is settled before, on the caller's thread, so that a batch's one
    /// writer spends no time on it.
    func verifyEmail(token input: String, metadata: CommandMetadata, writing: WriteStep<CommandOutcome>) throws -> CommandOutcome {
        let token = Self.token(inLinkOrToken: input)
        let fingerprint = RequestLog.fingerprint(["verify-email", token])
        // A token carries one kind's MAC only, so the likeliest kind is tried first and the others only if it fails.
        let verificationId = tokens.tokenId(from: token, kind: .emailVerification)
        let changeId = verificationId == nil ? tokens.tokenId(from: token, kind: .emailChange) : nil
        let isPasswordToken = verificationId == nil && changeId == nil && tokens.tokenId(from: token, kind: .passwordSet) != nil
        return try writing { [self] writer in
            try execute(metadata, fingerprint: fingerprint, in: writer) { writer, settings, now in
                if isPasswordToken {
                    throw DomainError(.wrongTokenKind, "This is a password-set token, not a verification token: it sets a password on the password page",
                                      problems: [Problem(field: "token", message: "a password-set token, not a verification token", rule: .passwordTokenGiven)])
                }
                if let changeId {
                    return try confirmEmailChange(tokenId: changeId, metadata: metadata, writer: writer, settings: settings, now: now)
                }
                guard let tokenId = verificationId,
                      let (id, purpose) = try directory.customer(withToken: tokenId, in: writer),
                      purpose == .emailVerification
                else {
                    throw DomainError(.tokenUnknown, "This verification token is unknown: check that the whole link was used, or request a new email",
                                      problems: [Problem(field: "token", message: "unknown token", rule: .unknownToken)],
                                      remedy: .requestNewVerification(reference: nil))
                }
                let (state, version) = try loadCustomer(id, in: writer)
                return try decideAndAppend(
                    .verifyEmail(tokenId: tokenId), to: id, state: state, version: version,
                    message: "Email was verified.", settings: settings, now: now, metadata: metadata, writer: writer)
            }
        }
    }

    /// The `token` query parameter of a link, or the text itself when it is not a link with one.
    static func token(inLinkOrToken text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains("?"), let components = URLComponents(string: trimmed),
              let token = components.queryItems?.first(where: { $0.name == "token" })?.value
        else { return trimmed }
        return token
    }

    public func changeSetting(_ key: String, to value: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try execute(metadata, fingerprint: RequestLog.fingerprint(["settings", key, value])) { writer, settings, _ in
            let changes = try SettingsDecider.decide(key: key, value: value, current: settings)
            guard !changes.isEmpty else {
                return CommandOutcome(message: "Setting \(key) is already \(settings.value(for: SettingKey(rawValue: key) ?? .referencePrefix)); nothing changed.", lastPosition: 0)
            }
            let stream = try StreamName(Self.settingsStream)
            let data = changes.map { $0.eventData(metadata: eventMetadata(metadata), sealing: PersonalDataSealer()) }
            let result = try writer.append(data, to: stream, expectedVersion: .exact(try writer.currentVersion(of: stream)))
            return CommandOutcome(message: "Setting \(key) changed to \(changes.last?.value ?? value).", lastPosition: result.lastPosition)
        }
    }

    // MARK: Queries

    public func settings() throws -> StoreSettings {
        try store.read { try loadSettings(in: $0) }
    }

    /// The customer's current state (replayed from its stream) and its stream version.
    public func customer(_ customer: String) throws -> (CustomerID, CustomerState, UInt64) {
        try store.read { try loadCustomer(customer, in: $0) }
    }

    /// The URL-safe token for a token id, as it goes into an email link (never stored).
    public func token(for tokenId: UUID, purpose: CustomerDirectory.TokenPurpose) -> String {
        tokens.token(for: tokenId, kind: TokenKind(purpose))
    }

    // MARK: Plumbing

    /// Runs one command in one write transaction, honouring `--request-id`.
    func execute(
        _ metadata: CommandMetadata, fingerprint: @autoclosure () -> [UInt8],
        _ body: (StoreWriter, StoreSettings, Date) throws -> CommandOutcome
    ) throws -> CommandOutcome {
        try store.write { writer in try execute(metadata, fingerprint: fingerprint(), in: writer, body) }
    }

    /// Runs one command inside `writer`'s transaction, honouring `--request-id`. The fingerprint (a digest of the
    /// command's arguments) is computed only for a command that has a request id: in a group commit it would
    /// otherwise cost the writer a SHA-256 per command for nothing.
    func execute(
        _ metadata: CommandMetadata, fingerprint: @autoclosure () -> [UInt8], in writer: StoreWriter,
        _ body: (StoreWriter, StoreSettings, Date) throws -> CommandOutcome
    ) throws -> CommandOutcome {
        guard let requestID = metadata.requestID else {
            return try body(writer, try loadSettings(in: writer), try writer.recordingTime())
        }
        let digest = fingerprint()
        if let previous = try RequestLog.previousOutcome(of: requestID, fingerprint: digest, in: writer) {
            return previous
        }
        let outcome = try body(writer, try loadSettings(in: writer), try writer.recordingTime())
        try RequestLog.record(outcome, for: requestID, fingerprint: digest, in: writer)
        return outcome
    }

    /// Decides `command` against an existing customer's state and appends the events right after `version`.
    func decideAndAppend(
        _ command: CustomerCommand, to id: CustomerID, state: CustomerState, version: UInt64, message: String,
        settings: StoreSettings, now: Date, metadata: CommandMetadata, writer: StoreWriter
    ) throws -> CommandOutcome {
        let events = try CustomerDecider.decide(command, state: state, context: DecisionContext(now: now, settings: settings))
        let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
        return CommandOutcome(
            customerId: id, reference: state.reference?.description, message: message, lastPosition: result.lastPosition,
            queuedEmails: events.map(\.queuedEmailCount).reduce(0, +))
    }

    func eventMetadata(_ metadata: CommandMetadata) -> EventMetadata {
        EventMetadata(actor: metadata.actor, correlationID: metadata.correlationID, osUser: metadata.osUser)
    }

    func append(_ events: [CustomerEvent], to id: CustomerID, expected: ExpectedVersion, metadata: CommandMetadata, writer: StoreWriter) throws -> AppendResult {
        let data = events.map { $0.eventData(metadata: eventMetadata(metadata), sealing: PersonalDataSealer()) }
        return try writer.append(data, to: try StreamName(id.streamName), expectedVersion: expected)
    }

    func loadSettings(in reader: StoreReader) throws -> StoreSettings {
        let events = try reader.readStream(try StreamName(Self.settingsStream))
        let changes = try events.map(SettingChanged.decode)
        return StoreSettings.replay(changes)
    }

    /// Finds a customer by reference (`DE--3`) or email (any case).
    public func resolve(_ text: String, in reader: StoreReader) throws -> CustomerID {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let found: CustomerID?
        if trimmed.contains("@") {
            found = try directory.customer(withEmail: trimmed, in: reader)
        } else {
            found = try directory.customer(withReference: trimmed, in: reader)
        }
        guard let found else {
            throw DomainError(.customerNotFound, "No customer has the reference or email \(trimmed)",
                              problems: [Problem(
                                  field: "customer", message: "no customer with reference or email \(trimmed)", rule: .unknownCustomer,
                                  arguments: ["value": trimmed])])
        }
        return found
    }

    func loadCustomer(_ text: String, in reader: StoreReader) throws -> (CustomerID, CustomerState, UInt64) {
        let id = try resolve(text, in: reader)
        let (state, version) = try loadCustomer(id, in: reader)
        return (id, state, version)
    }

    func loadCustomer(_ id: CustomerID, in reader: StoreReader) throws -> (CustomerState, UInt64) {
        let events = try reader.readStream(try StreamName(id.streamName))
        return (CustomerDecider.replay(try customerEvents(in: events)), events.last?.version ?? 0)
    }

    /// The events of a customer's stream, decoded: an event that does not decode (another type, a newer
    /// version) is an error naming its position, since replaying without it would show a wrong customer.
    func customerEvents(in events: [RecordedEvent]) throws -> [CustomerEvent] {
        try events.map(CustomerEvent.decode)
    }
}
