import Foundation
import TestSupport
import XCTest

/// How the store is opened, through the real binary: a damaged, truncated, foreign, keyless, planted or
/// read-only store is refused (or read) without a single write; files are private whatever the umask; a writer
/// waits for another one visibly and within `--lock-timeout`.
final class CLIStoreSafetyTests: XCTestCase {
    private var store: CLIStore!
    override func setUp() { store = CLIStore() }
    override func tearDown() { store = nil }

    private var dataFile: String { store.path + "/data.mdb" }
    private var keyFile: String { store.path + "/token.key" }

    private func sh(_ script: String, timeout: TimeInterval = 20) throws -> ProcessOutput {
        try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script], timeout: timeout)
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    private func sha(_ path: String) throws -> String {
        try sh("sha1sum '\(path)'").stdout
    }

    private func assertRefused(_ arguments: [String], _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try store.run(arguments)
        XCTAssertEqual(output.status, 3, "\(arguments): \(output.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(output.stderr.contains(fragment), "\(arguments): expected \"\(fragment)\" in: \(output.stderr)", file: file, line: line)
        }
    }

    private var createLine: [String] { CLIStore.createArguments(email: "new@example.com") }

    // MARK: 1. damaged

    func testAStoreWhoseEventLogIsEmptiedIsRefusedByReadsAndWrites() throws {
        try store.create("a@example.com")
        XCTAssertEqual(truncate(dataFile, 0), 0)
        for arguments in [["list"], ["rebuild", "--verify"], createLine] {
            try assertRefused(arguments, ["is damaged or incomplete", "data.mdb", "restore it from a backup"])
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int, 0, "nothing written")
    }

    func testAStoreWhoseEventLogIsGoneNextToItsKeyIsRefusedAndNotRecreated() throws {
        try store.create("a@example.com")
        try FileManager.default.removeItem(atPath: dataFile)
        for arguments in [["list"], ["show", "DE--1"], createLine] {
            try assertRefused(arguments, ["the store at \(store.path) is damaged or incomplete: its event log (data.mdb) is missing"])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataFile), "a damaged store is never re-initialised")
    }

    func testAFolderWithOtherFilesIsNotMadeIntoAStore() throws {
        try FileManager.default.createDirectory(at: store.url, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: store.url.appendingPathComponent("notes.txt"))
        try assertRefused(createLine, ["is not a customer-es store", "use a new or empty folder"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataFile))
    }

    func testProcessesRacingToCreateANewStoreNeverSeeItAsDamagedOrForeign() throws {
        for round in 0..<3 {
            let racer = CLIStore()
            let lock = NSLock()
            nonisolated(unsafe) var outputs = [ProcessOutput?](repeating: nil, count: 8)
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                let arguments = index % 2 == 0 ? CLIStore.createArguments(email: "r\(round)-\(index)@example.com") : ["list"]
                let output = try? racer.run(arguments)
                lock.withLock { outputs[index] = output }
            }
            for (index, output) in outputs.enumerated() {
                let output = try XCTUnwrap(output, "process \(index) did not run")
                XCTAssertFalse(output.stderr.contains("damaged") || output.stderr.contains("not a customer-es store"), output.stderr)
                if index % 2 == 0 { XCTAssertEqual(output.status, 0, output.stderr) }
            }
            XCTAssertEqual(try racer.run(["list", "--json"]).status, 0)
        }
    }

    // MARK: 2. truncated

    func testATruncatedEventLogIsRefusedWithoutACrash() throws {
        for index in 1...3 { try store.create("t\(index)@example.com") }
        let original = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        XCTAssertGreaterThan(original.count, 16_384)
        for size in [original.count / 2, 12_288, 8_192, 5_000] {
            try original.write(to: URL(fileURLWithPath: dataFile))
            XCTAssertEqual(truncate(dataFile, off_t(size)), 0)
            for arguments in [["list"], createLine] {
                let output = try store.run(arguments)
                XCTAssertEqual(output.status, 3, "\(size) bytes, \(arguments): status \(output.status) \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("is damaged or incomplete: data.mdb has"), output.stderr)
            }
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int, size, "nothing written")
        }
        try original.write(to: URL(fileURLWithPath: dataFile))
        XCTAssertEqual(try store.run(["list"]).status, 0, "the intact file opens again")
    }

    // MARK: 3. foreign

    func testAForeignLMDBEnvironmentIsRefusedWithoutASingleWrite() throws {
        try FileManager.default.createDirectory(at: store.url, withIntermediateDirectories: true)
        let load = try runProcess(
            URL(fileURLWithPath: "/usr/bin/mdb_load"), ["-s", "their-table", store.path],
            stdin: "VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n 6b6579\n 76616c7565\nDATA=END\n")
        XCTAssertEqual(load.status, 0, load.stderr)
        let before = try sha(dataFile)
        let namesBefore = try FileManager.default.contentsOfDirectory(atPath: store.path).sorted()
        for arguments in [["list"], createLine, ["settings", "reference-prefix", "XY"]] {
            try assertRefused(arguments, ["is not a customer-es store", "without customer-es's format marker"])
        }
        XCTAssertEqual(try sha(dataFile), before, "not a byte of the foreign environment changed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.path).sorted(), namesBefore, "no file added")
    }

    // MARK: 4. missing key

    func testAStoreWithEventsAndNoKeyIsRefusedAndTheKeyIsNotRegenerated() throws {
        try store.create("a@example.com")
        try FileManager.default.removeItem(atPath: keyFile)
        for arguments in [["list"], ["show", "DE--1"], createLine] {
            try assertRefused(arguments, ["token key \(keyFile) is missing", "Restore token.key from a backup"])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: keyFile), "a new key would break every link already mailed")
    }

    // MARK: 5. planted key

    func testAKeyOrFolderOthersOwnOrMayWriteIsRefused() throws {
        try store.create("a@example.com")
        XCTAssertEqual(chown(keyFile, 65534, 65534), 0)
        try assertRefused(["list"], [keyFile, "belongs to uid 65534", "chown"])
        try assertRefused(createLine, [keyFile, "belongs to uid 65534"])
        XCTAssertEqual(chown(keyFile, 0, 0), 0)
        XCTAssertEqual(chmod(keyFile, 0o620), 0)
        try assertRefused(["list"], [keyFile, "chmod 600 \(keyFile)"])
        XCTAssertEqual(chmod(keyFile, 0o600), 0)
        XCTAssertEqual(chmod(store.path, 0o770), 0)
        try assertRefused(createLine, [store.path, "chmod 700 \(store.path)"])
        XCTAssertEqual(chmod(store.path, 0o700), 0)
        XCTAssertEqual(chown(store.path, 65534, 65534), 0)
        try assertRefused(["list"], [store.path, "belongs to uid 65534"])
        XCTAssertEqual(chown(store.path, 0, 0), 0)
        XCTAssertEqual(try store.run(["list"]).status, 0, "a private store opens again")
    }

    // MARK: 7. modes

    func testFilesArePrivateWhateverTheUmask() throws {
        let binary = customerES.path
        let backup = store.folder.path("backup").path
        let create = CLIStore.createArguments(email: "u@example.com").map { "'\($0)'" }.joined(separator: " ")
        let output = try sh("umask 000; '\(binary)' --store '\(store.path)' \(create) && '\(binary)' --store '\(store.path)' backup '\(backup)'")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try mode(store.path), 0o700)
        for name in ["data.mdb", "lock.mdb", "token.key", "writer.lock"] {
            XCTAssertEqual(try mode(store.path + "/" + name), 0o600, name)
        }
        XCTAssertEqual(try mode(backup), 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: backup) {
            XCTAssertEqual(try mode(backup + "/" + name), 0o600, "backup/\(name)")
        }
    }

    // MARK: 16. lock timeout

    func testAWriterBehindAnotherOneSaysSoAndGivesUpAtTheLockTimeout() throws {
        try store.create("a@example.com")
        // This test process plays the other writer: it holds the advisory writer lock every customer-es takes.
        let descriptor = open(store.path + "/writer.lock", O_RDWR)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        XCTAssertEqual(flock(descriptor, LOCK_EX), 0)
        var record = Array("\(getpid())\n".utf8)  // what a customer-es writer records once it holds the lock
        XCTAssertEqual(ftruncate(descriptor, 0), 0)
        XCTAssertEqual(pwrite(descriptor, &record, record.count, 0), record.count)
        let started = Date()
        let output = try store.run(
            ["--lock-timeout", "2s"] + createLine, environment: ["CUSTOMER_ES_REPORT_LOCK_WAIT": "1"])
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(output.status, 3, output.stderr)
        XCTAssertTrue(output.stderr.contains("waiting for another writer (pid \(getpid()))"), output.stderr)
        XCTAssertTrue(output.stderr.contains("nothing was written"), output.stderr)
        XCTAssertGreaterThanOrEqual(waited, 2)
        XCTAssertLessThan(waited, 10)
        let list = try store.run(["list", "--json"])  // readers never wait for the writer lock
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertFalse(list.stdout.contains("new@example.com"))
        let usage = try store.run(["--lock-timeout", "soon"] + createLine)
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }

    // MARK: 17. read-only medium, 26. full disk

    /// A small tmpfs at `<tmp>/mnt` for the duration of `body`.
    private func withTmpfs(size: String, _ body: (String) throws -> Void) throws {
        let mountPoint = store.folder.path("mnt").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try sh("mount -t tmpfs -o size=\(size),mode=0700 tmpfs '\(mountPoint)'")
        XCTAssertEqual(mounted.status, 0, "mount tmpfs: \(mounted.stderr)")
        defer { _ = try? sh("umount -l '\(mountPoint)'") }
        try body(mountPoint)
    }

    func testAStoreOnAReadOnlyMediumCanBeRead() throws {
        try withTmpfs(size: "8m") { mountPoint in
            let path = mountPoint + "/store"
            XCTAssertEqual(try runProcess(customerES, ["--store", path] + CLIStore.createArguments(email: "ro@example.com")).status, 0)
            XCTAssertEqual(try sh("mount -o remount,ro '\(mountPoint)'").status, 0)
            let list = try runProcess(customerES, ["--store", path, "list", "--json"])
            XCTAssertEqual(list.status, 0, list.stderr)
            XCTAssertTrue(list.stdout.contains("ro@example.com"), list.stdout)
            for arguments in [["show", "DE--1"], ["history", "DE--1"], ["events"], ["outbox", "list"], ["settings"]] {
                let output = try runProcess(customerES, ["--store", path] + arguments)
                XCTAssertEqual(output.status, 0, "\(arguments): \(output.stderr)")
            }
            let write = try runProcess(customerES, ["--store", path] + CLIStore.createArguments(email: "w@example.com"))
            XCTAssertEqual(write.status, 3, write.stderr)
        }
    }

    func testAFullDiskSaysSoWithTheFreeSpace() throws {
        try withTmpfs(size: "1m") { mountPoint in
            let path = mountPoint + "/store"
            XCTAssertEqual(try runProcess(customerES, ["--store", path] + CLIStore.createArguments(email: "f0@example.com")).status, 0)
            let rows = (1...4000).map { "DE--\($0 + 1),f\($0)@example.com,Mr,Max,Mustermann-\($0)-with-a-long-name-to-fill-pages" }
            let csv = store.folder.path("big.csv")
            try ("customer_reference,email,salutation,first_name,last_name\n" + rows.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
            let output = try runProcess(customerES, ["--store", path, "import", csv.path], timeout: 60)
            XCTAssertEqual(output.status, 3, output.stderr)
            XCTAssertTrue(output.stderr.contains("no space left on the device holding the store at \(path)"), output.stderr)
            XCTAssertTrue(output.stderr.contains("bytes free"), output.stderr)
        }
    }

    // MARK: 24. backup head

    func testBackupReportsTheHeadOfTheCopyItself() throws {
        try store.create("a@example.com")
        let writer = try RunningProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", """
            i=0; while [ $i -lt 400 ]; do i=$((i+1)); '\(customerES.path)' --store '\(store.path)' settings verification-token-ttl "$((i % 9 + 1))d" >/dev/null 2>&1; done
            """])
        defer { writer.kill9() }
        usleep(300_000)
        for attempt in 0..<5 {
            let target = store.folder.path("backup-\(attempt)").path
            let output = try store.run(["backup", target, "--json"])
            XCTAssertEqual(output.status, 0, output.stderr)
            let reported = try XCTUnwrap(try jsonObject(output.stdout)["headPosition"] as? Int)
            let events = try runProcess(customerES, ["--store", target, "events", "--json", "--from", "1", "--limit", "100000"])
            XCTAssertEqual(events.status, 0, events.stderr)
            let last = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(events.stdout.utf8)) as? [[String: Any]])?.last?["position"] as? Int)
            XCTAssertEqual(reported, last, "the head printed is the copy's own")
        }
    }

    // MARK: 27. stale temporary files

    func testStaleTemporaryKeyFilesAreRemovedAtTheNextStart() throws {
        try store.create("a@example.com")
        // The names DurableFile gives its temporary files: `.<name>.<writer pid>.<random>.tmp`.
        let dead = try deadProcessID()
        let stale = store.path + "/.token.key.\(dead).11223344.tmp"
        let fresh = store.path + "/.token.key.\(dead).55667788.tmp"
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data(count: 32)))
        XCTAssertTrue(FileManager.default.createFile(atPath: fresh, contents: Data(count: 32)))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: stale)
        try store.create("b@example.com")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "older than a minute: left by a killed process")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh), "a creation may be in progress")
    }
}
