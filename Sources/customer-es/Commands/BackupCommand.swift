import CustomerService
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
        let head = try service.backup(to: target).headPosition
        if invocation.global.json {
            Terminal.out(JSONValue.object([("backup", .string(target.path)), ("headPosition", .integer(Int64(head)))]).text)
        } else {
            Terminal.out("Backed up the store (log head at position \(head)) into \(target.path).")
        }
    }
}
