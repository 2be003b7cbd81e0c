import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM set a flag instead of killing the process, so that a long-running command
/// (`events --follow`, `outbox dispatch --watch`) finishes what it is doing — e.g. records the email in flight —
/// before it exits. The signals are ignored at the process level and observed through dispatch sources, so
/// blocking socket calls are not interrupted mid-message.
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    static func install() -> StopRequest {
        let stop = StopRequest()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.request() }
            source.resume()
            stop.sources.append(source)
        }
        return stop
    }

    func request() { lock.withLock { requested = true } }

    func isRequested() -> Bool { lock.withLock { requested } }
}
