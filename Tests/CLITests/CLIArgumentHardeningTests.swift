import Foundation
import TestSupport
import XCTest

/// Arguments that are refused before anything runs: strict times, the actor, raw argv bytes.
final class CLIArgumentHardeningTests: XCTestCase {
    func testTimeArgumentsAcceptOnlyTheISOFormsAndNameTheArgument() throws {
        let store = CLIStore()
        try store.create("time@example.com")
        let bad = ["2026-12-01 18:35", "2026-12-01T25:00:00Z", "2026-12-01junk", "2026-02-30", "99999-01-01"]
        for text in bad {
            for (arguments, name) in [(["show", "DE--1", "--as-of", text], "--as-of"), (["audit", "--since", text], "--since"),
                                      (["audit", "--until", text], "--until")] {
                let output = try store.run(arguments)
                XCTAssertEqual(output.status, 2, "\(arguments): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("\(name) must be an ISO 8601 time"), "\(arguments) names \(name): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("YYYY-MM-DDTHH:MM[:SS[.ffffff]]"), "\(arguments) lists the forms: \(output.stderr)")
            }
        }
        for good in ["2026-12-01", "2026-12-01T18:35Z", "2026-12-01T18:35:00.5Z", "2026-12-01T18:35:00+02:00"] {
            XCTAssertEqual(try store.run(["audit", "--since", good]).status, 0, good)
        }
    }
}
