import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The admin API under `/api/…`: JSON in the CLI's shapes and error codes, `Authorization: Bearer KEY` (an API
/// key from `customer-es api-key create`), `Idempotency-Key` as the request id. Every write records the key as
/// the actor (`api-key:NAME`); creates go through the group commit.
extension BackOfficeSite {
    static let apiBodyLimit = 64 * 1024

    func addAPIRoutes(to router: inout Router) {
        router.post("/api/customers", bodyLimit: Self.apiBodyLimit) { request in try api(request, writes: true) { try createCustomer(request, $0) } }
        router.get("/api/customers") { request in try api(request, writes: false) { _ in try listCustomers(request) } }
        router.add(.get, pathsUnder: "/api/customers/") { request in try api(request, writes: false) { _ in try readCustomer(request) } }
        router.add(.patch, pathsUnder: "/api/customers/", bodyLimit: Self.apiBodyLimit) { request in
            try api(request, writes: true) { try editCustomer(request, $0) }
        }
        router.add(.post, pathsUnder: "/api/customers/", bodyLimit: Self.apiBodyLimit) { request in
            try api(request, writes: true) { try customerAction(request, $0) }
        }
        router.add(.delete, pathsUnder: "/api/customers/", bodyLimit: Self.apiBodyLimit) { request in
            try api(request, writes: true) { try deleteFromCustomer(request, $0) }
        }
        router.get("/api/audit") { request in try api(request, writes: false) { _ in try audit(request) } }
        router.get("/api/events") { request in try api(request, writes: false) { _ in try events(request) } }
    }

    /// Authenticates the bearer key, checks its role, runs `body`, and turns every refusal into its status and
    /// the CLI's error object.
    func api(_ request: HTTPRequest, writes: Bool, _ body: (Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        if let wait = apiKeyFailures.retryAfter(request.remoteAddress) {
            var answer = APIJSON.error(code: "tooManyRequests", message: "Too many requests with a wrong API key from this address; try again in \(wait) s.")
                .response(.tooManyRequests)
            answer.headers.set("Retry-After", String(wait))
            return answer
        }
        let header = request.headers["Authorization"] ?? ""
        guard header.lowercased().hasPrefix("bearer "),
              let principal = try service.principal(forApiKey: String(header.dropFirst(7)).trimmingWhitespace())
        else {
            // A key that was sent and is not live counts (guessing); no key at all is no guess.
            if !header.isEmpty { apiKeyFailures.record(request.remoteAddress) }
            var answer = APIJSON.error(code: "unauthorized", message: "Send a live API key as `Authorization: Bearer KEY` (`customer-es api-key create NAME`).")
                .response(.unauthorized)
            answer.headers.set("WWW-Authenticate", "Bearer")
            return answer
        }
        if writes && !principal.role.mayActOnCustomers {
            return APIJSON.error(code: DomainError.Code.forbidden.rawValue, message: "The API key \(principal.name) has the role \(principal.role.rawValue), which only reads.")
                .response(.forbidden)
        }
        do {
            return try body(principal)
        } catch let error as APIRequestError {
            return APIJSON.error(code: error.code, message: error.message, problems: error.problems).response(error.status)
        } catch let error as HTTPError {
            throw error
        } catch {
            let failure = ServiceFailure(error)
            return APIJSON.error(code: failure.code, message: failure.message, problems: failure.problems).response(Self.status(of: failure))
        }
    }

    static let notFoundCodes: Set<String> = ["customerNotFound", "customerNotYetCreated", "noteNotFound", "addressNotFound"]
    static let conflictCodes: Set<String> = [
        "emailAlreadyUsed", "customerAlreadyExists", "concurrentChange", "alreadyVerified", "notUnverified", "requestIdReused",
        "noteAlreadyWithdrawn",
    ]

    static func status(of failure: ServiceFailure) -> HTTPStatus {
        switch failure.kind {
        case .rejected:
            if notFoundCodes.contains(failure.code) { return .notFound }
            if conflictCodes.contains(failure.code) { return .conflict }
            return .unprocessableContent
        case .store, .io:
            return .serviceUnavailable
        }
    }

    func metadata(_ request: HTTPRequest, _ principal: Principal) -> CommandMetadata {
        metadata(for: principal, requestID: request.headers["Idempotency-Key"])
    }

    // MARK: Customers

    func createCustomer(_ request: HTTPRequest, _ principal: Principal) throws -> HTTPResponse {
        let body = try APIRequestError.jsonObject(request)
        let form = CustomerForm(
            email: body.string("email") ?? "", salutation: body.string("salutation") ?? "", firstName: body.string("firstName") ?? "",
            lastName: body.string("lastName") ?? "", gender: body.string("gender"), dateOfBirth: body.string("dateOfBirth"),
            phone: body.string("phone"), company: body.string("company"), locale: body.string("locale"))
        let outcome = try commands.create(form, sendPasswordToken: body.bool("sendPasswordToken"), metadata: metadata(request, principal))
        return try outcomeResponse(outcome, status: .created)
    }

    func listCustomers(_ request: HTTPRequest) throws -> HTTPResponse {
        var query = CustomerListQuery()
        if let status = request.query["status"] {
            guard let parsed = CustomerStatus(matching: status) else { throw APIRequestError.invalid("status", "must be verified or unverified") }
            query.status = parsed
        }
        if let sort = request.query["sort"] {
            guard let parsed = CustomerListSort(rawValue: sort) else {
                throw APIRequestError.invalid("sort", "must be one of \(CustomerListSort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.sort = parsed
        }
        query.search = request.query["search"]
        query.descending = ["1", "true", "yes"].contains(request.query["desc"]?.lowercased() ?? "")
        if let limit = request.query["limit"] {
            guard let value = Int(limit), (1...CustomerListQuery.maximumLimit).contains(value) else {
                throw APIRequestError.invalid("limit", "must be a number from 1 to \(CustomerListQuery.maximumLimit)")
            }
            query.limit = value
        }
        query.cursor = request.query["cursor"]
        let page: CustomerListPage
        do {
            page = try service.listPage(query)
        } catch is CustomerListError {
            throw APIRequestError.invalid("cursor", "is not a cursor of this list; start again without it")
        }
        return APIJSON.object([
            ("items", .array(page.items.map { APIJSON.shown($0.listedValues) })), ("total", .integer(page.total)),
            ("nextCursor", .string(page.nextCursor)),
        ]).response()
    }

    /// `/api/customers/{reference}` (`?asOf=`) and `/api/customers/{reference}/history`.
    func readCustomer(_ request: HTTPRequest) throws -> HTTPResponse {
        let (customer, action) = try Self.customerPath(request)
        switch action {
        case nil:
            var asOf: Date?
            if let text = request.query["asOf"] {
                guard let parsed = ISO8601Time.parse(text) else { throw APIRequestError.invalid("asOf", "must be an ISO 8601 time, e.g. 2026-11-29T12:00:00Z") }
                asOf = parsed
            }
            // `show --json`'s document: the customer with its pending emails, addresses and notes.
            guard let shown = try service.customerView(customer, asOf: asOf).shownJSON else {
                throw DomainError(.customerNotYetCreated, "The customer \(customer) did not exist yet at that time")
            }
            return shown.response()
        case "history":
            return APIJSON.array(try service.history(of: customer).map { entry in
                .object([
                    ("position", .integer(Int(entry.position))), ("stream", .string(entry.stream)), ("version", .integer(Int(entry.version))),
                    ("type", .string(entry.type)), ("recordedAt", .date(entry.recordedAt)), ("actor", .string(entry.actor)),
                    ("osUser", .string(entry.osUser)), ("data", APIJSON.fields(entry.data)), ("summary", .string(entry.summary)),
                    ("changes", .array(entry.changes.map { .object([("field", .string($0.field)), ("from", .string($0.from)), ("to", .string($0.to))]) })),
                ])
            }).response()
        default:
            throw APIRequestError.notFound
        }
    }

    /// `PATCH /api/customers/{reference}`: the fields to change (`null` or "" clears an optional one), as `edit`.
    func editCustomer(_ request: HTTPRequest, _ principal: Principal) throws -> HTTPResponse {
        let (customer, rest) = try Self.customerPathSegments(request)
        let body = try APIRequestError.jsonObject(request)
        if rest.count == 2 && rest[0] == "addresses" {
            let command = EditAddress(
                addressId: rest[1], values: Self.addressValues(body, edit: true),
                defaultBilling: body.object["defaultBilling"] as? Bool, defaultShipping: body.object["defaultShipping"] as? Bool)
            return try outcomeResponse(try service.editAddress(customer, command, metadata: metadata(request, principal)))
        }
        guard rest.isEmpty else { throw APIRequestError.notFound }
        let edit = EditCustomer(
            salutation: body.edited("salutation"), firstName: body.edited("firstName"), lastName: body.edited("lastName"),
            gender: body.edited("gender"), dateOfBirth: body.edited("dateOfBirth"), phone: body.edited("phone"),
            company: body.edited("company"), locale: body.edited("locale"))
        return try outcomeResponse(try service.edit(customer, edit, metadata: metadata(request, principal)))
    }

    /// `POST /api/customers/{reference}/ACTION`: the lifecycle commands of the CLI.
    func customerAction(_ request: HTTPRequest, _ principal: Principal) throws -> HTTPResponse {
        let (customer, action) = try Self.customerPath(request)
        let metadata = metadata(request, principal)
        let body = try APIRequestError.optionalJSONObject(request)
        let outcome: CommandOutcome
        switch action {
        case "send-password-token": outcome = try service.sendPasswordToken(to: customer, metadata: metadata)
        case "resend-verification": outcome = try commands.resendVerification(to: customer, metadata: metadata)
        case "addresses":
            let command = AddAddress(
                values: Self.addressValues(body, edit: false), defaultBilling: body.bool("defaultBilling"), defaultShipping: body.bool("defaultShipping"))
            outcome = try service.addAddress(customer, command, metadata: metadata)
        case "notes": outcome = try service.addNote(customer, message: body.string("message") ?? "", metadata: metadata)
        case "change-email":
            outcome = try service.changeEmail(
                customer, to: body.string("email") ?? "", withoutVerification: body.bool("withoutVerification"),
                reason: body.string("reason"), metadata: metadata)
        case "forget":
            // The server keeps its store: serve's compaction thread compacts soon after, with the store kept open.
            outcome = try service.forget(customer, reason: body.string("reason") ?? "", metadata: metadata, then: .leavePending).outcome
        default: throw APIRequestError.notFound
        }
        return try outcomeResponse(outcome)
    }

    /// `DELETE /api/customers/{reference}/addresses/{id}` removes the address (`address remove`);
    /// `DELETE /api/customers/{reference}/notes/{id}` withdraws the note (`note withdraw`), with an optional JSON
    /// body `{"reason"}`. A body that is sent must be a JSON object, for either.
    func deleteFromCustomer(_ request: HTTPRequest, _ principal: Principal) throws -> HTTPResponse {
        let (customer, rest) = try Self.customerPathSegments(request)
        guard rest.count == 2 else { throw APIRequestError.notFound }
        let body = try APIRequestError.optionalJSONObject(request)
        let metadata = metadata(request, principal)
        switch rest[0] {
        case "addresses":
            return try outcomeResponse(try service.removeAddress(customer, addressId: rest[1], metadata: metadata))
        case "notes":
            return try outcomeResponse(try service.withdrawNote(customer, noteId: rest[1], reason: body.string("reason"), metadata: metadata))
        default:
            throw APIRequestError.notFound
        }
    }

    /// The address form's fields under their camelCase names (`zipCode` for `--zip-code`); for an edit, absent
    /// leaves a field and `null` clears it.
    static func addressValues(_ body: APIBody, edit: Bool) -> [AddressField: String] {
        var values: [AddressField: String] = [:]
        for field in AddressField.allCases {
            let parts = field.rawValue.split(separator: "-")
            let name = String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            if let value = edit ? body.edited(name) : body.string(name) { values[field] = value }
        }
        return values
    }

    /// The CLI's `--json` answer of a command: message, reference, the customer now, replayed, queued emails.
    func outcomeResponse(_ outcome: CommandOutcome, status: HTTPStatus = .ok) throws -> HTTPResponse {
        var pairs: [(String, APIJSON)] = [("message", .string(outcome.message)), ("reference", .string(outcome.reference))]
        if let reference = outcome.reference {
            // A create knows the state it made; any other outcome (and a replay) reads the customer as it is now.
            let state = try outcome.createdState ?? service.customer(reference).1
            pairs.append(("customer", APIJSON.shown(state.shownValues)))
        }
        if let added = outcome.addedId { pairs.append(("addedId", .string(added))) }
        pairs += [("replayed", .bool(outcome.isReplay)), ("queuedEmails", .integer(outcome.queuedEmails))]
        return APIJSON.object(pairs).response(outcome.isReplay && status == .created ? .ok : status)
    }

    /// The customer (reference or email) and what follows it in `/api/customers/{customer}[/action]`.
    static func customerPath(_ request: HTTPRequest) throws -> (String, String?) {
        let (customer, rest) = try customerPathSegments(request)
        guard rest.count <= 1 else { throw APIRequestError.notFound }
        return (customer, rest.first)
    }

    /// The customer and the segments after it: `DE--1/addresses/A2` → ("DE--1", ["addresses", "A2"]).
    static func customerPathSegments(_ request: HTTPRequest) throws -> (String, [String]) {
        let rest = request.path.dropFirst("/api/customers/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let customer = rest.first, !customer.isEmpty, rest.count <= 3, !rest.contains(where: \.isEmpty) else { throw APIRequestError.notFound }
        return (customer, Array(rest.dropFirst()))
    }

    // MARK: The log

    /// `GET /api/audit?since=&until=&customer=&limit=&cursor=`: a page of `audit --json`'s objects, newest first,
    /// `{"items", "nextCursor"}` (null on the last page; pass it back as `cursor` with the same filter).
    func audit(_ request: HTTPRequest) throws -> HTTPResponse {
        func time(_ name: String) throws -> Date? {
            guard let text = request.query[name] else { return nil }
            guard let parsed = ISO8601Time.parse(text) else { throw APIRequestError.invalid(name, "must be an ISO 8601 time or date") }
            return parsed
        }
        var limit = StatusChangeQuery.defaultLimit
        if let text = request.query["limit"] {
            guard let value = Int(text), (1...StatusChangeQuery.maximumLimit).contains(value) else {
                throw APIRequestError.invalid("limit", "must be a number from 1 to \(StatusChangeQuery.maximumLimit)")
            }
            limit = value
        }
        let query = StatusChangeQuery(
            since: try time("since"), until: try time("until"), customer: request.query["customer"], limit: limit, cursor: request.query["cursor"])
        let page: StatusChangePage
        do {
            page = try service.statusChangePage(query)
        } catch let refused as LogCursorError {
            throw APIRequestError.invalid("cursor", "cannot be followed: \(refused.message)")
        }
        let items: [APIJSON] = page.items.map { change in
            .object([
                ("recordedAt", .date(change.recordedAt)), ("effectiveAt", .date(change.effectiveAt)),
                ("reference", .string(change.reference?.description)), ("from", .string(change.from?.rawValue)),
                ("to", .string(change.to.rawValue)), ("cause", .string(change.causeType)),
                ("position", .integer(Int(change.causePosition))), ("actor", .string(change.actor)),
            ])
        }
        return APIJSON.object([("items", .array(items)), ("nextCursor", .string(page.nextCursor))]).response()
    }

    /// `GET /api/events?from=&limit=`: at most 1 000 events from `from` (default 1), as `events --json`.
    func events(_ request: HTTPRequest) throws -> HTTPResponse {
        func number(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = request.query[name] else { return value }
            guard let parsed = Int(text), range.contains(parsed) else { throw APIRequestError.invalid(name, "must be a number from \(range.lowerBound) to \(range.upperBound)") }
            return parsed
        }
        var from = try number("from", default: 1, range: 1...Int.max)
        let accepts = request.headers.values("Accept").joined(separator: ",").lowercased()
        if accepts.contains("text/event-stream") {
            // A reconnecting EventSource sends the id of the last event it saw: go on right after it.
            if let last = request.headers["Last-Event-ID"] {
                guard let position = Int(last.trimmingWhitespace()), position >= 0, position < Int.max else {
                    throw APIRequestError.invalid("Last-Event-ID", "must be the position of an event")
                }
                from = position + 1
            }
            return eventStream(from: UInt64(from))
        }
        let limit = try number("limit", default: 1_000, range: 1...1_000)
        return APIJSON.array(try service.events(from: UInt64(from), limit: limit).map(APIJSON.event)).response()
    }

    /// The live tail: each event as `id: POSITION`, `event: TYPE`, `data: JSON` (the `events --json` object),
    /// oldest first from `from`, then new ones as they are appended; a comment line every `heartbeat` seconds
    /// while the log is idle, so that a client that has gone is noticed (its write fails) and the thread freed.
    func eventStream(from position: UInt64) -> HTTPResponse {
        var response = HTTPResponse.streaming(contentType: "text/event-stream; charset=utf-8") { [service] writer in
            var lastWrite = Date()
            do {
                try service.followEvents(from: position, idlePoll: 0.1, shouldStop: {
                    if writer.isStopping || writer.hasFailed { return true }
                    if Date().timeIntervalSince(lastWrite) >= Self.heartbeat {
                        lastWrite = Date()
                        return !writer.write(": idle\n\n")
                    }
                    return false
                }) { event in
                    lastWrite = Date()
                    let frame = "id: \(event.position)\nevent: \(event.type)\ndata: \(APIJSON.event(event).text)\n\n"
                    if !writer.write(frame) { throw StreamEnded() }
                }
            } catch {
                // The client has gone, or the store failed: the stream ends, and a client resumes with Last-Event-ID.
            }
        }
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    static let heartbeat: TimeInterval = 1

    private struct StreamEnded: Error {}
}
