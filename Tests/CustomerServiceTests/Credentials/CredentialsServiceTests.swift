@testable import CustomerService
import CustomerAggregate
import EventStore
import Foundation
import TestSupport
import XCTest

/// setPassword / authenticate over a real LMDB store: the hash lives in the credentials table only.
final class CredentialsServiceTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("credentials") }
    override func tearDown() { folder = nil }

    private let metadata = CommandMetadata(actor: "customer")
    /// The platform demo data's hash of `change123`.
    static let demoHash = "$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy"
    let good = "tangerine-orbit-42"

    /// A new customer with a password-set email; returns the service and the token of its link.
    private func customerWithPasswordLink(_ service: CustomerService) throws -> String {
        let form = CustomerForm(email: "maria@example.com", salutation: "Ms", firstName: "Maria", lastName: "Williams")
        _ = try service.create(form, sendPasswordToken: true, metadata: metadata)
        let (_, state, _) = try service.customer("maria@example.com")
        let tokenId = try XCTUnwrap(state.passwordToken?.id)
        return service.token(for: tokenId, purpose: .passwordSet)
    }

    private func storedHash(_ service: CustomerService, _ customer: String) throws -> String? {
        let (id, _, _) = try service.customer(customer)
        return try service.store.read { try CredentialTable.hash(of: id, in: $0)?.encoded }
    }

    private func assertRejected(_ code: DomainError.Code, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual((error as? DomainError)?.code, code, "\(error)", file: file, line: line)
        }
    }

    func testTheLinkSetsAPasswordOnceVerifiesTheAddressAndSignsIn() throws {
        let service = try CustomerService(directory: folder.url)
        let token = try customerWithPasswordLink(service)
        let head = try service.store.headPosition()

        XCTAssertThrowsError(try service.setPassword(token: token, password: "maria-1234", metadata: metadata)) { error in
            let domain = error as? DomainError
            XCTAssertEqual(domain?.code, .passwordPolicy)
            XCTAssertEqual(domain?.problems.map(\.message), [
                "must be at least 12 characters long (it has 10)", "must not contain the email address's local part",
                "must not contain the first name",
            ])
        }
        assertRejected(.passwordPolicy) { _ = try service.setPassword(token: token, password: "Password12345", metadata: metadata) }
        XCTAssertEqual(try service.store.headPosition(), head, "a rejected password writes nothing")
        XCTAssertNil(try storedHash(service, "DE--1"))

        _ = try service.setPassword(token: token, password: good, metadata: metadata)
        let (_, state, _) = try service.customer("DE--1")
        XCTAssertEqual(state.status, .verified, "the password link proved the inbox")
        XCTAssertTrue(try XCTUnwrap(storedHash(service, "DE--1")).hasPrefix("$y$"))
        assertRejected(.tokenUsed) { _ = try service.setPassword(token: token, password: "another-good-one-77", metadata: metadata) }
        assertRejected(.tokenUnknown) { _ = try service.setPassword(token: "garbage", password: good, metadata: metadata) }

        let outcome = try service.authenticate(customer: "maria@example.com", password: good, metadata: metadata)
        XCTAssertEqual(outcome.reference, "DE--1")
        XCTAssertFalse(outcome.rehashed)
        assertRejected(.authenticationFailed) { _ = try service.authenticate(customer: "DE--1", password: "wrong", metadata: metadata) }
        assertRejected(.authenticationFailed) { _ = try service.authenticate(customer: "nobody@example.com", password: good, metadata: metadata) }
        let types = try service.history(of: "DE--1").map(\.type)
        XCTAssertEqual(Array(types.suffix(4)), ["PasswordSet", "EmailVerified", "SignInSucceeded", "SignInFailed"])
    }

    func testTheHashIsInTheCredentialsTableAndInNoEvent() throws {
        let service = try CustomerService(directory: folder.url)
        let token = try customerWithPasswordLink(service)
        _ = try service.setPassword(token: token, password: good, metadata: metadata)
        let hash = try XCTUnwrap(storedHash(service, "DE--1"))
        let file = try Data(contentsOf: folder.url.appendingPathComponent("data.mdb"))
        // Positive control: the hash's bytes are in the store file (the credentials table)…
        XCTAssertNotNil(file.range(of: Data(hash.utf8)))
        // …and in no event, payload or envelope.
        for event in try service.store.readAll() {
            XCTAssertNil(Data(event.payload).range(of: Data(hash.utf8)), "event \(event.position) \(event.type)")
            XCTAssertNil(Data(event.payload).range(of: Data("$y$".utf8)), "event \(event.position) \(event.type)")
            XCTAssertNil(Data(event.payload).range(of: Data(good.utf8)), "the password itself")
        }
        XCTAssertNil(file.range(of: Data(good.utf8)), "the plaintext password is nowhere in the store")
    }

    func testRebuildLeavesCredentialsAloneAndVerifyHolds() throws {
        let service = try CustomerService(directory: folder.url)
        let token = try customerWithPasswordLink(service)
        _ = try service.setPassword(token: token, password: good, metadata: metadata)
        let before = try storedHash(service, "DE--1")
        XCTAssertEqual(try service.verifyProjections().differenceCount, 0)
        _ = try service.rebuildProjections()
        XCTAssertEqual(try storedHash(service, "DE--1"), before)
        XCTAssertEqual(try service.verifyProjections().differenceCount, 0)
        XCTAssertNoThrow(try service.authenticate(customer: "DE--1", password: good, metadata: metadata))
    }

    func testABackupCarriesTheCredential() throws {
        let service = try CustomerService(directory: folder.url)
        let token = try customerWithPasswordLink(service)
        _ = try service.setPassword(token: token, password: good, metadata: metadata)
        let copy = folder.url.deletingLastPathComponent().appendingPathComponent("credentials-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        _ = try service.backup(to: copy)
        let restored = try CustomerService(directory: copy)
        XCTAssertEqual(try storedHash(restored, "DE--1"), try storedHash(service, "DE--1"))
        XCTAssertEqual(try restored.authenticate(customer: "DE--1", password: good, metadata: metadata).reference, "DE--1")
    }

    func testAnImportedBcryptHashSignsInAndBecomesYescrypt() throws {
        let service = try CustomerService(directory: folder.url)
        let (rows, errors) = ImportFile.parse("""
        customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered
        DE--1,en_US,,spencor.hopkin@spryker.com,Mr,Spencor,Hopkin,,Male,,\(Self.demoHash),2020-06-24
        DE--2,en_US,,plain@spryker.com,Mr,Plain,Text,,Male,,change123,2020-06-24
        DE--3,en_US,,md5@spryker.com,Mr,Md,Five,,Male,,$1$abcdefgh$abcdefghijklmnopqrstuv,2020-06-24
        """)
        XCTAssertEqual(errors, [])
        let report = try service.importCustomers(rows, sendVerification: false, metadata: metadata)
        XCTAssertEqual(report.imported.map(\.reference), ["DE--1"])
        XCTAssertEqual(report.rejected.map(\.line), [3, 4])
        XCTAssertEqual(report.rejected.map(\.field), ["password", "password"])
        XCTAssertFalse(report.rejected.contains { $0.message.contains("change123") }, "a row error never echoes the value")
        XCTAssertEqual(try storedHash(service, "DE--1"), Self.demoHash)

        let first = try service.authenticate(customer: "DE--1", password: "change123", metadata: metadata)
        XCTAssertTrue(first.rehashed)
        XCTAssertTrue(try XCTUnwrap(storedHash(service, "DE--1")).hasPrefix("$y$"))
        XCTAssertFalse(try service.authenticate(customer: "DE--1", password: "change123", metadata: metadata).rehashed)
        XCTAssertEqual(try service.customer("DE--1").1.password?.algorithm, "yescrypt")
    }

    func testTheShippedBlockListHasAtLeastTenThousandEntries() {
        XCTAssertGreaterThanOrEqual(CommonPasswordList.shared.count, 10_000)
        XCTAssertTrue(CommonPasswordList.shared.contains("Password123"))
        XCTAssertTrue(CommonPasswordList.shared.contains("#1pimp"), "entries that start like a comment are kept")
    }
}
