import CustomerAggregate
import EventStore
import Foundation
import Projections

/// What an import did, row by row.
public struct ImportReport: Sendable {
    public var imported: [(line: Int, reference: String)] = []
    /// Rows whose reference already exists with the same email: a re-import, nothing to do.
    public var unchanged: [(line: Int, reference: String)] = []
    public var rejected: [ImportRowError] = []

    /// The refusal an import ends with when it skipped rows (each already in `rejected`); nil for a clean file.
    public var rejection: DomainError? {
        guard !rejected.isEmpty else { return nil }
        return DomainError(.rowsRejected, "some rows were rejected (see above); the valid rows were imported")
    }
}

extension CustomerService {
    /// Imports a file read by `ImportFile.load`: rows that cannot be read and rows that break a rule are
    /// reported by line, the others land. `progress` gets (rows done, rows in the file).
    public func importCustomers(
        _ file: LoadedImportFile, sendVerification: Bool, metadata: CommandMetadata, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ImportReport {
        var report = try importCustomers(file.rows, sendVerification: sendVerification, metadata: metadata) { progress($0, file.rows.count) }
        report.rejected = (file.errors + report.rejected).sorted { $0.line < $1.line }
        return report
    }

    /// Imports customers, `batchSize` rows per durable commit. Rows are independent: an invalid row is reported
    /// and skipped, valid rows land. Re-importing the same file changes nothing (rows whose reference exists
    /// with the same email are "unchanged"). No email is queued unless `sendVerification` asks for the
    /// verification email of rows imported as Unverified.
    public func importCustomers(
        _ rows: [ImportRow], sendVerification: Bool, metadata: CommandMetadata, batchSize: Int = 1000,
        progress: (Int) -> Void = { _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + batchSize, rows.count)]
            let partial = try store.write { writer -> ImportReport in
                var partial = ImportReport()
                let settings = try loadSettings(in: writer)
                let now = try writer.recordingTime()
                for row in batch {
                    do {
                        try importRow(row, sendVerification: sendVerification, metadata: metadata, writer: writer, settings: settings, now: now, report: &partial)
                    } catch let error as DomainError {
                        let problems = error.problems.isEmpty ? [Problem(field: "row", message: error.message)] : error.problems
                        partial.rejected += problems.map { ImportRowError(line: row.line, field: $0.field, message: $0.message) }
                    }
                }
                return partial
            }
            report.imported += partial.imported
            report.unchanged += partial.unchanged
            report.rejected += partial.rejected
            start += batch.count
            progress(start)
        }
        return report
    }

    private func importRow(
        _ row: ImportRow, sendVerification: Bool, metadata: CommandMetadata, writer: StoreWriter,
        settings: StoreSettings, now: Date, report: inout ImportReport
    ) throws {
        guard let reference = CustomerReference.parse(row.reference.trimmingCharacters(in: .whitespaces)) else {
            throw DomainError(.validationFailed, "Invalid customer reference", problems: [
                Problem(field: "customer_reference", message: "must look like DE--12, got \"\(row.reference.escapedForMessage)\""),
            ])
        }
        if let existing = try directory.customer(withReference: reference.description, in: writer) {
            let (state, _) = try loadCustomer(existing, in: writer)
            if let email = state.profile?.email, CustomerProfile.uniquenessKey(forEmail: email) == CustomerProfile.uniquenessKey(forEmail: row.form.email) {
                report.unchanged.append((row.line, reference.description))
                return
            }
            throw DomainError(.customerAlreadyExists, "Reference \(reference) already belongs to another customer", problems: [
                Problem(field: "customer_reference", message: "\(reference) already belongs to another customer"),
            ])
        }
        var registeredOn: CalendarDate?
        if let registered = row.registered {
            guard let date = CalendarDate.parse(String(registered.trimmingCharacters(in: .whitespaces).prefix(10))) else {
                throw DomainError(.validationFailed, "Invalid registration date", problems: [
                    Problem(field: "registered", message: "must be a date in the form YYYY-MM-DD"),
                ])
            }
            registeredOn = date
        }
        let id = CustomerID(UUID())
        let command = ImportCustomer(
            customerId: id, reference: reference, form: row.form,
            emailAlreadyUsed: try directory.customer(withEmail: row.form.email, in: writer) != nil,
            registeredOn: registeredOn,
            verificationTokenId: sendVerification && registeredOn == nil ? TokenCodec.newTokenId() : nil)
        let events = try CustomerDecider.decide(.importCustomer(command), state: CustomerDecider.initialState, context: DecisionContext(now: now, settings: settings))
        _ = try append(events, to: id, expected: .noStream, metadata: metadata, writer: writer)
        report.imported.append((row.line, reference.description))
    }
}

extension String {
    /// For echoing file content in a one-line message.
    var escapedForMessage: String {
        String(unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }.prefix(60))
    }
}
