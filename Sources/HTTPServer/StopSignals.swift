import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM call `server.stop()` instead of killing the process, so the requests in flight are
/// answered before `run()` returns. The signals are ignored at the process level and observed through dispatch
/// sources, which run ordinary code (a signal handler could not take a lock). Keep the value alive while serving.
public final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) { self.sources = sources }

    public static func install(stopping server: HTTPServer) -> StopSignals {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            sources.append(source)
        }
        return StopSignals(sources: sources)
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
