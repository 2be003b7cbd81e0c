import CustomerAggregate
import CustomerService
import EventStore
import Foundation
import TestSupport
import XCTest

/// `CommandBatcher` / `GroupCommittedCommands` on a real LMDB store: commands queued while the writer is busy
/// share one transaction, each keeps its own answer, and a store error fails exactly its batch.
final class GroupCommitTests: XCTestCase {
    struct StoreBroke: Error {}

    private func makeService() throws -> (TemporaryDirectory, CustomerService) {
        let folder = TemporaryDirectory("group-commit")
        let service = try CustomerService(directory: folder.path("store"))
        let forms = (0..<6).map { index in
            (form: CustomerForm(email: "c\(index)@example.com", salutation: "Mr", firstName: "Max", lastName: "M\(index)"), sendPasswordToken: false)
        }
        for result in try service.createMany(forms, metadata: CommandMetadata(actor: "test")) { _ = try result.get() }
        return (folder, service)
    }

    private func verificationToken(_ service: CustomerService, _ customer: String) throws -> String {
        let (_, state, _) = try service.customer(customer)
        return service.token(for: try XCTUnwrap(state.verificationToken?.id), purpose: .emailVerification)
    }

    /// Holds the writer inside a transaction until `release` is signalled, so that what is submitted meanwhile
    /// queues up and forms the next batch.
    private func occupyWriter(_ batcher: CommandBatcher, release: DispatchSemaphore, started: DispatchSemaphore) {
        Thread {
            _ = try? batcher.submit { _ in
                started.signal()
                release.wait()
            }
        }.start()
        started.wait()
    }

    private static func submitConcurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [Int: T] {
        let results = Collected<(Int, T)>()
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                results.append((index, body(index)))
                group.leave()
            }.start()
        }
        usleep(200_000)  // let them all queue behind the occupied writer
        return Dictionary(uniqueKeysWithValues: results.valuesAfter(group))
    }

    func testARefusedCommandDoesNotFailTheOthersOfItsBatch() throws {
        let (folder, service) = try makeService()
        defer { folder.remove() }
        let commands = GroupCommittedCommands(service: service)
        let tokens = try (0..<5).map { try verificationToken(service, "c\($0)@example.com") } + ["forged-token"]
        let release = DispatchSemaphore(value: 0)
        occupyWriter(commands.batcher, release: release, started: DispatchSemaphore(value: 0))
        let commitsBefore = commands.batcher.commitCount
        let pending = DispatchGroup()
        pending.enter()
        let box = Collected<[Int: Result<CommandOutcome, DomainError>]>()
        Thread {
            box.append(Self.submitConcurrently(tokens.count) { index in
                Result { try commands.verifyEmail(token: tokens[index], metadata: CommandMetadata(actor: "web")) }
                    .mapError { $0 as? DomainError ?? DomainError(.invalidCommand, "\($0)") }
            })
            pending.leave()
        }.start()
        usleep(300_000)
        release.signal()
        pending.wait()
        let results = try XCTUnwrap(box.values.first)

        for index in 0..<5 {
            XCTAssertNoThrow(try results[index]?.get(), "command \(index)")
            XCTAssertEqual(try service.customer("c\(index)@example.com").1.status, .verified)
        }
        guard case .failure(let refused)? = results[5] else { return XCTFail("the forged token was accepted") }
        XCTAssertEqual(refused.code, .tokenUnknown)
        // The occupying command, then all six in one transaction.
        XCTAssertEqual(commands.batcher.commitCount - commitsBefore, 2)
        let recorded = try service.store.readAll()
            .filter { $0.type == "EmailVerified" }.map(\.recordedAt)
        XCTAssertEqual(recorded.count, 5)
        XCTAssertEqual(Set(recorded).count, 1, "the five verifications were committed together")
    }

    /// Sign-ins and password sets hash and verify on their own threads, then decide and append together: the ones
    /// queued behind a busy writer share one commit, and each is decided on the state the earlier ones of the
    /// batch left (the second use of one password token is refused; the fifth wrong password locks the account).
    func testSignInsAndPasswordSetsQueuedTogetherShareOneCommitAndEachKeepsItsAnswer() throws {
        let folder = TemporaryDirectory("group-commit-credentials")
        defer { folder.remove() }
        let service = try CustomerService(directory: folder.path("store"))
        let web = CommandMetadata(actor: "web")
        let password = "tangerine-orbit-42"
        var links: [String] = []
        for index in 0..<5 {
            let form = CustomerForm(email: "p\(index)@example.com", salutation: "Ms", firstName: "Maria", lastName: "Q\(index)")
            _ = try service.create(form, sendPasswordToken: true, metadata: web)
            let (_, state, _) = try service.customer("p\(index)@example.com")
            links.append(service.token(for: try XCTUnwrap(state.passwordToken?.id), purpose: .passwordSet))
        }
        // p0 and p1 have a password already (and are verified by it); p2–p4 set theirs in the batch.
        for index in 0..<2 { _ = try service.setPassword(token: links[index], password: password, metadata: web) }

        let commands = GroupCommittedCommands(service: service)
        let release = DispatchSemaphore(value: 0)
        occupyWriter(commands.batcher, release: release, started: DispatchSemaphore(value: 0))
        let commitsBefore = commands.batcher.commitCount
        enum Call { case signIn(String, String), setPassword(String) }
        let calls: [Call] = [.signIn("p0@example.com", password)]
            + Array(repeating: .signIn("p1@example.com", "wrong-password"), count: 6)
            + [.setPassword(links[2]), .setPassword(links[2]), .setPassword(links[3]), .setPassword(links[4])]
        let results = Collected<(Int, Result<String, DomainError>)>()
        let group = DispatchGroup()
        for (index, call) in calls.enumerated() {
            group.enter()
            Thread {
                let result = Result { () throws -> String in
                    switch call {
                    case .signIn(let email, let given): return try commands.authenticate(customer: email, password: given, metadata: web).reference
                    case .setPassword(let token): return try commands.setPassword(token: token, password: password, metadata: web).reference ?? ""
                    }
                }.mapError { $0 as? DomainError ?? DomainError(.invalidCommand, "\($0)") }
                results.append((index, result))
                group.leave()
            }.start()
        }
        // Every call has hashed or verified (outside the writer) and waits for it.
        let deadline = Date().addingTimeInterval(30)
        while commands.batcher.waitingCount < calls.count && Date() < deadline { usleep(10_000) }
        XCTAssertEqual(commands.batcher.waitingCount, calls.count, "the calls did not all queue behind the busy writer")
        release.signal()
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        let answers = Dictionary(uniqueKeysWithValues: results.values)

        XCTAssertEqual(try answers[0]?.get(), "DE--1")
        func refusal(_ index: Int) -> DomainError.Code? {
            guard case .failure(let refused)? = answers[index] else { return nil }
            return refused.code
        }
        let wrong = (1..<7).map(refusal)
        // Decided in queue order on the batch's own writes: four failures, the fifth locks, the sixth finds it locked.
        XCTAssertEqual(wrong.filter { $0 == .authenticationFailed }.count, 4, "\(wrong)")
        XCTAssertEqual(wrong.filter { $0 == .accountLocked }.count, 2, "\(wrong)")
        let sameToken = [answers[7], answers[8]].compactMap { $0 }
        XCTAssertEqual(sameToken.filter { (try? $0.get()) == "DE--3" }.count, 1, "one use of the token wins: \(sameToken)")
        XCTAssertEqual([7, 8].compactMap(refusal), [.tokenUsed])
        XCTAssertEqual(try answers[9]?.get(), "DE--4")
        XCTAssertEqual(try answers[10]?.get(), "DE--5")

        XCTAssertEqual(commands.batcher.commitCount - commitsBefore, 2, "the occupying command, then all eleven together")
        let written = try service.store.readAll().filter {
            ["SignInSucceeded", "SignInFailed", "AccountLocked", "PasswordSet"].contains($0.type) && $0.metadata.actor == "web"
        }
        let batch = written.filter { $0.recordedAt == written.last?.recordedAt }
        XCTAssertEqual(batch.filter { $0.type == "SignInSucceeded" }.count, 1)
        XCTAssertEqual(batch.filter { $0.type == "SignInFailed" }.count, 6)
        XCTAssertEqual(batch.filter { $0.type == "AccountLocked" }.count, 1)
        XCTAssertEqual(batch.filter { $0.type == "PasswordSet" }.count, 3)
        for index in 2..<5 { XCTAssertEqual(try service.authenticate(customer: "p\(index)@example.com", password: password, metadata: web).reference, "DE--\(index + 1)") }
    }

    func testAStoreErrorFailsEveryCommandOfItsBatchAndWritesNothing() throws {
        let (folder, service) = try makeService()
        defer { folder.remove() }
        let commands = GroupCommittedCommands(service: service)
        let release = DispatchSemaphore(value: 0)
        occupyWriter(commands.batcher, release: release, started: DispatchSemaphore(value: 0))
        let head = try service.store.headPosition()
        let good = Collected<Result<CommandOutcome, any Error>>()
        let bad = Collected<Result<Void, any Error>>()
        let group = DispatchGroup()
        group.enter()
        Thread {
            good.append(Result { try commands.resendVerification(to: "c0@example.com", metadata: CommandMetadata(actor: "web")) })
            group.leave()
        }.start()
        usleep(100_000)
        group.enter()
        Thread {
            bad.append(Result { try commands.batcher.submit { _ in throw StoreBroke() } })
            group.leave()
        }.start()
        usleep(200_000)
        release.signal()
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        XCTAssertThrowsError(try good.values.first?.get()) { XCTAssertTrue($0 is StoreBroke, "\($0)") }
        XCTAssertThrowsError(try bad.values.first?.get()) { XCTAssertTrue($0 is StoreBroke, "\($0)") }
        XCTAssertEqual(try service.store.headPosition(), head, "the failed batch wrote nothing")
        // The batcher keeps working after a failed batch.
        XCTAssertNoThrow(try commands.resendVerification(to: "c0@example.com", metadata: CommandMetadata(actor: "web")))
        XCTAssertGreaterThan(try service.store.headPosition(), head)
    }
}

/// Collects values from threads.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value] = []
    func append(_ value: Value) { lock.withLock { storage.append(value) } }
    var values: [Value] { lock.withLock { storage } }
    func valuesAfter(_ group: DispatchGroup) -> [Value] {
        group.wait()
        return values
    }
}
