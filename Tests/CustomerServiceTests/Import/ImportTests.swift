@testable import CustomerService
import CustomerAggregate
import Foundation
import TestSupport
import XCTest

final class ImportTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("import") }
    override func tearDown() { folder = nil }

    private let metadata = CommandMetadata(actor: "importer")

    func testCSVReaderHandlesQuotesCommasNewlinesAndCRLF() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n1,,3"
        let records = try CSVReader.records(in: text)
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 5])
        XCTAssertThrowsError(try CSVReader.records(in: "a,\"open\n")) { error in
            XCTAssertTrue("\(error)".contains("never closed"), "\(error)")
        }
    }

    func testThePlatformDemoFileImportsKeepsReferencesAndStatusesAndIsIdempotent() throws {
        let service = try CustomerService(directory: folder.url)
        let text = """
        customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered
        DE--1,en_US,,spencor.hopkin@spryker.com,Mr,Spencor,Hopkin,,Male,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,2020-06-24
        DE--3,de_DE,,maggie.may@spryker.com,Ms,Maggie,May,,Female,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,
        DE--8,de_DE,495-123-45-67,andrew@ottom.de,Mr,Andrew,Wedner,,Male,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,2020-06-24
        """
        let (rows, errors) = ImportFile.parse(text)
        XCTAssertEqual(errors, [])
        let report = try service.importCustomers(rows, sendVerification: false, metadata: metadata)
        XCTAssertEqual(report.imported.map(\.reference), ["DE--1", "DE--3", "DE--8"])
        let (_, spencor, _) = try service.customer("DE--1")
        XCTAssertEqual(spencor.status, .verified)
        XCTAssertEqual(spencor.verifiedAt, CalendarDate(year: 2020, month: 6, day: 24)?.midnightUTC)
        let (_, maggie, _) = try service.customer("maggie.may@spryker.com")
        XCTAssertEqual(maggie.status, .unverified)
        XCTAssertNil(maggie.verificationToken, "an import queues no email unless asked")
        XCTAssertEqual(maggie.profile?.locale, "de_DE")

        let head = try service.store.headPosition()
        let again = try service.importCustomers(rows, sendVerification: false, metadata: metadata)
        XCTAssertEqual(again.imported.count, 0)
        XCTAssertEqual(again.unchanged.count, 3)
        XCTAssertEqual(try service.store.headPosition(), head, "re-importing the same file writes nothing")

        let next = try service.create(CustomerForm(email: "new@example.com", salutation: "Ms", firstName: "N", lastName: "W"), sendPasswordToken: false, metadata: metadata)
        XCTAssertEqual(next.reference, "DE--9", "the counter continues after the largest imported number")
    }

    func testInvalidRowsAreReportedWithLineNumbersAndValidRowsLand() throws {
        let service = try CustomerService(directory: folder.url)
        let text = """
        customer_reference,email,salutation,first_name,last_name,registered
        DE--1,first@example.com,Mr,A,B,
        DE--2,not-an-email,Mr,A,B,
        oops,x@example.com,Mr,A,B,
        DE--4,FIRST@example.com,Mr,A,B,
        DE--5,ok@example.com,Ms,Zoë,Ørsted,2020-02-30
        DE--6,too,many,fields,here,x,y
        DE--7,fine@example.com,Dr,C,D,
        """
        let (rows, parseErrors) = ImportFile.parse(text)
        XCTAssertEqual(parseErrors.map(\.line), [7])
        let report = try service.importCustomers(rows, sendVerification: true, metadata: metadata)
        XCTAssertEqual(report.imported.map(\.reference), ["DE--1", "DE--7"])
        XCTAssertEqual(report.rejected.map(\.line), [3, 4, 5, 6])
        XCTAssertEqual(report.rejected.first { $0.line == 5 }?.message, "Email is already used")
        XCTAssertEqual(report.rejected.first { $0.line == 4 }?.field, "customer_reference")
        XCTAssertEqual(report.rejected.first { $0.line == 6 }?.field, "registered")
        let (_, fine, _) = try service.customer("DE--7")
        XCTAssertNotNil(fine.verificationToken, "--send-verification queues the email for Unverified rows")
    }

    func testJSONLinesWithCamelCaseKeys() throws {
        let service = try CustomerService(directory: folder.url)
        let text = """
        {"reference": "DE--10", "email": "json@example.com", "salutation": "Mrs", "firstName": "Jay", "lastName": "Son", "locale": "de_DE", "phone": null}
        not json
        """
        let (rows, errors) = ImportFile.parse(text)
        XCTAssertEqual(errors.map(\.line), [2])
        let report = try service.importCustomers(rows, sendVerification: false, metadata: metadata)
        XCTAssertEqual(report.imported.map(\.reference), ["DE--10"])
        XCTAssertEqual(try service.customer("DE--10").1.profile?.firstName, "Jay")
    }
}
