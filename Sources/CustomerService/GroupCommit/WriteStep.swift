import EventStore

/// Runs a command's decide-and-append step in a write transaction and returns what it returned once that
/// transaction is durable: `EventStore.write` (a transaction of its own) or `CommandBatcher.submit` (one shared
/// with the commands waiting for the writer).
typealias WriteStep<Outcome> = (@escaping (StoreWriter) throws -> Outcome) throws -> Outcome
