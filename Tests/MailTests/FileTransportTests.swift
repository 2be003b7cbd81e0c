import Foundation
import Mail
import XCTest

final class FileTransportTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("file").appendingPathComponent("mail/nested")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent())
    }

    func testWritesOneFileNamedAfterTheMessageIDWithTheRenderedBytes() throws {
        let transport = FileTransport(directory: directory)
        let message = Fixtures.message()
        let rendered = try MessageRenderer.render(message)
        let receipt = try transport.deliver(message, rendered: rendered)

        let expectedPath = directory.appendingPathComponent("\(message.messageID).eml").path
        XCTAssertEqual(receipt, DeliveryReceipt(transport: "file", detail: expectedPath))
        XCTAssertEqual(transport.name, "file")
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: expectedPath))), rendered)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["\(message.messageID).eml"],
                       "no temporary file is left behind")
    }

    func testRedeliveryOverwritesTheSameFile() throws {
        let transport = FileTransport(directory: directory)
        let message = Fixtures.message()
        let first = try transport.deliver(message, rendered: Array("first version\r\n".utf8))
        let rendered = try MessageRenderer.render(message)
        let second = try transport.deliver(message, rendered: rendered)
        XCTAssertEqual(first, second)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: second.detail))), rendered)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).count, 1)
    }

    func testDistinctMessagesGetDistinctFilesEvenWhenTheirIDsNeedCleaning() throws {
        let transport = FileTransport(directory: directory)
        let ids = ["a/b@x", "a_b@x", "../../etc@x", ".hidden@x", "a@x"]
        var paths = Set<String>()
        for id in ids {
            let receipt = try transport.deliver(Fixtures.message(messageID: id), rendered: Array(id.utf8))
            XCTAssertEqual(URL(fileURLWithPath: receipt.detail).deletingLastPathComponent().standardizedFileURL.path,
                           directory.standardizedFileURL.path, "\(id) stays inside the directory")
            XCTAssertFalse(URL(fileURLWithPath: receipt.detail).lastPathComponent.hasPrefix("."), id)
            paths.insert(receipt.detail)
        }
        XCTAssertEqual(paths.count, ids.count)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).count, ids.count)
    }

    func testAnUnwritableDirectoryIsATemporaryFailureNamingThePath() throws {
        let blocker = directory.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: blocker.deletingLastPathComponent(), withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker.path, contents: Data("not a directory".utf8)))
        let transport = FileTransport(directory: directory)
        XCTAssertThrowsError(try transport.deliver(Fixtures.message(), rendered: [1, 2, 3])) { error in
            let failure = error as? DeliveryFailure
            XCTAssertEqual(failure?.kind, .temporary)
            XCTAssertTrue(failure?.message.contains(self.directory.path) ?? false, "\(error)")
        }
    }
}
