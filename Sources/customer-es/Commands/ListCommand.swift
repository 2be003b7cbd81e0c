import CustomerAggregate
import CustomerService
import Foundation

/// `list`: the back office's customer list, from the projected view (never a scan of the log).
enum ListCommand {
    static let spec = CommandSpec(
        name: "list",
        summary: "List customers: filter, search, sort and page through the projected list",
        options: [
            .value("status", "verified|unverified", "only customers with this status"),
            .value("search", "TEXT", "substring of reference, email, first or last name, company or phone (case and accents ignored)"),
            .value("sort", "FIELD", "created (default), email, first-name, last-name or status"),
            .flag("desc", "sort descending"),
            .value("limit", "N", "page size, 1–10000 (default 10)"),
            .value("cursor", "C", "continue after the page that printed this cursor"),
            .value("format", "table|json|csv", "output format (default table; --json is --format json)"),
            .flag("all", "every matching row, streamed in order (ignores --limit and --cursor): list --format csv --all"),
        ],
        readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        var query = CustomerListQuery()
        if let status = invocation.value("status") {
            guard let parsed = CustomerStatus(matching: status) else {
                throw CLIError.usage("--status must be verified or unverified, got \"\(status)\"", command: invocation.command)
            }
            query.status = parsed
        }
        if let sort = invocation.value("sort") {
            guard let parsed = CustomerListSort(rawValue: sort) else {
                let allowed = CustomerListSort.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError.usage("--sort must be one of \(allowed), got \"\(sort)\"", command: invocation.command)
            }
            query.sort = parsed
        }
        query.search = invocation.value("search")
        query.descending = invocation.flag("desc")
        query.limit = try invocation.integer("limit", default: CustomerListQuery.defaultLimit, range: 1...CustomerListQuery.maximumLimit)
        query.cursor = invocation.value("cursor")
        let format = invocation.value("format") ?? (invocation.global.json ? "json" : "table")
        guard ["table", "json", "csv"].contains(format) else {
            throw CLIError.usage("--format must be table, json or csv, got \"\(format)\"", command: invocation.command)
        }

        let service = try invocation.openService()
        if invocation.flag("all") {
            query.cursor = nil
            try printAll(query, format: format, service: service)
            return
        }
        let page: CustomerListPage
        do {
            page = try service.listPage(query)
        } catch let error as CustomerListError {
            throw CLIError.usage(ListUsageText.text(error), command: invocation.command)
        }
        switch format {
        case "json":
            Terminal.out(JSONValue.object([
                ("items", .array(page.items.map(CustomerJSON.object))),
                ("total", .integer(Int64(page.total))),
                ("nextCursor", .string(page.nextCursor)),
            ]).text)
        case "csv":
            Terminal.out(CSV.line(columns.map(\.title)))
            for row in page.items { Terminal.out(CSV.line(columns.map { $0.value(row) })) }
        default:
            printTable(page)
        }
    }

    /// `--all`: prints each batch as it arrives. JSON is the page's shape with every item (one per line, so that
    /// it streams); the table takes its column widths from the first batch (a longer value later widens only its
    /// own line).
    private static func printAll(_ query: CustomerListQuery, format: String, service: CustomerService) throws {
        var widths: [Int]?
        var printed = 0
        switch format {
        case "json": Terminal.out("{\"items\":[")
        case "csv": Terminal.out(CSV.line(columns.map(\.title)))
        default: break
        }
        let total = try service.forEachListedCustomer(matching: query) { rows in
            var lines: [String] = []
            lines.reserveCapacity(rows.count + 1)
            switch format {
            case "json":
                for row in rows {
                    lines.append((printed == 0 ? "" : ",") + CustomerJSON.object(row).text)
                    printed += 1
                }
            case "csv":
                for row in rows { lines.append(CSV.line(columns.map { $0.value(row) })) }
            default:
                let cells = rows.map { row in columns.map { $0.text(row) } }
                if widths == nil {
                    let found = columnWidths(cells)
                    widths = found
                    lines.append(tableLine(columns.map(\.title), widths: found))
                }
                for cell in cells { lines.append(tableLine(cell, widths: widths ?? [])) }
            }
            Terminal.out(lines.joined(separator: "\n"))
        }
        switch format {
        case "json": Terminal.out("],\"total\":\(total),\"nextCursor\":null}")
        case "csv": break
        default:
            if widths == nil { Terminal.out(tableLine(columns.map(\.title), widths: columnWidths([]))) }
            Terminal.out("\(total) customer(s).")
        }
    }

    /// The back office's columns.
    private static let columns = CustomerListColumn.backOffice

    private static func columnWidths(_ cells: [[String]]) -> [Int] {
        columns.indices.map { index in
            ([columns[index].title] + cells.map { $0[index] }).map(\.count).max() ?? 0
        }
    }

    private static func tableLine(_ values: [String], widths: [Int]) -> String {
        zip(values, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }

    private static func printTable(_ page: CustomerListPage) {
        let cells = page.items.map { row in columns.map { $0.text(row) } }
        let widths = columnWidths(cells)
        Terminal.out(tableLine(columns.map(\.title), widths: widths))
        cells.forEach { Terminal.out(tableLine($0, widths: widths)) }
        var footer = "\(page.items.count) of \(page.total) customer(s)."
        if let cursor = page.nextCursor { footer += " Next page: --cursor \(cursor)" }
        Terminal.out(footer)
    }
}
