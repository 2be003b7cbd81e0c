import Foundation
import TestSupport
import XCTest

/// A real browser (Debian's headless chromium, driven by chromium-driver through python3-selenium, all installed by
/// scripts/bootstrap) opens the links of the delivered emails: it clicks the confirm button, then fills and submits
/// the password form. The pages' own form POSTs must pass the same-origin check (under `no-referrer` they carry
/// `Origin: null`) and the CSP; afterwards the password signs in.
final class CLIServeBrowserTests: XCTestCase {
    static let script = BrowserScript.prelude + """
        try:
            driver.get(sys.argv[1])
            say("title", lambda: driver.title)
            driver.find_element(By.CSS_SELECTOR, "form[action='/register/confirm'] button").click()
            wait.until(lambda d: heading() != "Confirm your email address")
            say("heading", heading)
            driver.get(sys.argv[2])
            say("password title", lambda: driver.title)
            for name in ["password", "password-repeat"]:
                driver.find_element(By.NAME, name).send_keys(sys.argv[3])
            driver.find_element(By.CSS_SELECTOR, "form[action='/password/restore'] button").click()
            wait.until(lambda d: heading() != "Set your password")
            say("password heading", heading)
        finally:
            driver.quit()
        """

    func testABrowserConfirmsTheAddressAndSetsThePasswordFromTheEmailLinks() throws {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.fileExists(atPath: path) {
            XCTFail("\(path) is missing: run scripts/bootstrap (it installs chromium, chromium-driver and python3-selenium)")
            return
        }
        let store = CLIStore()
        let reference = try store.create("browser@example.com", flags: ["send-password-token"])
        let server = try ServeProcess(store)
        let link = try server.link(to: "browser@example.com")
        let passwordLink = try server.link(to: "browser@example.com", path: "/password/restore")
        let password = "Violet-Harbour-5120"
        let output = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.script, link, passwordLink, password],
            environment: ["HOME": store.folder.url.path], timeout: 120)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("title:Confirm your email address"), output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("heading:Your email address is confirmed."), output.stdout + output.stderr)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Verified")
        XCTAssertTrue(server.stderr.contains("POST /register/confirm 200"), server.stderr)
        XCTAssertTrue(output.stdout.contains("password title:Set your password"), output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("password heading:Your password is set."), output.stdout + output.stderr)
        XCTAssertTrue(server.stderr.contains("POST /password/restore 200"), server.stderr)
        let signIn = try runProcess(customerES, ["--store", store.path, "authenticate", reference], stdin: password + "\n", timeout: 20)
        XCTAssertEqual(signIn.status, 0, signIn.stderr)
    }
}
