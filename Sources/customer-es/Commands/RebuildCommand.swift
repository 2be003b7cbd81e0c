import CustomerService
import Foundation

/// `rebuild [--verify]`: replays the log into fresh projections (while others keep reading and writing), or
/// rebuilds into a shadow copy and reports where the live projections differ.
enum RebuildCommand {
    static let spec = CommandSpec(
        name: "rebuild",
        summary: "Rebuild every projection from the log; --verify compares a fresh rebuild with the live ones",
        options: [.flag("verify", "rebuild into a shadow copy and report differences; change nothing")],
        readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let service = try invocation.openService(writes: true)
        // CUSTOMER_ES_REPORT_PROGRESS=1: one progress line per report on stderr even without a terminal (scripts, tests).
        let everyReport = ProcessInfo.processInfo.environment["CUSTOMER_ES_REPORT_PROGRESS"] == "1"
        let progress = ProgressLine(enabled: everyReport || (Terminal.isInteractive && !invocation.global.json), everyReport: everyReport)
        if invocation.flag("verify") {
            let report = try service.verifyProjections(progress: progress.show)
            progress.finish()
            if invocation.global.json {
                Terminal.out(JSONValue.object([
                    ("consistent", .bool(report.isConsistent)),
                    ("resumed", .bool(report.resumed)),
                    ("eventsReplayed", .integer(Int64(report.eventsReplayed))),
                    ("position", .integer(Int64(report.position))),
                    ("differenceCount", .integer(Int64(report.differenceCount))),
                    ("differences", .array(report.differences.map { difference in
                        .object([
                            ("projection", .string(difference.projection)), ("table", .string(difference.table)),
                            ("key", .string(difference.readableKey)), ("kind", .string(difference.kind.rawValue)),
                        ])
                    })),
                ]).text)
            } else {
                if report.resumed { Terminal.out("Resumed the shadow tables of an interrupted rebuild.") }
                Terminal.out("Replayed \(report.eventsReplayed) events up to position \(report.position) in \(String(format: "%.2f", report.duration)) s.")
                if report.isConsistent {
                    Terminal.out("The live projections match a fresh rebuild.")
                } else {
                    Terminal.out("\(report.differenceCount) difference(s) between the live projections and a fresh rebuild:")
                    report.differences.forEach { Terminal.out("  \($0)") }
                    if report.differenceCount > report.differences.count {
                        Terminal.out("  … and \(report.differenceCount - report.differences.count) more")
                    }
                }
            }
            if let mismatch = report.mismatch { throw mismatch }
            return
        }
        let report = try service.rebuildProjections(progress: progress.show)
        progress.finish()
        if invocation.global.json {
            Terminal.out(JSONValue.object([
                ("eventsReplayed", .integer(Int64(report.eventsReplayed))),
                ("position", .integer(Int64(report.position))),
                ("seconds", .number(report.duration)),
                ("eventsPerSecond", .number(report.eventsPerSecond.rounded())),
                ("projections", .array(report.projections.map { .string($0) })),
                ("resumed", .bool(report.resumed)),
            ]).text)
        } else {
            if report.resumed { Terminal.out("Resumed an interrupted rebuild where it had got to.") }
            Terminal.out("Rebuilt \(report.projections.joined(separator: ", ")) from \(report.eventsReplayed) events (up to position \(report.position)) in \(String(format: "%.2f", report.duration)) s, \(Int(report.eventsPerSecond)) events/s.")
        }
    }
}

/// A single self-overwriting progress line on stderr (only on a terminal): done/total, events/s, ETA.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    /// A line per report, ending in a newline, saying when the work so far would survive a kill ("resumable").
    private let everyReport: Bool
    private var lastPrinted = Date.distantPast
    private var printedAnything = false

    init(enabled: Bool, everyReport: Bool = false) {
        self.enabled = enabled
        self.everyReport = everyReport
    }

    func show(_ progress: RebuildProgress) {
        guard enabled, everyReport || progress.isFinished || Date().timeIntervalSince(lastPrinted) > 0.2 else { return }
        lastPrinted = Date()
        printedAnything = true
        let percent = progress.total == 0 ? 100 : Int(Double(progress.processed) / Double(progress.total) * 100)
        let eta = progress.eta.map { String(format: ", ETA %.0f s", $0) } ?? ""
        let line = "rebuilding: \(progress.processed)/\(progress.total) events (\(percent)%), \(Int(progress.eventsPerSecond)) events/s\(eta)"
        let text = everyReport ? line + (progress.isResumable ? ", resumable" : "") + "\n" : "\r" + line + "   "
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if printedAnything && !everyReport { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
