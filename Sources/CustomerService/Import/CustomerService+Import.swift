import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
import PasswordHashing
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
        let rows = Set(rejected.map(\.line)).count
        let message = imported.isEmpty && unchanged.isEmpty
            ? "\(rows) row(s) were rejected (see above); no row was imported"
            : "\(rows) row(s) were rejected (see above); the other rows were imported"
        return DomainError(.rowsRejected, message)
    }
}

extension CustomerService {
    /// Imports a checked file (`ImportSource.open`), streaming it `batchSize` rows per durable commit. The first
    /// write transaction reserves every reference number up to the file's largest, so that a concurrent `create`
    /// never takes one of them and a re-run after a crash completes exactly. Rows that cannot be read and rows
    /// that break rules are reported by line (every broken rule of a row), the others land. `progress` gets
    /// (rows done, rows in the file).
    public func importCustomers(
        from source: ImportSource, sendVerification: Bool, metadata: CommandMetadata, batchSize: Int = 5000,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ImportReport {
        var reader = ImportFile.Reader(try ChunkedBytes(fileAt: source.url))
        var report = ImportReport()
        var batch: [ImportRow] = []
        var done = 0
        var reservation: UInt64? = source.largestReferenceNumber
        func flush() throws {
            report.add(try importBatch(batch, reserving: reservation, sendVerification: sendVerification, metadata: metadata))
            store.yieldToWaitingWriters()  // a command of another process goes between two batches
            store.releaseMappedPages()  // the pages this batch read: else the whole store ends up resident
            reservation = nil
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            progress(done, source.rowCount)
        }
        do {
            while let entry = try reader.next() {
                switch entry {
                case .row(let row):
                    batch.append(row)
                    if batch.count == batchSize { try flush() }
                case .error(let error):
                    report.rejected.append(error)
                }
            }
        } catch let error as ImportFile.StructuralError {
            // The file changed since it was checked.
            throw DomainError(.invalidFile, "\(source.name) changed while it was imported: line \(error.line): \(error.reason)")
        }
        if !batch.isEmpty { try flush() }
        report.rejected.sort { $0.line < $1.line }
        return report
    }

    /// Imports rows already in memory, `batchSize` rows per durable commit (see `importCustomers(from:)`).
    public func importCustomers(
        _ rows: [ImportRow], sendVerification: Bool, metadata: CommandMetadata, batchSize: Int = 1000,
        progress: (Int) -> Void = { _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        var reservation: UInt64? = rows.compactMap { CustomerReference.parse($0.reference.trimmingWhitespace())?.number }.max()
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(start + batchSize, rows.count)])
            report.add(try importBatch(batch, reserving: reservation, sendVerification: sendVerification, metadata: metadata))
            reservation = nil
            start += batch.count
            progress(start)
        }
        return report
    }

    /// One write transaction: the reservation (first batch only), then each row on its own.
    private func importBatch(
        _ batch: [ImportRow], reserving reservation: UInt64?, sendVerification: Bool, metadata: CommandMetadata
    ) throws -> ImportReport {
        try store.write { writer -> ImportReport in
            if let reservation { try ReferenceReservation.reserve(upTo: reservation, in: writer) }
            var partial = ImportReport()
            let settings = try loadSettings(in: writer)
            let now = try writer.recordingTime()
            for row in batch {
                do {
                    try importRow(
                        row, sendVerification: sendVerification, metadata: metadata, writer: writer, settings: settings, now: now,
                        report: &partial)
                } catch let error as DomainError {
                    let problems = error.problems.isEmpty ? [Problem(field: "row", message: error.message)] : error.problems
                    partial.rejected += problems.map { ImportRowError(line: row.line, field: ImportFile.column(for: $0.field), message: $0.message) }
                }
            }
            return partial
        }
    }

    private func importRow(
        _ row: ImportRow, sendVerification: Bool, metadata: CommandMetadata, writer: StoreWriter,
        settings: StoreSettings, now: Date, report: inout ImportReport
    ) throws {
        // Every broken rule of the row is reported at once, as `create` does: the file's own fields first, then
        // the customer's fields.
        var problems: [Problem] = []
        let reference = CustomerReference.parse(row.reference.trimmingWhitespace())
        if reference == nil {
            problems.append(Problem(field: "customer_reference", message: "must look like DE--12, got \"\(row.reference.escapedForMessage)\""))
        }
        let registeredAt = row.registered.flatMap(Self.importTime)
        if row.registered != nil && registeredAt == nil {
            problems.append(Problem(field: "registered", message: "must be a date YYYY-MM-DD or an ISO 8601 time"))
        }
        let createdAt = row.createdAt.flatMap(Self.importTime)
        if row.createdAt != nil && createdAt == nil {
            problems.append(Problem(field: "created_at", message: "must be an ISO 8601 time"))
        }
        if let status = row.status {
            switch CustomerStatus(matching: status) {
            case .verified? where registeredAt == nil:
                problems.append(Problem(field: "status", message: "Verified needs verifiedAt (or registered)"))
            case .unverified? where registeredAt != nil:
                problems.append(Problem(field: "status", message: "Unverified contradicts verifiedAt (or registered)"))
            case nil:
                problems.append(Problem(field: "status", message: "must be Verified or Unverified"))
            default: break
            }
        }
        var passwordHash: PasswordHash?
        do {
            passwordHash = try Self.importedPasswordHash(row.password)
        } catch let error as DomainError {
            problems += error.problems
        }
        guard let reference, problems.isEmpty else {
            if case .failure(let error) = CustomerValidation.validate(
                row.form, settings: settings, today: CalendarDate(utcDayOf: now), emailAlreadyUsed: false) {
                problems += error.problems
            }
            throw DomainError(.validationFailed, "Invalid row", problems: problems)
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
        let id = CustomerID(TimeOrderedUUID.next())  // time-ordered: the customer's keys land at the right edge
        let command = ImportCustomer(
            customerId: id, reference: reference, form: row.form,
            emailAlreadyUsed: try directory.isEmailTaken(row.form.email, byAnyoneBut: nil, at: now, in: writer),
            registeredAt: registeredAt, createdAt: createdAt,
            verificationTokenId: sendVerification && registeredAt == nil ? TokenCodec.newTokenId() : nil,
            passwordAlgorithm: passwordHash?.algorithm.rawValue)
        let events = try CustomerDecider.decide(.importCustomer(command), state: CustomerDecider.initialState, context: DecisionContext(now: now, settings: settings))
        let data = events.map { $0.eventData(metadata: eventMetadata(metadata), sealing: PersonalDataSealer()) }
        try writer.append(data, to: try StreamName(id.streamName), expectedVersion: .noStream)
        if let passwordHash { try CredentialTable.store(passwordHash, for: id, in: writer) }
        report.imported.append((row.line, reference.description))
    }

    /// A strict ISO 8601 date or time; the platform's CSV also writes `2020-06-24 10:33:11`, read as its day.
    static func importTime(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace()
        if let instant = ISO8601Time.parse(trimmed) { return instant }
        return CalendarDate.parse(String(trimmed.prefix(10))).map(\.midnightUTC)
    }
}

extension ImportReport {
    mutating func add(_ partial: ImportReport) {
        imported += partial.imported
        unchanged += partial.unchanged
        rejected += partial.rejected
    }
}

extension String {
    /// For echoing file content in a one-line message.
    var escapedForMessage: String {
        String(unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }.prefix(60))
    }
}
