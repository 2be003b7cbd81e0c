import CustomerAggregate
import EventStore

/// The customer commands of the admin API, group-committed like the storefront's: each is the application
/// function of the CLI (same decision, same request log), run inside a write transaction shared with whatever
/// else waits for the writer.
extension GroupCommittedCommands {
    public func create(_ form: CustomerForm, sendPasswordToken: Bool, metadata: CommandMetadata) throws -> CommandOutcome {
        // The ids and the fingerprint (a SHA-256) on this thread: the writer thread, which every create of the
        // batch waits for, then only decides and writes.
        let ids = NewCustomerIDs.draw(sendPasswordToken: sendPasswordToken)
        let fingerprint = CustomerService.createFingerprint(form, sendPasswordToken: sendPasswordToken)
        return try batcher.submit { [service] writer in
            try service.execute(metadata, fingerprint: fingerprint, in: writer) { writer, settings, now in
                try service.create(form, ids: ids, metadata: metadata, writer: writer, settings: settings, now: now)
            }
        }
    }
}
