import CustomerAggregate
@testable import CustomerService
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// The file transport's folder: private files, stale temporary files, and a folder that cannot work at all.
final class OutboxFileTransportTests: XCTestCase {
    func testTheMailFolderIs0700AndEmlFiles0600EvenUnderUmask000() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        let previous = umask(0)
        defer { umask(previous) }
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.sent, 1)
        let folder = store.folder.path("mail").path
        XCTAssertEqual(try permissionBits(of: folder), 0o700)
        let eml = try XCTUnwrap(store.files().eml.first)
        XCTAssertEqual(try permissionBits(of: folder + "/" + eml), 0o600)
    }

    func testStaleTemporaryFilesOfKilledWritersAreRemovedWhenTheTransportStarts() throws {
        let store = try OutboxTestStore()
        let folder = store.folder.path("mail")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dead = try deadProcessID()
        let stale = ".0c5e-x@customer-es.eml.\(dead).42.tmp"
        let fresh = ".0c5e-y@customer-es.eml.\(dead).43.tmp"
        let inFlight = ".0c5e-z@customer-es.eml.\(getpid()).44.tmp"
        for name in [stale, fresh, inFlight] {
            XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data("partial".utf8)))
        }
        for name in [stale, inFlight] {
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-300)], ofItemAtPath: folder.appendingPathComponent(name).path)
        }
        _ = try store.dispatcher(store.fileTransport())
        XCTAssertEqual(Set(store.files().other), [fresh, inFlight],
                       "only the old file of a dead process goes; a fresh one or a live writer's stays")
    }

    func testAFolderThatIsAFileOrADanglingLinkIsRefusedBeforeAnythingIsClaimed() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        let file = store.folder.path("not-a-folder")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let link = store.folder.path("dangling")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: store.folder.path("gone").path)
        let headBefore = try store.service.store.headPosition()
        for (folder, expected) in [(file, "is not a folder"), (link, "does not exist")] {
            XCTAssertThrowsError(try store.dispatcher(FileTransport(directory: folder))) { error in
                let unusable = error as? OutboxTransportUnusable
                XCTAssertEqual(unusable?.transport, "file", "\(error)")
                XCTAssertTrue(unusable?.message.contains(expected) ?? false, "\(error)")
                XCTAssertTrue(unusable?.message.contains(folder.path) ?? false, "\(error)")
            }
        }
        XCTAssertEqual(try store.entries().map(\.attempts), [0])
        XCTAssertEqual(try store.entries().map(\.state), [.pending])
        XCTAssertEqual(try store.service.store.headPosition(), headBefore, "nothing was written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder.path("gone").path))
    }

    func testAMalformedSMTPConfigurationIsRefusedBeforeAnythingIsClaimed() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        XCTAssertThrowsError(try store.dispatcher(SMTPTransport(host: "127.0.0.1", port: 25, heloName: "bad name"))) { error in
            XCTAssertTrue((error as? OutboxTransportUnusable)?.message.contains("HELO name") ?? false, "\(error)")
        }
        XCTAssertEqual(try store.entries().map(\.attempts), [0])
    }
}

/// The file transport on a tiny tmpfs: a full disk and a read-only folder (which even root cannot write).
final class OutboxFileTransportDiskTests: XCTestCase {
    private var fileSystem: TinyFileSystem?

    override func tearDown() {
        fileSystem?.unmount()
        fileSystem = nil
    }

    func testAFullDiskStopsTheBatchWithoutCountingAnAttemptAndSaysSo() throws {
        let store = try OutboxTestStore()
        try store.createMany(3)
        let disk = try TinyFileSystem(at: store.folder.path("tiny"), size: 64 * 1024)
        fileSystem = disk
        try disk.fill()
        let head = try store.service.store.headPosition()

        let summary = try store.dispatcher(FileTransport(directory: disk.mountPoint)).dispatchDue()
        XCTAssertEqual(summary.processed, 0)
        let outage = try XCTUnwrap(summary.outage)
        XCTAssertTrue(outage.hasPrefix("no space left on the device holding \(disk.mountPoint.path) ("), outage)
        XCTAssertTrue(outage.hasSuffix(" bytes free)"), outage)
        XCTAssertEqual(try store.service.store.headPosition(), head, "no attempt was recorded")
        XCTAssertEqual(try store.entries().map(\.attempts), [0, 0, 0])
        XCTAssertEqual(try store.entries().map(\.state), [.pending, .pending, .pending])
        XCTAssertEqual(summary.waiting, 3)

        try FileManager.default.removeItem(at: disk.mountPoint.appendingPathComponent("filler"))
        let later = try store.dispatcher(FileTransport(directory: disk.mountPoint)).dispatchDue()
        XCTAssertEqual(later.sent, 3, "the leases were released: the emails go once there is room")
        XCTAssertEqual(try store.entries().map(\.attempts), [1, 1, 1])
    }

    func testWatchWaitsTheFirstBackoffDelayAfterAnOutageInsteadOfSpinning() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        _ = try store.service.changeSetting("delivery-backoff", to: "1s,1s", metadata: store.metadata)
        let disk = try TinyFileSystem(at: store.folder.path("tiny"), size: 64 * 1024)
        fileSystem = disk
        try disk.fill()
        let started = Date()
        let summary = try store.dispatcher(FileTransport(directory: disk.mountPoint))
            .watch(pollInterval: 0.01, shouldStop: { Date().timeIntervalSince(started) > 1.5 })
        XCTAssertEqual(summary.processed, 0)
        XCTAssertTrue((1...3).contains(summary.outages), "one try per second, not one per poll: \(summary.outages)")
        XCTAssertEqual(try store.entries().map(\.attempts), [0])
    }

    func testAFolderNoOneCanWriteIsRefusedBeforeAnythingIsClaimed() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        let readOnly = try TinyFileSystem(at: store.folder.path("read-only"), size: 64 * 1024, readOnly: true)
        fileSystem = readOnly
        XCTAssertThrowsError(try store.dispatcher(FileTransport(directory: readOnly.mountPoint))) { error in
            let message = (error as? OutboxTransportUnusable)?.message ?? ""
            XCTAssertTrue(message.contains("cannot write into the mail folder \(readOnly.mountPoint.path)"), "\(error)")
            XCTAssertTrue(message.contains("Read-only file system"), "\(error)")
        }
        XCTAssertEqual(try store.entries().map(\.attempts), [0])
    }
}
