import CustomerAggregate

extension CustomerService {
    /// `edit CUSTOMER …`: decided on the customer's latest state inside the write transaction, so concurrent
    /// edits from several processes are applied one after the other, none lost. An edit that changes nothing
    /// writes nothing.
    public func edit(_ customer: String, _ edit: EditCustomer, metadata: CommandMetadata) throws -> CommandOutcome {
        let fingerprint = RequestLog.fingerprint(["edit", customer] + edit.givenValues.flatMap { [$0.field.rawValue, $0.value] })
        return try execute(metadata, fingerprint: fingerprint) { writer, settings, now in
            let (id, state, version) = try loadCustomer(customer, in: writer)
            let events = try CustomerDecider.decide(.edit(edit), state: state, context: DecisionContext(now: now, settings: settings))
            guard !events.isEmpty else {
                return CommandOutcome(customerId: id, reference: state.reference?.description, message: "Nothing changed.", lastPosition: 0)
            }
            let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
            return CommandOutcome(
                customerId: id, reference: state.reference?.description, message: "Customer was updated.",
                lastPosition: result.lastPosition)
        }
    }
}
