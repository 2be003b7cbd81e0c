import CustomerService
import EventStore
import Foundation

/// `backup DIR`: a hot, consistent, compacted copy of the whole store (log, projections, settings) into an
/// empty folder, while other processes keep reading and writing. The token key is copied too, so that links
/// already mailed keep working against the restored store.
enum BackupCommand {
    static let spec = CommandSpec(
        name: "backup",
        summary: "Copy the store, consistently and while it is in use, into an empty folder",
        positionals: ["DIR"], readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let target = URL(fileURLWithPath: invocation.positionals[0])
        let service = try invocation.openService()
        let head: UInt64
        do {
            head = try service.store.backup(to: target)  // read from the copy itself
        } catch let error as EventStoreError {
            throw CLIError.store("backup failed: \(error)")
        }
        let key = service.storeDirectory.appendingPathComponent("token.key")
        let keyCopy = target.appendingPathComponent("token.key")
        if FileManager.default.fileExists(atPath: key.path) {
            try FileManager.default.copyItem(at: key, to: keyCopy)
            chmod(keyCopy.path, 0o600)
        }
        if invocation.global.json {
            Terminal.out(JSONValue.object([("backup", .string(target.path)), ("headPosition", .integer(Int64(head)))]).text)
        } else {
            Terminal.out("Backed up the store (log head at position \(head)) into \(target.path).")
        }
    }
}
