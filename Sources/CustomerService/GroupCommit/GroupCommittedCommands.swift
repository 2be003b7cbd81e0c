import EventStore

/// The commands a server runs for many clients at once, each group-committed through one `CommandBatcher`: the
/// same application functions as `CustomerService`'s (same decisions, same request log), only sharing write
/// transactions with whatever else is waiting for the writer.
public final class GroupCommittedCommands: Sendable {
    public let service: CustomerService
    public let batcher: CommandBatcher

    public init(service: CustomerService, maximumBatch: Int = 256) {
        self.service = service
        batcher = CommandBatcher(store: service.store, maximumBatch: maximumBatch)
    }

    public func verifyEmail(token: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try service.verifyEmail(token: token, metadata: metadata, writing: { [batcher] step in try batcher.submit(step) })
    }

    public func resendVerification(to customer: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try batcher.submit { [service] writer in try service.resendVerification(to: customer, metadata: metadata, in: writer) }
    }

    /// The token, the policy and the hashing are done on the caller's thread first; only deciding and writing wait
    /// for the batch.
    public func setPassword(token: String, password: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try service.setPassword(token: token, password: password, metadata: metadata, writing: { [batcher] step in try batcher.submit(step) })
    }

    /// The password is verified on the caller's thread first; only recording the attempt waits for the batch.
    public func authenticate(customer: String, password: String, metadata: CommandMetadata) throws -> AuthenticationOutcome {
        try service.authenticate(customer: customer, password: password, metadata: metadata, writing: { [batcher] step in try batcher.submit(step) })
    }
}
