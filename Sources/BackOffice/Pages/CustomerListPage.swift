import CustomerAggregate
import CustomerService
import HTMLBuilder
import HTTPServer

/// Customers: the platform's columns, sortable by their headers (both directions), a status filter and a
/// search (a GET form, so the URL is the state and the back button works), cursor paging, "Add Customer" (not
/// for viewers) and "Download as CSV" of the whole filtered list. The rows come from the application's list
/// query, the same one `list` runs.
extension OperatorPages {
    func customerList(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        var request = CustomerListRequest(query)
        var problem: String?
        let page: CustomerListPage
        do {
            page = try service.listPage(request.listQuery)
        } catch let error as CustomerListError {
            // A stale or altered cursor: the first page, saying why.
            problem = context.texts.say(error)
            request.cursor = nil
            page = try service.listPage(request.listQuery)
        }
        let flash = query["done"].flatMap(Flash.init(rawValue:)).flatMap { context.texts.flashes[$0] }
        return BackOfficeLayout.page(
            context, title: context.texts.customersTitle, section: .customers, status: problem == nil ? .ok : .badRequest, flash: flash
        ) {
            CustomerListHTML.toolbar(request, context: context)
            if let problem { HTMLNode.element(.p, [.class("problem"), .role("alert")]) { problem } }
            CustomerListHTML.table(page, request: request, texts: context.texts)
            CustomerListHTML.paging(page, request: request, texts: context.texts)
        }
    }

    /// "Download as CSV": every customer matching the filter, in the list's order, in the columns `list --format
    /// csv --all` prints — streamed: each batch of the application's streaming list query (one short read
    /// transaction each) is written as it is read, so a large list needs neither the memory nor the wait of a
    /// whole body. A failure after the first bytes can only end the download early (the status is sent).
    func customersCSV(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        var request = CustomerListRequest(query)
        request.cursor = nil
        var response = HTTPResponse.streaming(contentType: "text/csv; charset=utf-8") { [self, request] writer in
            // Ends early when the client has gone (a write failed) or the server stops.
            try? writeCSV(request) { writer.isStopping ? false : writer.write($0) }
        }
        response.headers.set("Content-Disposition", "attachment; filename=\"customers.csv\"")
        return response
    }

    /// The CSV of `request`'s list, header first, a batch at a time to `write`; stops when `write` returns false.
    func writeCSV(_ request: CustomerListRequest, _ write: ([UInt8]) -> Bool) throws {
        let columns = CustomerListColumn.backOffice
        guard write(Array((CSV.header(columns) + "\r\n").utf8)) else { return }
        try service.forEachListedCustomer(matching: request.listQuery) { rows in
            var chunk = ""
            for row in rows { chunk += CSV.line(row, columns) + "\r\n" }
            guard write(Array(chunk.utf8)) else { throw CSVDownloadEnded() }
        }
    }

    struct CSVDownloadEnded: Error {}
}

/// The parts of the Customers page.
enum CustomerListHTML {
    static func toolbar(_ request: CustomerListRequest, context: PageContext) -> [HTMLNode] {
        let texts = context.texts
        return [
            .element(.div, [.class("toolbar")]) {
                if context.principal.role.mayActOnCustomers {
                    HTMLNode.element(.a, [.href(BackOfficeURL.newCustomer), .id("add-customer"), .class("button")]) { texts.addCustomer }
                }
                HTMLNode.element(.a, [.href(request.csvLink), .id("download-csv"), .class("button")]) { texts.downloadCSV }
            },
            .element(.form, [.method(.get), .action(BackOfficeURL.customers), .class("toolbar"), .role("search")]) {
                FormControls.select(
                    id: "filter-status", name: "status", label: texts.statusFilterLabel,
                    choices: [.init(value: "", text: texts.statusAny)]
                        + CustomerStatus.allCases.map { .init(value: $0.rawValue.lowercased(), text: $0.rawValue) },
                    selected: request.status?.rawValue.lowercased() ?? "")
                FormControls.input(id: "filter-search", name: "search", label: texts.searchLabel, value: request.search ?? "", type: "search")
                if request.sort != .created { FormControls.hidden("sort", request.sort.rawValue) }
                if request.descending { FormControls.hidden("dir", "desc") }
                HTMLNode.element(.button, [.type("submit"), .id("filter-apply")]) { texts.filterButton }
            },
        ]
    }

    /// A column: its header text and the sort its header link asks for (nil: not sortable).
    struct Column {
        let title: String
        let sort: CustomerListSort?
    }

    /// Reference is no sort key: the list's order index holds the creation order (`createdAt`, then the reference
    /// number), the reference order only for customers created here (an imported one keeps its reference and takes
    /// its place by its creation date), and another order would need an index of its own.
    static func columns(_ texts: BackOfficeTexts) -> [Column] {
        [Column(title: texts.columnReference, sort: nil), Column(title: texts.columnCreated, sort: .created),
         Column(title: texts.columnEmail, sort: .email), Column(title: texts.columnLastName, sort: .lastName),
         Column(title: texts.columnFirstName, sort: .firstName), Column(title: texts.columnStatus, sort: .status),
         Column(title: texts.columnActions, sort: nil)]
    }

    static func table(_ page: CustomerListPage, request: CustomerListRequest, texts: BackOfficeTexts) -> HTMLNode {
        .element(.table, [.id("customers")]) {
            HTMLNode.element(.caption) { texts.customerCount(page.total) }
            HTMLNode.element(.thead) {
                HTMLNode.element(.tr) {
                    for column in columns(texts) { header(column, request: request, texts: texts) }
                }
            }
            HTMLNode.element(.tbody) {
                if page.items.isEmpty {
                    HTMLNode.element(.tr) { HTMLNode.element(.td) { texts.noCustomers } }
                }
                for row in page.items {
                    HTMLNode.element(.tr) {
                        for value in CustomerListColumn.backOffice.map({ $0.text(row, erasedLabel: texts.erasedCustomer) }) { HTMLNode.element(.td) { value } }
                        HTMLNode.element(.td) {
                            HTMLNode.element(.a, [.href(BackOfficeURL.customer(row.reference.description))]) { texts.open }
                        }
                    }
                }
            }
        }
    }

    /// A sortable header is a link; the sorted one says its direction (`aria-sort`) and links to the other.
    static func header(_ column: Column, request: CustomerListRequest, texts: BackOfficeTexts) -> HTMLNode {
        guard let sort = column.sort else { return .element(.th, [.scope("col")]) { column.title } }
        let isSorted = request.sort == sort
        var attributes: [HTMLAttribute] = [.scope("col")]
        if isSorted { attributes.append(.ariaSort(request.descending ? "descending" : "ascending")) }
        let next = isSorted && !request.descending ? texts.sortDescending : texts.sortAscending
        return .element(.th, attributes) {
            HTMLNode.element(.a, [.href(request.sortLink(sort)), .id("sort-\(sort.rawValue)"), .ariaLabel("\(column.title), \(next)")]) {
                column.title
                if isSorted { request.descending ? " ▼" : " ▲" }
            }
        }
    }

    static func paging(_ page: CustomerListPage, request: CustomerListRequest, texts: BackOfficeTexts) -> HTMLNode {
        .element(.nav, [.ariaLabel(texts.customersTitle), .class("toolbar")]) {
            if request.cursor != nil {
                HTMLNode.element(.a, [.href(request.link(cursor: nil)), .id("first-page")]) { texts.firstPage }
            }
            if let next = page.nextCursor {
                HTMLNode.element(.a, [.href(request.link(cursor: next)), .id("next-page"), .rel("next")]) { texts.nextPage }
            }
        }
    }
}
