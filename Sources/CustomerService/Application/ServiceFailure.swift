import CustomerAggregate
import EventStore
import Foundation
import Projections

/// Why a command or query was not served, classified once for every front end: the request was refused and
/// nothing was written (the CLI's exit 1, an HTTP 4xx), or the store or a file could not be used (exit 3, a 5xx).
public struct ServiceFailure: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Validation, a business rule, an unknown customer or token, a concurrent change: nothing was written.
        case rejected
        /// The store could not be opened, read or written (missing, damaged, newer format, disk).
        case store
        /// Anything else that failed on the way (a file, the system).
        case io
    }

    public let kind: Kind
    /// A stable machine string: a `DomainError.Code` for a rejection, `store` or `io` otherwise.
    public let code: String
    public let message: String
    public let problems: [Problem]
    public let remedy: Remedy?

    public init(_ error: any Error) {
        switch error {
        case let error as DomainError:
            self.init(.rejected, error.code.rawValue, error.message, error.problems, error.remedy)
        case let error as EventStoreError:
            if case .wrongExpectedVersion = error {
                self.init(.rejected, DomainError.Code.concurrentChange.rawValue, "\(error)")
            } else {
                self.init(.store, "store", "\(error)")
            }
        case let error as ProjectionError:
            self.init(.store, "store", error.description, [], error.remedy)
        case let error as StoreNotFound:
            self.init(.store, "store", error.description)
        case let error as StoreAccessError:
            self.init(.store, "store", error.message)
        default:
            self.init(.io, "io", "\(error)")
        }
    }

    private init(_ kind: Kind, _ code: String, _ message: String, _ problems: [Problem] = [], _ remedy: Remedy? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.problems = problems
        self.remedy = remedy
    }
}
