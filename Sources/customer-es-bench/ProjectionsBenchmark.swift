import CustomerAggregate
import CustomerService
import EventStore
import Foundation
import Projections

/// The read side's benchmark: loads `customers` customers through the decider with the customer list attached
/// inline, then measures a full rebuild, list pages and searches. Returns key/value pairs for the report.
///
/// - `load_events_per_s`: appends with the projection applied inline, 1000 commands per write transaction.
/// - `rebuild_list_only_events_per_s`: `ProjectionRebuilder.rebuild()` of the customer list alone over the whole log
///   (the directory and outbox are left out; `customer-es-bench cli` times the `rebuild` of every read model).
/// - `list_page_ms_p50/p99`: pages of 10 and 50 rows, every sort, both directions, with and without a status
///   filter, starting after a random customer (a random cursor). One read transaction per page, as the CLI.
/// - `search_ms_p50/p99`: random 1–6 character substrings of existing names and emails, random sort, status
///   filter on half of them, first page of 10 (the total is exact, so the whole match set is computed), after
///   some single creates whose postings are still pending; `search_lenN_p50/p99_ms` per query length.
public func runProjectionsBenchmark(customers: Int = 1_000_000, directory: URL) throws -> [(String, String)] {
    // The index's own work per search: no match set is reused from an earlier identical search.
    CustomerListView.reusesSearchMatches = false
    defer { CustomerListView.reusesSearchMatches = true }
    try? FileManager.default.removeItem(at: directory)
    let catalog = ProjectionCatalog([CustomerListView()])
    let store = try EventStore(
        directory: directory, options: .init(initialMapSize: 1 << 32),
        projections: catalog.inlineProjections, additionalTables: catalog.additionalTables)
    var results: [(String, String)] = [("customers", "\(customers)")]
    var generator = BenchRandom(seed: 42)
    // Cursors sealed as the application seals them (HMAC-SHA256 under a store key), so pages pay that cost too.
    let seal = TokenCodec(key: TokenKey.generate()).listCursorSeal

    // 1. Load.
    let loadStart = Date()
    var sample: [CustomerID] = []
    let batchSize = 1000
    var created = 0
    while created < customers {
        let count = min(batchSize, customers - created)
        let batch = (0..<count).map { offset in BenchCustomer.make(number: created + offset + 1, random: &generator) }
        for customer in batch where generator.next(max(1, customers / 2000)) == 0 { sample.append(customer.command.customerId) }
        let now = Date()
        try store.write { writer in
            for customer in batch {
                let context = DecisionContext(now: now)
                let events = try CustomerDecider.decide(.create(customer.command), state: CustomerDecider.initialState, context: context)
                let stream = try StreamName(customer.command.customerId.streamName)
                try writer.append(events.map(BenchCustomer.data), to: stream, expectedVersion: .noStream)
                if customer.verifies {
                    let state = CustomerDecider.replay(events)
                    let verified = try CustomerDecider.decide(.verifyEmail(tokenId: customer.command.verificationTokenId), state: state, context: context)
                    try writer.append(verified.map(BenchCustomer.data), to: stream, expectedVersion: .exact(UInt64(events.count)))
                }
            }
        }
        created += count
    }
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let head = try store.headPosition()
    results.append(("events", "\(head)"))
    results.append(("load_seconds", format(loadSeconds)))
    results.append(("load_events_per_s", format(Double(head) / loadSeconds, digits: 0)))

    // 2. Rebuild.
    let rebuilder = try ProjectionRebuilder(store: store, catalog: catalog)
    let report = try rebuilder.rebuild()
    results.append(("rebuild_list_only_seconds", format(report.duration)))
    results.append(("rebuild_list_only_events_per_s", format(report.eventsPerSecond, digits: 0)))

    // 3. Pages from random cursors.
    let rows = try store.read { reader in try sample.compactMap { try CustomerListView.row($0, in: reader) } }
    guard !rows.isEmpty else { throw BenchError("no sample rows") }
    var pageTimes: [Double] = []
    for sort in CustomerListSort.allCases {
        for descending in [false, true] {
            for status in [nil, CustomerStatus.unverified, .verified] {
                for limit in [10, 50] {
                    for round in 0..<40 {
                        var query = CustomerListQuery(status: status, sort: sort, descending: descending, limit: limit)
                        if round > 0 {
                            let start = rows[generator.next(rows.count)]
                            query.cursor = CustomerListView.cursor(after: start, for: query, seal: seal)
                        }
                        let started = DispatchTime.now().uptimeNanoseconds
                        let page = try store.read { try CustomerListView.page(query, seal: seal, in: $0) }
                        pageTimes.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                        if page.items.isEmpty && round == 0 && status == nil { throw BenchError("empty first page for \(sort)") }
                    }
                }
            }
        }
    }
    results.append(("list_pages_measured", "\(pageTimes.count)"))
    results.append(("list_page_p50_ms", format(percentile(pageTimes.sorted(), 0.50), digits: 3)))
    results.append(("list_page_p99_ms", format(percentile(pageTimes.sorted(), 0.99), digits: 3)))
    results.append(("list_page_max_ms", format(pageTimes.max() ?? 0, digits: 3)))

    // 4. Searches, with the postings of some recent single creates still pending (`PendingPostings`), as
    // in a store that takes commands one at a time.
    let singles = min(300, max(1, customers / 100))
    for offset in 0..<singles {
        let customer = BenchCustomer.make(number: customers + offset + 1, random: &generator)
        try store.write { writer in
            let events = try CustomerDecider.decide(.create(customer.command), state: CustomerDecider.initialState, context: DecisionContext(now: Date()))
            try writer.append(events.map(BenchCustomer.data), to: StreamName(customer.command.customerId.streamName), expectedVersion: .noStream)
        }
    }
    results.append(("single_creates_before_search", "\(singles)"))
    results += try measureSearches(store: store, rows: rows, seal: seal, generator: &generator)

    let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("data.mdb").path)[.size] as? NSNumber)??.int64Value ?? 0
    results.append(("store_size_bytes", "\(size)"))
    results.append(("store_bytes_per_customer", "\(size / Int64(max(1, customers)))"))
    return results
}

/// Searches for random 1–6 character substrings of the sample rows' names and emails (random sort, a status
/// filter on half of them, first page of 10; the total is exact, so the whole match set is computed).
private func measureSearches(
    store: EventStore, rows: [CustomerRow], seal: ListCursorSeal, generator: inout BenchRandom, rounds: Int = 600,
    onlyLength: Int? = nil
) throws -> [(String, String)] {
    var results: [(String, String)] = []
    var searchTimes: [Double] = []
    var byLength: [Int: [Double]] = [:]
    // CPU time of this thread too: on a shared machine the wall time also counts waiting for a core.
    var cpuByLength: [Int: [Double]] = [:]
    var slowest: [(Double, String)] = []
    var matchCounts: [Int] = []
    for _ in 0..<rounds {
        let row = rows[generator.next(rows.count)]
        let source = [row.profile.email, row.profile.firstName, row.profile.lastName, row.profile.email][generator.next(4)]
        let characters = Array(source)
        let length = min(characters.count, onlyLength ?? 1 + generator.next(6))
        let start = generator.next(characters.count - length + 1)
        let text = String(characters[start..<start + length])
        let sort = CustomerListSort.allCases[generator.next(CustomerListSort.allCases.count)]
        let status: CustomerStatus? = generator.next(2) == 0 ? nil : (generator.next(2) == 0 ? .verified : .unverified)
        let query = CustomerListQuery(status: status, search: text, sort: sort, descending: generator.next(2) == 0, limit: 10)
        let cpuStarted = threadCPUSeconds()
        let started = DispatchTime.now().uptimeNanoseconds
        let page = try store.read { try CustomerListView.page(query, seal: seal, in: $0) }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        searchTimes.append(elapsed)
        byLength[length, default: []].append(elapsed)
        cpuByLength[length, default: []].append((threadCPUSeconds() - cpuStarted) * 1000)
        slowest.append((elapsed, "\(text) total=\(page.total) sort=\(sort) status=\(String(describing: status))"))
        matchCounts.append(page.total)
    }
    results.append(("searches_measured", "\(searchTimes.count)"))
    results.append(("search_p50_ms", format(percentile(searchTimes.sorted(), 0.50), digits: 3)))
    results.append(("search_p99_ms", format(percentile(searchTimes.sorted(), 0.99), digits: 3)))
    results.append(("search_max_ms", format(searchTimes.max() ?? 0, digits: 3)))
    for length in byLength.keys.sorted() {
        let times = (byLength[length] ?? []).sorted()
        results.append(("search_len\(length)_p50_ms", format(percentile(times, 0.50), digits: 3)))
        results.append(("search_len\(length)_p99_ms", format(percentile(times, 0.99), digits: 3)))
        let cpu = (cpuByLength[length] ?? []).sorted()
        results.append(("search_len\(length)_cpu_p50_ms", format(percentile(cpu, 0.50), digits: 3)))
        results.append(("search_len\(length)_cpu_p99_ms", format(percentile(cpu, 0.99), digits: 3)))
    }
    if ProcessInfo.processInfo.environment["BENCH_SLOWEST"] != nil {
        for (time, label) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(8) { results.append(("slow_search", "\(format(time, digits: 2)) ms \(label)")) }
    }
    results.append(("search_total_p50", "\(Int(percentile((matchCounts.map(Double.init)).sorted(), 0.5)))"))
    results.append(("search_total_max", "\(matchCounts.max() ?? 0)"))

    return results
}

/// The CPU time this thread has used, in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// `search --store DIR`: the searches of `projections` on a kept store (for profiling search alone).
public func runSearchBenchmark(directory: URL, rounds: Int, length: Int?) throws -> [(String, String)] {
    // The index's own work per search: no match set is reused from an earlier identical search.
    CustomerListView.reusesSearchMatches = false
    defer { CustomerListView.reusesSearchMatches = true }
    let catalog = ProjectionCatalog([CustomerListView()])
    let store = try EventStore(
        directory: directory, options: .init(initialMapSize: 1 << 32),
        projections: catalog.inlineProjections, additionalTables: catalog.additionalTables)
    var generator = BenchRandom(seed: 7)
    var rows: [CustomerRow] = []
    // A sample from the first 100 000 rows (in creation order) is enough, and keeps profiling runs short.
    struct Enough: Error {}
    do {
        _ = try CustomerListView.forEachBatch(matching: CustomerListQuery(), in: store) { batch in
            for row in batch where generator.next(50) == 0 { rows.append(row) }
            if rows.count >= 2000 { throw Enough() }
        }
    } catch is Enough {}
    let count = try store.read { try CustomerListView.page(CustomerListQuery(limit: 1), seal: TokenCodec(key: TokenKey.generate()).listCursorSeal, in: $0).total }
    guard !rows.isEmpty else { throw BenchError("no customers in the store") }
    let seal = TokenCodec(key: TokenKey.generate()).listCursorSeal
    return [("customers", "\(count)")] + (try measureSearches(store: store, rows: rows, seal: seal, generator: &generator, rounds: rounds, onlyLength: length))
}

/// `search --store DIR --query TEXT`: one search as the back office's Customers page asks it (20 rows, first
/// page), for every sort and direction, `rounds` times each: p50/p99 of this thread's CPU time and the wall p99.
public func runSortedSearchBenchmark(directory: URL, query text: String, rounds: Int) throws -> [(String, String)] {
    // The index's own work per search: no match set is reused from an earlier identical search.
    CustomerListView.reusesSearchMatches = false
    defer { CustomerListView.reusesSearchMatches = true }
    let catalog = ProjectionCatalog([CustomerListView()])
    let store = try EventStore(
        directory: directory, options: .init(initialMapSize: 1 << 32),
        projections: catalog.inlineProjections, additionalTables: catalog.additionalTables)
    let seal = TokenCodec(key: TokenKey.generate()).listCursorSeal
    var results: [(String, String)] = []
    var worst: Double = 0
    for sort in CustomerListSort.allCases {
        for descending in [false, true] {
            let query = CustomerListQuery(search: text, sort: sort, descending: descending, limit: 20)
            var cpu: [Double] = []
            var wall: [Double] = []
            var total = 0
            for _ in 0..<max(1, rounds) {
                let cpuStarted = threadCPUSeconds()
                let started = DispatchTime.now().uptimeNanoseconds
                total = try store.read { try CustomerListView.page(query, seal: seal, in: $0) }.total
                wall.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                cpu.append((threadCPUSeconds() - cpuStarted) * 1000)
            }
            cpu.sort()
            wall.sort()
            let label = "query_\(sort)_\(descending ? "desc" : "asc")"
            results.append(("\(label)_cpu_p50_ms", format(percentile(cpu, 0.50), digits: 3)))
            results.append(("\(label)_cpu_p99_ms", format(percentile(cpu, 0.99), digits: 3)))
            results.append(("\(label)_wall_p99_ms", format(percentile(wall, 0.99), digits: 3)))
            results.append(("\(label)_total", "\(total)"))
            worst = max(worst, percentile(cpu, 0.99))
        }
    }
    results.append(("query_worst_cpu_p99_ms", format(worst, digits: 3)))
    return results
}

/// Rebuilds the customer list of an existing store `repeats` times (no load; for profiling the rebuild alone),
/// or, with `verify`, compares a fresh rebuild with the live tables.
public func runRebuildBenchmark(directory: URL, repeats: Int, verify: Bool = false) throws -> [(String, String)] {
    let catalog = ProjectionCatalog([CustomerListView()])
    let store = try EventStore(
        directory: directory, options: .init(initialMapSize: 1 << 32),
        projections: catalog.inlineProjections, additionalTables: catalog.additionalTables)
    let rebuilder = try ProjectionRebuilder(store: store, catalog: catalog)
    var results: [(String, String)] = [("events", "\(try store.headPosition())")]
    if verify {
        let report = try rebuilder.verify()
        results.append(("verify_seconds", format(report.duration, digits: 3)))
        results.append(("verify_differences", "\(report.differenceCount)"))
        for difference in report.differences.prefix(5) { results.append(("difference", difference.description)) }
        return results
    }
    for round in 1...max(1, repeats) {
        let report = try rebuilder.rebuild()
        results.append(("rebuild\(round)_seconds", format(report.duration, digits: 3)))
        results.append(("rebuild\(round)_events_per_s", format(report.eventsPerSecond, digits: 0)))
    }
    return results
}

/// One generated customer: names from small pools (so that many share a name, as in real data), a unique
/// email, 30 % with a password token, 50 % verifying right away.
private struct BenchCustomer {
    let command: CreateCustomer
    let verifies: Bool

    static let firstNames: [String] = {
        let starts = ["An", "Be", "Car", "Da", "El", "Fe", "Gi", "Ha", "Is", "Jo", "Ka", "Lu", "Ma", "Ni", "Ol", "Pe", "Ra", "Sa", "Ti", "Zo"]
        let ends = ["na", "bert", "la", "vid", "ias", "lix", "sela", "nnah", "abel", "nas", "rin", "kas", "rie", "klas", "ga", "ter", "fael", "ra", "mo", "ë"]
        return starts.flatMap { start in ends.map { start + $0 } }
    }()

    static let lastNames: [String] = {
        let starts = ["Mül", "Schm", "Wag", "Bec", "Hof", "Sch", "Kö", "Ørs", "Ång", "Wei", "Kra", "Lan", "Ber", "Fis", "Neu", "Zim", "Bra", "Har", "Lor", "Vo"]
        let middles = ["", "ten", "ber", "del", "st", "ing"]
        let ends = ["ler", "idt", "ner", "ker", "mann", "ström", "ted", "er", "s", "berg"]
        return starts.flatMap { start in middles.flatMap { middle in ends.map { start + middle + $0 } } }
    }()

    static let domains = ["example.com", "mail.de", "web.de", "gmx.net", "shop.io", "firma.de", "post.org", "outlook.com"]

    static func make(number: Int, random: inout BenchRandom) -> BenchCustomer {
        let first = firstNames[random.next(firstNames.count)]
        let last = lastNames[random.next(lastNames.count)]
        let domain = domains[random.next(domains.count)]
        let local = random.next(3) == 0 ? "\(first).\(last)\(number)" : "\(first.prefix(1))\(last)\(number)"
        let password = random.next(10) < 3
        let form = CustomerForm(
            email: asciiEmail(local) + "@" + domain, salutation: "Mrs", firstName: first,
            lastName: last, locale: "en_US")
        let command = CreateCustomer(
            customerId: CustomerID(UUID()), reference: CustomerReference(prefix: "DE", number: UInt64(number)), form: form,
            sendPasswordToken: password, emailAlreadyUsed: false, verificationTokenId: UUID(),
            passwordTokenId: password ? UUID() : nil)
        return BenchCustomer(command: command, verifies: random.next(2) == 0)
    }

    /// Emails must be ASCII (names need not be): the local part drops the diacritics of the generated names.
    static func asciiEmail(_ local: String) -> String {
        let replacements: [Character: String] = ["ë": "e", "ü": "u", "ö": "o", "Ø": "O", "Å": "A"]
        return String(local.flatMap { replacements[$0] ?? String($0) })
    }

    static func data(_ event: CustomerEvent) -> EventData {
        EventData(
            type: event.typeName, schemaVersion: event.schemaVersion, metadata: EventMetadata(actor: "bench"),
            payload: event.encodePayload())
    }
}

private struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(1, bound)))
    }
}

private func format(_ value: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}
