import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password the way `passwd` does: never from an argument (it would show in `ps` and shell history).
/// On a terminal, a prompt on stderr with echo turned off (termios); otherwise the first line of standard input.
enum PasswordInput {
    /// More than any password the policy allows, so that a runaway pipe cannot fill memory.
    static let maximumBytes = 4_096

    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) == 1 { return try readWithoutEcho(prompt: prompt) }
        let data = FileHandle.standardInput.readData(ofLength: maximumBytes + 1)
        guard data.count <= maximumBytes else {
            throw CLIError.usage("the password on standard input is longer than \(maximumBytes) bytes", command: nil)
        }
        return try firstLine(of: data)
    }

    private static func readWithoutEcho(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            throw CLIError.usage("cannot read the terminal's settings to turn off echo", command: nil)
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
            throw CLIError.usage("cannot turn off the terminal's echo", command: nil)
        }
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }

    /// Up to the first line break (`\n` or `\r\n`); the text must be UTF-8.
    static func firstLine(of data: Data) throws -> String {
        var bytes = [UInt8](data)
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes = Array(bytes[..<newline]) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.usage("the password on standard input is not UTF-8 text", command: nil)
        }
        return text
    }
}
