import Foundation

/// One line per request: when, method, path **without the query** (tokens travel in queries and must never reach
/// a log), status, duration and body bytes sent. Requests refused before their line was understood log `-`.
public struct AccessLogEntry: Sendable, Equatable {
    public let time: Date
    public let method: String
    /// The path as sent (percent-encoded, printable ASCII only), never the query.
    public let path: String
    public let status: Int
    public let duration: Duration
    /// Body bytes sent (0 for HEAD and bodiless answers).
    public let bytes: Int
}

/// Where access-log lines go and in which format; the writer is injected (stderr in `serve`, a buffer in tests).
public struct AccessLog: Sendable {
    public enum Format: Sendable {
        /// `2026-12-01T20:00:00.123Z GET /register/confirm 200 1.234ms 512B`
        case text
        /// `{"time":"…","method":"GET","path":"/register/confirm","status":200,"durationMs":1.234,"bytes":512}`
        case jsonLines
    }

    public let format: Format
    private let writeLine: @Sendable (String) -> Void

    /// `write` receives each complete line (without its newline), from whichever connection thread served it.
    public init(format: Format, write: @escaping @Sendable (String) -> Void) {
        self.format = format
        self.writeLine = write
    }

    /// Lines on standard error, each written whole (one `write(2)`), so lines of concurrent requests never mix.
    public static func standardError(format: Format) -> AccessLog {
        AccessLog(format: format) { line in
            let bytes = Array((line + "\n").utf8)
            bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        }
    }

    func record(_ entry: AccessLogEntry) { writeLine(line(for: entry)) }

    public func line(for entry: AccessLogEntry) -> String {
        let time = Self.timestamp(entry.time)
        let milliseconds = Double(entry.duration.components.seconds) * 1000
            + Double(entry.duration.components.attoseconds) / 1e15
        let micros = Int((milliseconds * 1000).rounded())
        let duration = "\(micros / 1000).\(Digits.padded(micros % 1000, 3))"
        switch format {
        case .text:
            return "\(time) \(entry.method) \(entry.path) \(entry.status) \(duration)ms \(entry.bytes)B"
        case .jsonLines:
            // method and path are printable ASCII (the parser refused anything else before they were recorded),
            // so escaping quotes and backslashes is all JSON needs.
            return "{\"time\":\"\(time)\",\"method\":\"\(Self.jsonSafe(entry.method))\",\"path\":\"\(Self.jsonSafe(entry.path))\","
                + "\"status\":\(entry.status),\"durationMs\":\(duration),\"bytes\":\(entry.bytes)}"
        }
    }

    /// Printable ASCII as the inside of a JSON string; anything else (never recorded) is dropped.
    private static func jsonSafe(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value < 0x7F {
            if scalar == "\"" || scalar == "\\" { output.append("\\") }
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    /// ISO 8601 UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int((interval - Double(seconds)) * 1000)
        let pad = Digits.padded
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))Z"
    }
}
