import CustomerAggregate
import CustomerService
import Foundation

/// `customer-es-bench commands`: customers created through the real command path (decide, append, directory
/// and read models in the same transaction): batched 1000 commands per durable commit, one per commit, and the
/// whole `customer-es create` process from start to exit; and single edits, email changes (asked, then
/// confirmed), address adds and note adds (one per commit), beside single creates. Single creates and edits
/// alternate with a raw LMDB single durable commit (`RawLMDB`), and their p50/p99 are printed as ratios to it.
enum CommandsBenchmark {
    static func run(customers: Int, singles: Int, cliRuns: Int) throws {
        let folder = scratchFolder("commands")
        defer { removeScratch(folder) }
        let service = try CustomerService(directory: folder)
        let metadata = CommandMetadata(actor: "bench")
        report("customers", "\(customers)")

        var created = 0
        var seconds = 0.0
        while created < customers {
            let count = min(1000, customers - created)
            let forms = (0..<count).map { index in
                (form: form(created + index), sendPasswordToken: (created + index) % 3 == 0)
            }
            let t0 = now()
            let results = try service.createMany(forms, metadata: metadata)
            seconds += now() - t0
            guard results.allSatisfy({ if case .success = $0 { true } else { false } }) else {
                throw BenchError("a generated customer was rejected")
            }
            created += count
        }
        report("create_batched_per_s", Double(created) / seconds)

        // The baseline, in the same run and interleaved with our commands (the machine is noisy): one 200-byte
        // record per durable transaction into a raw LMDB table that holds as many records as our log.
        let rawFolder = scratchFolder("commands-raw")
        defer { removeScratch(rawFolder) }
        let raw = try RawLMDB(folder: rawFolder)
        let payload = [UInt8](repeating: 0x61, count: 200)
        let rawPrefill = UInt64(customers) * 3
        var key: UInt64 = 0
        while key < rawPrefill {
            try raw.appendBatch(from: key + 1, count: 1000, value: payload)
            key += 1000
        }
        var rawLatencies: [Double] = []
        func rawCommit() throws {
            key += 1
            let t0 = now()
            try raw.appendBatch(from: key, count: 1, value: payload)
            rawLatencies.append((now() - t0) * 1000)
        }

        var latencies: [Double] = []
        var cpuTimes: [Double] = []
        var written = 0
        for index in 0..<singles {
            try rawCommit()
            let io = ProcessIO.current()
            let c0 = threadCPUTime()
            let t0 = now()
            _ = try service.create(form(customers + index), sendPasswordToken: false, metadata: metadata)
            latencies.append((now() - t0) * 1000)
            cpuTimes.append((threadCPUTime() - c0) * 1000)
            written += ProcessIO.current().writtenBytes - io.writtenBytes
        }
        cpuTimes.sort()
        latencies.sort()
        rawLatencies.sort()
        let rawP50 = percentile(rawLatencies, 0.5)
        let rawP99 = percentile(rawLatencies, 0.99)
        report("raw_single_commit_p50_ms", rawP50, decimals: 3)
        report("raw_single_commit_p99_ms", rawP99, decimals: 3)
        report("create_single_p50_ms", percentile(latencies, 0.5), decimals: 3)
        report("create_single_p99_ms", percentile(latencies, 0.99), decimals: 3)
        report("create_single_p50_ratio", percentile(latencies, 0.5) / rawP50, decimals: 2)
        report("create_single_p99_ratio", percentile(latencies, 0.99) / rawP99, decimals: 2)
        // This thread's CPU time per create (the rest of the wall time is waiting for the disk): what a quieter
        // machine cannot take away.
        report("create_single_cpu_p50_ms", percentile(cpuTimes, 0.5), decimals: 3)
        // Bytes handed to write(2)/pwrite(2) per create: LMDB writes each dirty page once per commit.
        report("create_single_pages_written", Double(written) / Double(max(1, singles)) / 4096, decimals: 1)

        // Edits of existing customers, one per commit: the last name changes, so the row, two order keys and
        // the customer's trigram postings move.
        var editLatencies: [Double] = []
        rawLatencies.removeAll()
        for index in 0..<singles {
            let reference = "DE--\(index % max(1, customers) + 1)"
            let edit = EditCustomer(lastName: lastNames[(index + 3) % lastNames.count] + "-\(index)")
            try rawCommit()
            let t0 = now()
            _ = try service.edit(reference, edit, metadata: metadata)
            editLatencies.append((now() - t0) * 1000)
        }
        editLatencies.sort()
        rawLatencies.sort()
        report("edit_single_p50_ms", percentile(editLatencies, 0.5), decimals: 3)
        report("edit_single_p99_ms", percentile(editLatencies, 0.99), decimals: 3)
        report("edit_single_p50_ratio", percentile(editLatencies, 0.5) / percentile(rawLatencies, 0.5), decimals: 2)
        report("edit_single_p99_ratio", percentile(editLatencies, 0.99) / percentile(rawLatencies, 0.99), decimals: 2)

        // Email changes, one per commit: asking (the address checked and reserved, two emails queued), then
        // confirming with the link (the directory, the list row, its email order key and trigram postings move).
        var requestLatencies: [Double] = []
        var confirmLatencies: [Double] = []
        for index in 0..<singles {
            let reference = "DE--\(index % max(1, customers) + 1)"
            let t0 = now()
            _ = try service.changeEmail(reference, to: "changed\(index)@example.org", withoutVerification: false, reason: nil, metadata: metadata)
            requestLatencies.append((now() - t0) * 1000)
            guard let tokenId = try service.customer(reference).1.emailChange?.token.id else {
                throw BenchError("the email change of \(reference) is not pending")
            }
            let token = service.token(for: tokenId, purpose: .emailChange)
            let t1 = now()
            _ = try service.verifyEmail(token: token, metadata: metadata)
            confirmLatencies.append((now() - t1) * 1000)
        }
        requestLatencies.sort()
        confirmLatencies.sort()
        report("change_email_single_p50_ms", percentile(requestLatencies, 0.5), decimals: 3)
        report("change_email_single_p99_ms", percentile(requestLatencies, 0.99), decimals: 3)
        report("change_email_confirm_single_p50_ms", percentile(confirmLatencies, 0.5), decimals: 3)
        report("change_email_confirm_single_p99_ms", percentile(confirmLatencies, 0.99), decimals: 3)

        // Addresses and notes, one per commit, spread over the customers: each decides on the replayed stream
        // and touches no read-model table.
        var addressLatencies: [Double] = [], noteLatencies: [Double] = []
        for index in 0..<singles {
            let reference = "DE--\(index % max(1, customers) + 1)"
            let address = AddAddress(values: [
                .salutation: "Ms", .firstName: firstNames[index % firstNames.count], .lastName: lastNames[index % lastNames.count],
                .address1: "Hauptstraße \(index)", .city: "Berlin", .zipCode: "10115", .country: "DE",
            ], defaultBilling: index % 2 == 0)
            var t0 = now()
            _ = try service.addAddress(reference, address, metadata: metadata)
            addressLatencies.append((now() - t0) * 1000)
            t0 = now()
            _ = try service.addNote(reference, message: "Called about order \(index)", metadata: metadata)
            noteLatencies.append((now() - t0) * 1000)
        }
        addressLatencies.sort()
        noteLatencies.sort()
        report("address_add_single_p50_ms", percentile(addressLatencies, 0.5), decimals: 3)
        report("note_add_single_p50_ms", percentile(noteLatencies, 0.5), decimals: 3)

        guard let cli = builtCLI() else {
            report("cli_create_p50_ms", "n/a (build customer-es in the same configuration first)")
            return
        }
        var cliLatencies: [Double] = []
        for index in 0..<cliRuns {
            let f = form(customers + singles + index)
            let t0 = now()
            let status = try spawnAndWait(cli, [
                "--store", folder.path, "create", "--email", f.email, "--salutation", f.salutation,
                "--first-name", f.firstName, "--last-name", f.lastName,
            ])
            cliLatencies.append((now() - t0) * 1000)
            guard status == 0 else { throw BenchError("customer-es create exited \(status)") }
        }
        cliLatencies.sort()
        report("cli_create_p50_ms", percentile(cliLatencies, 0.5), decimals: 2)
        report("store_size_bytes", "\(folderSize(folder))")
    }

    static let firstNames = ["Maria", "Spencor", "Zoë", "Ørjan", "Anna", "Jürgen", "Li", "Ángel", "Sofia", "Noah"]
    static let lastNames = ["Williams", "Hopkin", "Ørsted", "Müller", "Smith", "García", "Nakamura", "Dubois"]

    static func form(_ index: Int) -> CustomerForm {
        CustomerForm(
            email: "customer\(index)@example.com", salutation: ["Mr", "Mrs", "Ms", "Dr"][index % 4],
            firstName: firstNames[index % firstNames.count], lastName: lastNames[(index / 7) % lastNames.count],
            locale: index % 5 == 0 ? "de_DE" : nil)
    }
}
