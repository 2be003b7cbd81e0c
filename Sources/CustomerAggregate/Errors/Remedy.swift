/// What the person can do about a refusal, as a fact rather than as text: each front end says it in its own terms
/// (the command line names a command, a web page would offer a button). The error's message says the remedy in
/// words ("request a new one") and never names a front end's commands or options.
public enum Remedy: Sendable, Equatable {
    /// Ask for a new verification email for this customer (nil: the customer is not known, e.g. an unknown token).
    case requestNewVerification(reference: String?)
    /// Change a store setting, e.g. `default-locale` before removing the current default from `locales`.
    case changeSetting(key: String, example: String)
    /// Rebuild the projections from the log.
    case rebuildProjections
    /// Bring a store written by an older customer-es to the current format.
    case migrateStore
}
