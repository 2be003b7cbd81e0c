import Foundation

/// `customer-es-bench cli`: the commands people run, timed as whole release `customer-es` processes on a store of
/// `customers` customers imported from a generated customer.csv — import, rebuild, rebuild --verify (wall time,
/// rate, the child's peak RSS from wait4), list and list --search (100 runs), create (200 runs), and creates
/// issued while a rebuild runs (how long the rebuild makes a writer wait) — beside the raw LMDB loops of the same
/// run, with the ratios the performance targets are stated in.
enum CLIBenchmark {
    static func run(customers: Int, cli: String, listRuns: Int, createRuns: Int) throws {
        let folder = scratchFolder("cli")
        defer { removeScratch(folder) }
        let store = folder.appendingPathComponent("store").path
        let csv = folder.appendingPathComponent("customer.csv")
        try writeCustomerCSV(customers: customers, to: csv)
        report("cli", cli)
        report("customers", "\(customers)")

        // Raw LMDB in the same run: the yardsticks of the ratios.
        let raw = try rawFigures(records: max(customers, 100_000))
        report("raw_append_batched_per_s", raw.batched)
        report("raw_scan_per_s", raw.scan)
        report("raw_commit_p50_ms", raw.commitP50, decimals: 3)

        let imported = try child(cli, ["--store", store, "import", csv.path])
        report("import_seconds", imported.seconds, decimals: 2)
        report("import_customers_per_s", Double(customers) / imported.seconds)
        report("import_peak_rss_mb", imported.peakRSSMegabytes, decimals: 1)
        report("import_ratio", Double(customers) / imported.seconds / raw.batched, decimals: 4)  // target ≥ 0.1
        report("store_bytes_per_customer", Double(folderSize(URL(fileURLWithPath: store))) / Double(customers))

        let rebuilt = try child(cli, ["--store", store, "--json", "rebuild"])
        let events = Double(jsonInteger("eventsReplayed", in: rebuilt.output) ?? 0)
        report("events", events)
        report("rebuild_seconds", rebuilt.seconds, decimals: 2)
        report("rebuild_events_per_s", events / rebuilt.seconds)
        report("rebuild_peak_rss_mb", rebuilt.peakRSSMegabytes, decimals: 1)
        report("rebuild_ratio", events / rebuilt.seconds / raw.scan, decimals: 4)  // target ≥ 0.05

        let verified = try child(cli, ["--store", store, "rebuild", "--verify"])
        report("verify_seconds", verified.seconds, decimals: 2)
        report("verify_events_per_s", events / verified.seconds)
        report("verify_peak_rss_mb", verified.peakRSSMegabytes, decimals: 1)
        report("verify_vs_rebuild", verified.seconds / rebuilt.seconds, decimals: 2)  // target ≤ 1.5

        var version: [Double] = []
        for _ in 0..<20 { version.append(try child(cli, ["--version"]).seconds * 1000) }
        report("version_p50_ms", percentile(version.sorted(), 0.5), decimals: 2)

        var list: [Double] = []
        for _ in 0..<listRuns { list.append(try child(cli, ["--store", store, "list"]).seconds * 1000) }
        list.sort()
        report("list_p50_ms", percentile(list, 0.5), decimals: 2)
        report("list_p99_ms", percentile(list, 0.99), decimals: 2)

        var search: [Double] = []
        let names = CommandsBenchmark.firstNames + CommandsBenchmark.lastNames
        for run in 0..<listRuns {
            let name = names[run % names.count].lowercased()
            let length = 1 + run % 6
            let start = run % max(1, name.count - length + 1)
            let query = String(name.dropFirst(start).prefix(length))
            search.append(try child(cli, ["--store", store, "list", "--search", query]).seconds * 1000)
        }
        search.sort()
        report("list_search_p50_ms", percentile(search, 0.5), decimals: 2)
        report("list_search_p99_ms", percentile(search, 0.99), decimals: 2)

        var create: [Double] = []
        for index in 0..<createRuns {
            create.append(try child(cli, createArguments(store: store, index: customers + index)).seconds * 1000)
        }
        create.sort()
        let createP50 = percentile(create, 0.5)
        report("create_p50_ms", createP50, decimals: 2)
        report("create_p99_ms", percentile(create, 0.99), decimals: 2)
        // Target ≤ 3: a create process costs about start-up plus one durable commit.
        report("create_ratio", createP50 / (percentile(version.sorted(), 0.5) + raw.commitP50), decimals: 2)

        try createsDuringRebuild(cli: cli, store: store, firstIndex: customers + createRuns)
        try importIntoFilledStore(cli: cli, store: store, folder: folder, customers: customers, raw: raw)
    }

    /// A tenth as many customers again, imported into the store that already holds them all (last, so that the
    /// figures above are of the store of `customers`). Numbered from ten times `customers`, clear of every
    /// email and reference the suite used.
    static func importIntoFilledStore(cli: String, store: String, folder: URL, customers: Int, raw: RawFigures) throws {
        let more = max(1, customers / 10)
        let csv = folder.appendingPathComponent("more-customers.csv")
        try writeCustomerCSV(customers: more, firstIndex: customers * 10, to: csv)
        let imported = try child(cli, ["--store", store, "import", csv.path])
        report("import_into_filled_store_customers", "\(more)")
        report("import_into_filled_store_seconds", imported.seconds, decimals: 2)
        report("import_into_filled_store_per_s", Double(more) / imported.seconds)
        report("import_into_filled_store_peak_rss_mb", imported.peakRSSMegabytes, decimals: 1)
        report("import_into_filled_store_ratio", Double(more) / imported.seconds / raw.batched, decimals: 4)  // target ≥ 0.02
    }

    /// Starts `rebuild` and keeps creating customers, one process after another, until it exits; reports how
    /// long those creates took (their wait for the writer lock included) against the rebuild's time.
    static func createsDuringRebuild(cli: String, store: String, firstIndex: Int) throws {
        let rebuild = try ChildProcess(cli, ["--store", store, "rebuild"])
        let started = now()
        var waits: [Double] = []
        var index = firstIndex
        while !rebuild.hasExited() {
            waits.append(try child(cli, createArguments(store: store, index: index)).seconds * 1000)
            index += 1
        }
        let outcome = try rebuild.wait()
        guard outcome.status == 0 else { throw BenchError("rebuild during creates exited \(outcome.status)") }
        waits.sort()
        report("rebuild_with_creates_seconds", now() - started, decimals: 2)
        report("creates_during_rebuild", "\(waits.count)")
        report("create_during_rebuild_p50_ms", percentile(waits, 0.5), decimals: 2)
        report("create_during_rebuild_max_ms", waits.last ?? 0, decimals: 2)  // target ≤ 100 + a create
        let verified = try child(cli, ["--store", store, "rebuild", "--verify"])
        report("verify_after_concurrent_creates", verified.status == 0 ? "clean" : "differences")
    }

    static func createArguments(store: String, index: Int) -> [String] {
        let form = CommandsBenchmark.form(index)
        return [
            "--store", store, "create", "--email", form.email, "--salutation", form.salutation,
            "--first-name", form.firstName, "--last-name", form.lastName,
        ]
    }

    /// The platform's customer.csv: every second customer registered (Verified), no password hashes. Numbering
    /// from `firstIndex` keeps the emails and references clear of customers a suite creates besides.
    static func writeCustomerCSV(customers: Int, firstIndex: Int = 0, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var text = ImportCSVHeader.line + "\n"
        for index in firstIndex..<(firstIndex + customers) {
            let form = CommandsBenchmark.form(index)
            let registered = index % 2 == 0 ? "2020-06-24" : ""
            text += "DE--\(index + 1),\(form.locale ?? "en_US"),,\(form.email),\(form.salutation),\(form.firstName),\(form.lastName),,,,,\(registered)\n"
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
            }
        }
        handle.write(Data(text.utf8))
    }

    struct RawFigures {
        var batched: Double
        var scan: Double
        var commitP50: Double
    }

    static func rawFigures(records: Int) throws -> RawFigures {
        let folder = scratchFolder("cli-raw")
        defer { removeScratch(folder) }
        let raw = try RawLMDB(folder: folder)
        let payload = [UInt8](repeating: 0x61, count: 200)
        var start = now()
        var key: UInt64 = 0
        while key < UInt64(records) {
            try raw.appendBatch(from: key + 1, count: 1000, value: payload)
            key += 1000
        }
        let batched = Double(key) / (now() - start)
        start = now()
        let scanned = try raw.scan()
        let scan = Double(scanned) / (now() - start)
        var commits: [Double] = []
        for index in 0..<200 {
            let t0 = now()
            try raw.appendBatch(from: key + 1 + UInt64(index), count: 1, value: payload)
            commits.append((now() - t0) * 1000)
        }
        return RawFigures(batched: batched, scan: scan, commitP50: percentile(commits.sorted(), 0.5))
    }

    struct Outcome {
        var seconds: Double
        var status: Int32
        var peakRSSMegabytes: Double
        var output: String
    }

    /// Runs one process that must succeed; its standard output is kept, its peak RSS read from wait4.
    static func child(_ binary: String, _ arguments: [String]) throws -> Outcome {
        let outcome = try ChildProcess(binary, arguments).wait()
        guard outcome.status == 0 || arguments.contains("--verify") else {
            throw BenchError("\(binary) \(arguments.joined(separator: " ")) exited \(outcome.status)")
        }
        return outcome
    }

    static func jsonInteger(_ key: String, in text: String) -> Int? {
        guard let range = text.range(of: "\"\(key)\":") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber || $0 == " " }.trimmingCharacters(in: .whitespaces))
    }
}

/// The header of the platform's customer.csv (the columns `customer-es import` reads).
enum ImportCSVHeader {
    static let line = "customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered"
}

/// A child started with posix_spawn (Foundation's Process adds tens of milliseconds of its own), reaped with wait4
/// for its resource usage. `keepOutput`: its stdout goes to a scratch file that `wait()` returns (and its stderr
/// to /dev/null); otherwise stdout goes to /dev/null and stderr is the benchmark's.
final class ChildProcess {
    let pid: pid_t
    let started: Double
    let outputPath: String?
    private var reaped: CLIBenchmark.Outcome?

    init(_ path: String, _ arguments: [String], keepOutput: Bool = true) throws {
        let outputPath = keepOutput
            ? FileManager.default.temporaryDirectory.appendingPathComponent("customer-es-bench-out-\(UUID().uuidString)").path : nil
        self.outputPath = outputPath
        var pid: pid_t = 0
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        started = now()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchError("posix_spawn \(path) failed: \(rc)") }
        self.pid = pid
    }

    func hasExited() -> Bool {
        if reaped != nil { return true }
        return reap(options: WNOHANG)
    }

    func wait() throws -> CLIBenchmark.Outcome {
        if reaped == nil { _ = reap(options: 0) }
        guard let reaped else { throw BenchError("wait4 failed for pid \(pid)") }
        return reaped
    }

    private func reap(options: Int32) -> Bool {
        var status: Int32 = 0
        var usage = rusage()
        let result = wait4(pid, &status, options, &usage)
        guard result == pid else { return false }
        let seconds = now() - started
        let output = outputPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        if let outputPath { try? FileManager.default.removeItem(atPath: outputPath) }
        // ru_maxrss is in kilobytes on Linux.
        reaped = CLIBenchmark.Outcome(
            seconds: seconds, status: (status >> 8) & 0xFF, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024, output: output)
        return true
    }
}
