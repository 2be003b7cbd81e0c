import Foundation

/// The command line as the kernel handed it over: bytes. Foundation's `CommandLine.arguments` replaces invalid
/// UTF-8 with U+FFFD, which would silently turn a mistyped `--store` into another folder or store a name that is
/// not what was typed; here an argument that is not UTF-8 is a usage error instead.
enum RawArguments {
    /// The arguments after the program name, or the position (1-based) of the first one that is not UTF-8.
    static func decoded() -> Result<[String], NotUTF8> {
        var arguments: [String] = []
        var invalid: Int?
        var wantsJSON = false
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { break }
            if let text = String(validatingCString: pointer) {
                arguments.append(text)
                wantsJSON = wantsJSON || text == "--json"
            } else if invalid == nil {
                invalid = index
            }
        }
        if let invalid { return .failure(NotUTF8(position: invalid, wantsJSON: wantsJSON)) }
        return .success(arguments)
    }

    /// An environment variable, or a usage error when it is set to bytes that are not UTF-8.
    static func environment(_ name: String) throws -> String? {
        guard let pointer = getenv(name) else { return nil }
        guard let text = String(validatingCString: pointer) else {
            throw CLIError.usage("$\(name) is not valid UTF-8 text", command: nil)
        }
        return text
    }

    struct NotUTF8: Error {
        let position: Int
        /// Whether the (valid) arguments asked for JSON, so that the error is reported as asked.
        let wantsJSON: Bool
    }
}
