import CustomerAggregate
import CustomerService
import Foundation
import Projections

/// `customer-es-bench http`: a real `customer-es serve` process (the CLI built beside this benchmark, as users run
/// it) driven by keep-alive clients on raw sockets. Per round of 1, 16 and 64 clients: a static route of the same
/// server beside GET of the confirm page and POST of the confirm form (the ratios are to the static route of the
/// same round); then POST confirm from 64 clients against a server that group-commits (the default) and one started
/// with `--commit-batch 1` (one durable commit per request); then sign-ins over `POST /api/authenticate` (each a
/// yescrypt verification); then admin API creates (`POST /api/customers` with a bearer key) from 64 clients,
/// group-committed and with `--commit-batch 1`; and the back office's Customers page (sorted, and searched) as a
/// signed-in operator's browser asks for it, from 16 clients.
enum HTTPBenchmark {
    static let clientCounts = [1, 16, 64]
    static let signInClients = 16
    static let signInCustomers = 16
    static let password = "Bench-Harbour-4242-x"

    /// How the benchmark's clients wait: `threads` blocks one OS thread per connection (the default), `poll`
    /// multiplexes every connection on one thread (less client CPU per request on a quiet machine; on a busy one
    /// its single thread gets a smaller share of the cores than 64 threads do, so its rates are lower there).
    enum ClientKind: String { case poll, threads }

    static func run(requests: Int, cli: String, clientKind: ClientKind = .threads, customers: Int = 0) throws {
        let folder = scratchFolder("http")
        defer { removeScratch(folder) }
        let store = folder.appendingPathComponent("store")
        if customers > 0 { try importCustomers(customers, into: store, folder: folder, cli: cli) }
        let service = try CustomerService(directory: store)
        // One fresh verification token per POST of every round and of both commit modes, plus one for the GET page.
        var tokens = TokenSupply(try makeTokens(service, count: requests * clientCounts.count + 2 * requests + 1))
        let pageToken = tokens.take(1)[0]
        let signIns = try makeSignIns(service, count: signInCustomers)
        let apiKey = try service.createApiKey(name: "bench", role: .agent, metadata: CommandMetadata(actor: "bench")).key
        // A signed-in viewer's session (the cookie a browser would send) for the back office's Customers page.
        _ = try service.addOperator(name: "viewer", role: .viewer, password: password, metadata: CommandMetadata(actor: "bench"))
        let session = try service.signInOperator(name: "viewer", password: password, metadata: CommandMetadata(actor: "bench")).id
        let listedCustomers = try service.listPage(CustomerListQuery(limit: 1)).total
        report("cli", cli)
        report("clients", clientKind.rawValue)
        report("requests_per_round", "\(requests)")

        let grouped = try BenchServeProcess(cli: cli, store: store, log: folder.appendingPathComponent("serve-grouped.log"), arguments: [])
        for clients in clientCounts {
            let statics = try drive(clientKind, port: grouped.port, clients: clients, count: requests) { _ in
                "GET /static/storefront.css HTTP/1.1\r\nHost: bench\r\n\r\n"
            }
            let pages = try drive(clientKind, port: grouped.port, clients: clients, count: requests) { _ in
                "GET /register/confirm?token=\(pageToken) HTTP/1.1\r\nHost: bench\r\n\r\n"
            }
            let roundTokens = tokens.take(requests)
            let posts = try drive(clientKind, port: grouped.port, clients: clients, count: requests) { confirmPost(roundTokens[$0]) }
            for (name, result) in [("static", statics), ("get_confirm", pages), ("post_confirm", posts)] {
                report("\(name)_c\(clients)_per_s", result.perSecond)
                report("\(name)_c\(clients)_p50_ms", result.p50, decimals: 3)
                report("\(name)_c\(clients)_p99_ms", result.p99, decimals: 3)
            }
            report("get_confirm_c\(clients)_vs_static", pages.perSecond / statics.perSecond, decimals: 2)
            report("post_confirm_c\(clients)_vs_static", posts.perSecond / statics.perSecond, decimals: 2)
        }

        // POST confirm from 64 clients: the default server, then one that commits every request on its own.
        let batchedTokens = tokens.take(requests)
        let groupedCPU = grouped.cpuSeconds
        let clientCPU = ownCPUSeconds()
        let batched = try drive(clientKind, port: grouped.port, clients: 64, count: requests) { confirmPost(batchedTokens[$0]) }
        let batchedCPU = (grouped.cpuSeconds - groupedCPU) / Double(requests)
        let batchedClientCPU = (ownCPUSeconds() - clientCPU) / Double(requests)
        let signInCount = max(64, requests / 10)
        let signInBody: @Sendable (Int) -> String = { index in
            let body = #"{"email": "\#(signIns[index % signIns.count])", "password": "\#(password)"}"#
            return "POST /api/authenticate HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        let authentications = try drive(clientKind, port: grouped.port, clients: signInClients, count: signInCount, request: signInBody)
        let apiGrouped = try drive(clientKind, port: grouped.port, clients: 64, count: requests) { apiCreate(key: apiKey, email: "api-g\($0)@example.com") }
        // The back office's Customers page (20 rows, sorted by last name; then a search), through the session gate.
        @Sendable func backOffice(_ query: String) -> String {
            "GET /backoffice/customers?\(query) HTTP/1.1\r\nHost: bench\r\nCookie: ces_session=\(session)\r\n\r\n"
        }
        let listPage = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in backOffice("sort=last-name&dir=desc") }
        let searchPage = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { index in
            backOffice("search=mark\(index % 10)")
        }
        // Every column the page sorts by (ascending; the header links offer both directions).
        var sortedPages: [(CustomerListSort, Result)] = []
        for sort in CustomerListSort.allCases {
            sortedPages.append((sort, try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in backOffice("sort=\(sort.rawValue)") }))
        }
        let wideSearches = try wideSearchRuns(requests: requests, page: backOffice).map { run in
            (run.figure, try drive(clientKind, port: grouped.port, clients: run.clients, count: run.count, request: run.request))
        }
        // The admin API's list.
        let apiList = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in
            "GET /api/customers HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer \(apiKey)\r\n\r\n"
        }
        // Audit and Outbox, newest first (each page walks back only the log it shows); the dead emails, which are
        // few, are a page of the state index (`outbox.states`) however far apart they were queued.
        @Sendable func page(_ path: String) -> String {
            "GET \(path) HTTP/1.1\r\nHost: bench\r\nCookie: ces_session=\(session)\r\n\r\n"
        }
        let auditPage = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in page("/backoffice/audit") }
        let outboxPage = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in page("/backoffice/outbox") }
        let outboxDead = try drive(clientKind, port: grouped.port, clients: 16, count: requests) { _ in page("/backoffice/outbox?state=dead") }
        report("serve_rss_kib", "\(grouped.residentKiB)")
        try grouped.stop()

        let single = try BenchServeProcess(
            cli: cli, store: store, log: folder.appendingPathComponent("serve-single.log"), arguments: ["--commit-batch", "1"])
        let singleTokens = tokens.take(requests)
        let singleCPU = single.cpuSeconds
        let each = try drive(clientKind, port: single.port, clients: 64, count: requests) { confirmPost(singleTokens[$0]) }
        let eachCPU = (single.cpuSeconds - singleCPU) / Double(requests)
        let apiEach = try drive(clientKind, port: single.port, clients: 64, count: requests) { apiCreate(key: apiKey, email: "api-s\($0)@example.com") }
        try single.stop()
        report("post_confirm_c64_group_commit_per_s", batched.perSecond)
        report("post_confirm_c64_group_commit_p99_ms", batched.p99, decimals: 3)
        report("post_confirm_c64_commit_each_per_s", each.perSecond)
        report("post_confirm_c64_commit_each_p99_ms", each.p99, decimals: 3)
        report("post_confirm_c64_group_commit_serve_cpu_us", batchedCPU * 1e6)
        report("post_confirm_c64_commit_each_serve_cpu_us", eachCPU * 1e6)
        // Whether the machine's cores are the limit: serve's and the clients' CPU per request beside the wall time
        // per request times the cores both share.
        report("post_confirm_c64_group_commit_client_cpu_us", batchedClientCPU * 1e6)
        report("post_confirm_c64_group_commit_wall_us_x_cores", 1e6 / batched.perSecond * Double(ProcessInfo.processInfo.activeProcessorCount))
        report("group_commit_speedup", batched.perSecond / each.perSecond, decimals: 1)
        report("api_create_c64_group_commit_per_s", apiGrouped.perSecond)
        report("api_create_c64_group_commit_p99_ms", apiGrouped.p99, decimals: 3)
        report("api_create_c64_commit_each_per_s", apiEach.perSecond)
        report("api_create_c64_commit_each_p99_ms", apiEach.p99, decimals: 3)
        report("api_create_group_commit_speedup", apiGrouped.perSecond / apiEach.perSecond, decimals: 1)
        report("backoffice_list_customers", "\(listedCustomers)")
        var pageFigures = [
            ("backoffice_list_c16", listPage), ("backoffice_search_c16", searchPage),
        ] + wideSearches
        pageFigures += sortedPages.map { ("backoffice_list_sort_\($0.0.rawValue.replacingOccurrences(of: "-", with: "_"))_c16", $0.1) }
        pageFigures.append(("api_list_customers_c16", apiList))
        pageFigures += [("backoffice_audit_c16", auditPage), ("backoffice_outbox_c16", outboxPage), ("backoffice_outbox_dead_c16", outboxDead)]
        for (name, result) in pageFigures {
            report("\(name)_per_s", result.perSecond)
            report("\(name)_p50_ms", result.p50, decimals: 3)
            report("\(name)_p99_ms", result.p99, decimals: 3)
        }
        report("authenticate_c\(signInClients)_per_s", authentications.perSecond, decimals: 1)
        report("authenticate_c\(signInClients)_p50_ms", authentications.p50, decimals: 1)
        report("authenticate_c\(signInClients)_p99_ms", authentications.p99, decimals: 1)
    }

    /// The API creates of `run` alone against `store` (kept from an earlier run): 64 clients, group-committed,
    /// then with `--commit-batch 1`; the serve process's CPU per create beside the wall time.
    static func runAPICreates(store: URL, cli: String, requests: Int, eachRequests: Int, clientKind: ClientKind) throws {
        let folder = scratchFolder("api-creates")
        defer { removeScratch(folder) }
        let run = UUID().uuidString.prefix(8).lowercased()
        let apiKey = try CustomerService(directory: store).createApiKey(name: "bench-\(run)", role: .agent, metadata: CommandMetadata(actor: "bench")).key
        var rates: [String: Double] = [:]
        for (mode, arguments, count) in [("group_commit", [String](), requests), ("commit_each", ["--commit-batch", "1"], eachRequests)] {
            let server = try BenchServeProcess(cli: cli, store: store, log: folder.appendingPathComponent("serve-\(mode).log"), arguments: arguments)
            let cpu = server.cpuSeconds
            let clientCPU = ownCPUSeconds()
            let result = try drive(clientKind, port: server.port, clients: 64, count: count) { apiCreate(key: apiKey, email: "api-\(run)-\(mode)-\($0)@example.com") }
            report("api_create_c64_\(mode)_serve_cpu_us", (server.cpuSeconds - cpu) / Double(count) * 1e6)
            report("api_create_c64_\(mode)_client_cpu_us", (ownCPUSeconds() - clientCPU) / Double(count) * 1e6)
            try server.stop()
            report("api_create_c64_\(mode)_per_s", result.perSecond)
            report("api_create_c64_\(mode)_p99_ms", result.p99, decimals: 3)
            rates[mode] = result.perSecond
        }
        report("api_create_group_commit_speedup", (rates["group_commit"] ?? 0) / (rates["commit_each"] ?? 1), decimals: 1)
    }

    /// The searched Customers pages of `run` alone against `store` (kept from an earlier run): one wide search
    /// repeated (its matches kept per snapshot), then every 4-letter piece of the generated names in turn (each
    /// computed), from one client and from 16; the serve process's CPU per page beside the latencies.
    static func runSearchPages(store: URL, cli: String, requests: Int) throws {
        let folder = scratchFolder("search-pages")
        defer { removeScratch(folder) }
        let service = try CustomerService(directory: store)
        let name = "viewer-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try service.addOperator(name: name, role: .viewer, password: password, metadata: CommandMetadata(actor: "bench"))
        let session = try service.signInOperator(name: name, password: password, metadata: CommandMetadata(actor: "bench")).id
        let server = try BenchServeProcess(cli: cli, store: store, log: folder.appendingPathComponent("serve.log"), arguments: [])
        defer { try? server.stop() }
        @Sendable func page(_ query: String) -> String {
            "GET /backoffice/customers?\(query) HTTP/1.1\r\nHost: bench\r\nCookie: ces_session=\(session)\r\n\r\n"
        }
        for run in wideSearchRuns(requests: requests, page: page) {
            let cpu = server.cpuSeconds
            let result = try drive(.threads, port: server.port, clients: run.clients, count: run.count, request: run.request)
            report("\(run.figure)_serve_cpu_ms", (server.cpuSeconds - cpu) / Double(run.count) * 1e3, decimals: 2)
            report("\(run.figure)_per_s", result.perSecond)
            report("\(run.figure)_p50_ms", result.p50, decimals: 3)
            report("\(run.figure)_p99_ms", result.p99, decimals: 3)
        }
    }

    /// The wide searches of the Customers page, as `page` (its query → the request) asks for them. A search that
    /// matches many customers (a first name of the generated ones) again and again, as paging, sorting or
    /// filtering it asks for the same matches (kept per snapshot); then a new search each time, which computes
    /// them: every 4-letter piece of the generated names in turn, more of them than the match cache keeps, so that
    /// none is answered from it; alone (what one operator waits) and from 16 clients.
    static func wideSearchRuns(
        requests: Int, page: @escaping @Sendable (String) -> String
    ) -> [(figure: String, clients: Int, count: Int, request: @Sendable (Int) -> String)] {
        let pieces = wideQueries
        let varied: @Sendable (Int) -> String = { page("search=\(pieces[$0 % pieces.count])") }
        return [
            ("backoffice_search_wide_c16", 16, requests, { _ in page("search=anna") }),
            ("backoffice_search_wide_varied_c1", 1, min(requests, 200), varied),
            ("backoffice_search_wide_varied_c16", 16, requests, varied),
        ]
    }

    /// `customers` customers imported from a generated customer.csv by the CLI's `import` (the application
    /// layer's bulk path, as `cli` does), before anything else opens the store; numbered from 10 000 000 so that
    /// the customers created afterwards keep their own emails.
    static func importCustomers(_ customers: Int, into store: URL, folder: URL, cli: String) throws {
        let csv = folder.appendingPathComponent("customer.csv")
        try CLIBenchmark.writeCustomerCSV(customers: customers, firstIndex: 10_000_000, to: csv)
        let imported = try CLIBenchmark.child(cli, ["--store", store.path, "import", csv.path])
        try? FileManager.default.removeItem(at: csv)
        report("imported_customers", "\(customers)")
        report("import_seconds", imported.seconds, decimals: 1)
    }

    /// Every 4-letter piece of the generated first and last names (folded): each matches a tenth or an eighth of
    /// the imported customers.
    static let wideQueries: [String] = {
        var pieces: [String] = []
        for name in CommandsBenchmark.firstNames + CommandsBenchmark.lastNames {
            let letters = Array(name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased())
            guard letters.count >= 4, letters.allSatisfy({ $0.isASCII && $0.isLetter }) else { continue }
            for start in 0...(letters.count - 4) where !pieces.contains(String(letters[start..<start + 4])) {
                pieces.append(String(letters[start..<start + 4]))
            }
        }
        return pieces
    }()

    /// `POST /api/customers` with an admin API key: a create through the group commit (two events, one email).
    static func apiCreate(key: String, email: String) -> String {
        let body = #"{"email": "\#(email)", "salutation": "Ms", "firstName": "Bench", "lastName": "Mark"}"#
        return "POST /api/customers HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// The confirm form as the confirm page posts it: the token and the page's locale (which spares the server
    /// looking the customer's locale up before the command).
    static func confirmPost(_ token: String) -> String {
        let body = "token=\(token)&_locale=en_US"
        return "POST /register/confirm HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    struct Result {
        let perSecond: Double
        let p50: Double
        let p99: Double
    }

    /// Tokens handed out in order, each once.
    struct TokenSupply {
        private let tokens: [String]
        private var next = 0
        init(_ tokens: [String]) { self.tokens = tokens }
        mutating func take(_ count: Int) -> [String] {
            defer { next += count }
            return Array(tokens[next..<(next + count)])
        }
    }

    /// `count` Unverified customers created in batches; the token of each one's verification link.
    static func makeTokens(_ service: CustomerService, count: Int) throws -> [String] {
        var tokens: [String] = []
        var created = 0
        while created < count {
            let batch = min(1000, count - created)
            let forms = (0..<batch).map { (form: CommandsBenchmark.form(created + $0), sendPasswordToken: false) }
            for result in try service.createMany(forms, metadata: CommandMetadata(actor: "bench")) {
                guard case .success(let outcome) = result, let reference = outcome.reference else {
                    throw BenchError("a generated customer was rejected")
                }
                let (_, state, _) = try service.customer(reference)
                guard let id = state.verificationToken?.id else { throw BenchError("no verification token") }
                tokens.append(service.token(for: id, purpose: .emailVerification))
            }
            created += batch
        }
        return tokens
    }

    /// `count` customers whose password is `password`, set through their password-set link (which also verifies
    /// them, so they may sign in); their email addresses.
    static func makeSignIns(_ service: CustomerService, count: Int) throws -> [String] {
        let forms = (0..<count).map { index in
            var form = CommandsBenchmark.form(1_000_000 + index)
            form.email = "signin\(index)@example.com"
            return (form: form, sendPasswordToken: true)
        }
        var emails: [String] = []
        for (index, result) in try service.createMany(forms, metadata: CommandMetadata(actor: "bench")).enumerated() {
            guard case .success(let outcome) = result, let reference = outcome.reference else {
                throw BenchError("a generated customer was rejected")
            }
            let (_, state, _) = try service.customer(reference)
            guard let id = state.passwordToken?.id else { throw BenchError("no password token") }
            _ = try service.setPassword(token: service.token(for: id, purpose: .passwordSet), password: password, metadata: CommandMetadata(actor: "bench"))
            emails.append(forms[index].form.email)
        }
        return emails
    }

    /// `count` requests spread over `clients` keep-alive connections, each answer 2xx or the run fails; latencies
    /// in milliseconds.
    static func drive(_ clientKind: ClientKind, port: UInt16, clients: Int, count: Int, request: @escaping @Sendable (Int) -> String) throws -> Result {
        if clientKind == .poll { return try PolledClients.drive(port: port, clients: clients, requests: count, request: request) }
        let latencies = LatencyLog()
        let failures = FailureLog()
        let next = Counter()
        let group = DispatchGroup()
        let start = now()
        for _ in 0..<clients {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = KeepAliveConnection(port: port) else { return failures.add("cannot connect to port \(port)") }
                defer { connection.close() }
                while true {
                    let index = next.take()
                    guard index < count else { return }
                    let t0 = now()
                    let status = connection.exchange(request(index))
                    guard let status, (200..<300).contains(status) else { return failures.add("a request was answered \(status.map(String.init) ?? "with nothing")") }
                    latencies.add((now() - t0) * 1000)
                }
            }.start()
        }
        group.wait()
        let seconds = now() - start
        let sorted = latencies.sorted
        if let failure = failures.first { throw BenchError(failure) }
        guard sorted.count == count else { throw BenchError("only \(sorted.count) of \(count) requests were answered") }
        return Result(perSecond: Double(count) / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99))
    }
}

/// User and system CPU time of this process (the benchmark's clients) so far.
func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.withLock { values.append(value) } }
    var sorted: [Double] { lock.withLock { values.sorted() } }
}

final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
}
