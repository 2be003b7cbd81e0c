import Foundation
import TestSupport
import XCTest

/// A password typed at a terminal: `operator add` run under a real pseudo-terminal (Python's `pty`) prompts on
/// the terminal, turns echo off while the password is typed (so it never appears on the screen), turns it back
/// on afterwards, and the operator then signs in with what was typed.
final class CLIPasswordPromptTests: XCTestCase {
    static let password = "Tangerine-Orbit-7731"

    /// Runs `sh -c` under a new pseudo-terminal: the CLI, its exit status, then `stty -a` (the terminal's settings
    /// after it). The password is typed only once the terminal's echo is off, as a person would type it after
    /// the prompt (typed earlier, `TCSAFLUSH` would discard it with the prompt's own settings change).
    static let script = """
        import os, pty, select, sys, termios, time
        cli, store, password = sys.argv[1], sys.argv[2], sys.argv[3]
        pid, fd = pty.fork()
        if pid == 0:
            os.execv("/bin/sh", ["sh", "-c", '"$0" --store "$1" operator add olga --role agent; echo "status:$?"; stty -a', cli, store])
        screen = b""
        def read_some(wait):
            global screen
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready: return False
            try: chunk = os.read(fd, 4096)
            except OSError: return None
            if not chunk: return None
            screen += chunk
            return True
        deadline = time.time() + 30
        while b"Password for operator olga: " not in screen:
            if time.time() > deadline or read_some(0.2) is None: sys.exit("no prompt: %r" % screen)
        while termios.tcgetattr(fd)[3] & termios.ECHO:
            if time.time() > deadline: sys.exit("echo stayed on: %r" % screen)
            time.sleep(0.01)
        os.write(fd, password.encode() + b"\\r")
        while read_some(5) is not None and time.time() < deadline: pass
        os.waitpid(pid, 0)
        sys.stdout.write(screen.decode("utf-8", "replace"))
        """

    func testAnOperatorsPasswordIsTypedWithoutEchoAndTheEchoComesBack() throws {
        let store = CLIStore()
        let typed = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.script, customerES.path, store.path, Self.password], timeout: 60)
        XCTAssertEqual(typed.status, 0, typed.stderr + typed.stdout)
        let screen = typed.stdout
        XCTAssertTrue(screen.contains("Password for operator olga: "), screen)
        XCTAssertTrue(screen.contains("Operator olga was added as agent."), screen)
        XCTAssertTrue(screen.contains("status:0"), screen)
        XCTAssertFalse(screen.contains(Self.password), "the typed password was echoed: \(screen)")
        // `stty -a` after the CLI: echo is on again ("echo", not "-echo").
        let settings = try XCTUnwrap(screen.components(separatedBy: "status:0").last)
        XCTAssertTrue(settings.contains(" echo "), settings)
        XCTAssertFalse(settings.contains("-echo "), settings)

        // What was typed is the password: the operator signs in with it, and not with another.
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let signIn = { (password: String) in
            try HTTPClient.send(
                .form("/backoffice/login", [("name", "olga"), ("password", password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        }
        XCTAssertEqual(try signIn(Self.password).status, 303)
        XCTAssertNotEqual(try signIn(Self.password + "x").status, 303)
    }
}
