import Foundation

// customer-es-bench SUITE [options]: prints `key: value` lines. Performance lives here, never in tests.
let arguments = Array(CommandLine.arguments.dropFirst())
let suite = arguments.first ?? "help"

func option(_ name: String, default defaultValue: Int) -> Int {
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count,
          let value = Int(arguments[index + 1]), value > 0 else { return defaultValue }
    return value
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// `--clients threads|poll` (threads when absent).
func clientKindOption() throws -> HTTPBenchmark.ClientKind {
    let clients = option("clients") ?? "threads"
    guard let kind = HTTPBenchmark.ClientKind(rawValue: clients) else { throw BenchError("--clients is poll or threads, got \(clients)") }
    return kind
}

do {
    switch suite {
    case "store":
        try StoreBenchmark.run(events: option("events", default: 1_000_000), singles: option("singles", default: 2000))
    case "commands":
        try CommandsBenchmark.run(
            customers: option("customers", default: 100_000), singles: option("singles", default: 1000),
            cliRuns: option("cli-runs", default: 50))
    case "startup":
        guard let cli = option("cli") ?? builtCLI() else {
            throw BenchError("startup needs customer-es: build it in the same configuration first, or pass --cli PATH")
        }
        try StartupBenchmark.run(
            runs: option("runs", default: 50), customers: option("customers", default: 100), cli: cli,
            baseline: option("baseline"))
    case "cli":
        guard let cli = option("cli") ?? builtCLI() else {
            throw BenchError("cli needs customer-es: build it in the same configuration first, or pass --cli PATH")
        }
        try CLIBenchmark.run(
            customers: option("customers", default: 100_000), cli: cli, listRuns: option("list-runs", default: 100),
            createRuns: option("create-runs", default: 200))
    case "outbox":
        try OutboxBenchmark.run(emails: option("emails", default: 10_000), batch: option("batch", default: 100))
    case "projections":
        let folder = scratchFolder("projections")
        defer { removeScratch(folder) }
        for (key, value) in try runProjectionsBenchmark(customers: option("customers", default: 1_000_000), directory: folder) {
            report(key, value)
        }
    case "http":
        guard let cli = option("cli") ?? builtCLI() else {
            throw BenchError("http needs customer-es: build it in the same configuration first, or pass --cli PATH")
        }
        try HTTPBenchmark.run(
            requests: option("requests", default: 2000), cli: cli, clientKind: try clientKindOption(), customers: option("customers", default: 0))
    case "search":
        // Profiling aid: the searches of `projections` on a store kept by `BENCH_KEEP=1 … projections`.
        guard let path = option("store") else { throw BenchError("search needs --store DIR (a store kept with BENCH_KEEP=1)") }
        if let query = option("query") {
            for (key, value) in try runSortedSearchBenchmark(directory: URL(fileURLWithPath: path), query: query, rounds: option("rounds", default: 30)) {
                report(key, value)
            }
        } else {
            for (key, value) in try runSearchBenchmark(
                directory: URL(fileURLWithPath: path), rounds: option("rounds", default: 600), length: option("length").flatMap { Int($0) }) {
                report(key, value)
            }
        }
    case "api-creates":
        // Profiling aid: the http suite's admin API creates alone, on a store kept by `BENCH_KEEP=1 … http`.
        guard let path = option("store") else { throw BenchError("api-creates needs --store DIR (a store kept with BENCH_KEEP=1)") }
        guard let cli = option("cli") ?? builtCLI() else {
            throw BenchError("api-creates needs customer-es: build it in the same configuration first, or pass --cli PATH")
        }
        let requests = option("requests", default: 10_000)
        try HTTPBenchmark.runAPICreates(
            store: URL(fileURLWithPath: path), cli: cli, requests: requests, eachRequests: option("each-requests", default: requests),
            clientKind: try clientKindOption())
    case "search-pages":
        // Profiling aid: the http suite's searched Customers pages alone, on a store kept by `BENCH_KEEP=1 … http`.
        guard let path = option("store") else { throw BenchError("search-pages needs --store DIR (a store kept with BENCH_KEEP=1)") }
        guard let cli = option("cli") ?? builtCLI() else {
            throw BenchError("search-pages needs customer-es: build it in the same configuration first, or pass --cli PATH")
        }
        try HTTPBenchmark.runSearchPages(store: URL(fileURLWithPath: path), cli: cli, requests: option("requests", default: 2_000))
    case "rebuild":
        // Profiling aid: rebuilds the customer list of a store kept by `BENCH_KEEP=1 … projections`.
        guard let index = arguments.firstIndex(of: "--store"), index + 1 < arguments.count else {
            throw BenchError("rebuild needs --store DIR (a store kept with BENCH_KEEP=1)")
        }
        for (key, value) in try runRebuildBenchmark(
            directory: URL(fileURLWithPath: arguments[index + 1]), repeats: option("repeat", default: 1),
            verify: arguments.contains("--verify")) {
            report(key, value)
        }
    default:
        FileHandle.standardError.write(Data("""
        usage: customer-es-bench SUITE [options]
          store     [--events N (1000000)] [--singles N (2000)]   event store vs raw LMDB
          commands  [--customers N (100000)] [--singles N (1000)] [--cli-runs N (50)]
          startup   [--runs N (50)] [--customers N (100)] [--cli PATH] [--baseline PATH]   whole customer-es processes:
                    --version, list, create, beside one raw durable commit; --baseline times a second binary interleaved
          cli       [--customers N (100000)] [--cli PATH] [--list-runs N (100)] [--create-runs N (200)]   the release
                    customer-es as processes on an imported customer.csv: import, rebuild, rebuild --verify (wall, rate,
                    peak RSS), list, list --search, create (p50/p99), creates during a rebuild, beside raw LMDB loops
          projections [--customers N (1000000)]   rebuild, list pages and search over N customers
          rebuild   --store DIR [--repeat N] [--verify]   rebuild only, on a store kept by BENCH_KEEP=1 (for profiling)
          search    --store DIR [--rounds N (600)] [--length 1-6]   the searches of projections, on a kept store (per query length)
                    [--query TEXT]: that search as the back office's sorted page (20 rows), every sort and direction
          http      [--requests N (2000)] [--customers N (0)] [--cli PATH] [--clients threads|poll]   a real `customer-es serve`: static
                    route, confirm page and POST over keep-alive clients (1/16/64), POST and API creates at 64 clients
                    group-committed vs --commit-batch 1, sign-ins/s, the back office's Customers page (sorted by each
                    column, searched) and GET /api/customers p50/p99 at 16 clients; --customers imports N more first
          api-creates --store DIR [--requests N (10000)] [--each-requests N (= --requests)] [--cli PATH]
                    [--clients threads|poll]   the http suite's API creates at 64 clients alone, group-committed (N) and
                    with --commit-batch 1, on a store kept by BENCH_KEEP=1, with the CPU per create of serve and of the
                    clients (for profiling; a long group-committed run shows the steady state of the merges)
          search-pages --store DIR [--requests N (2000)] [--cli PATH]   the http suite's searched Customers pages alone (one
                    wide search repeated at 16 clients; a new wide search each time at 1 and 16), on a store kept by BENCH_KEEP=1
          outbox    [--emails N (10000)] [--batch N (100)]   dispatch N emails to the file transport and to loopback SMTP (aiosmtpd)

        """.utf8))
        exit(suite == "help" || suite == "--help" ? 0 : 2)
    }
} catch {
    FileHandle.standardError.write(Data("customer-es-bench: \(error)\n".utf8))
    exit(3)
}
