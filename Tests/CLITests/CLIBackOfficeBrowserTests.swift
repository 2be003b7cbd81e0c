import Foundation
import TestSupport
import XCTest

/// The back office in a real browser (headless chromium through chromium-driver and python3-selenium) on a real
/// `serve`: an agent signs in, adds a customer by clicking through the platform's flow, meets three broken
/// fields (the form walked with Tab and saved with Enter), sorts, searches, pages, opens the customer's history
/// and signs out; a viewer, signed in with the keyboard only, cannot reach Add Customer.
final class CLIBackOfficeBrowserTests: XCTestCase {
    static let password = "Tangerine-Orbit-7731"

    static let script = BrowserScript.prelude + """
        from selenium.webdriver.common.keys import Keys
        base, password = sys.argv[1], sys.argv[2]
        def by_id(name): return driver.find_element(By.ID, name)
        def rows(): return driver.find_elements(By.CSS_SELECTOR, "#customers tbody tr")
        def sign_in(name):
            driver.get(base + "/backoffice/login")
            driver.find_element(By.NAME, "name").send_keys(name)
            driver.find_element(By.NAME, "password").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "form[action='/backoffice/login'] button").click()
            wait.until(lambda d: heading() == "Customers")
        def sign_in_by_keyboard(name):
            # Only keys: the name field, Tab to the password, Enter submits.
            driver.get(base + "/backoffice/login")
            driver.find_element(By.NAME, "name").click()
            driver.switch_to.active_element.send_keys(name, Keys.TAB)
            driver.switch_to.active_element.send_keys(password, Keys.ENTER)
            wait.until(lambda d: heading() == "Customers")
        def tab_order(first, last):
            # The ids that Tab visits from `first` to `last` (a date input's parts count once).
            by_id(first).click()
            order = []
            for _ in range(30):
                focused = driver.switch_to.active_element.get_attribute("id")
                if not order or order[-1] != focused: order.append(focused)
                if focused == last: break
                driver.switch_to.active_element.send_keys(Keys.TAB)
            return ",".join(order)
        def fill(values):
            for name, value in values.items():
                element = by_id("customer-" + name)
                if element.tag_name == "select": Select(element).select_by_value(value)
                elif element.get_attribute("type") == "date": driver.execute_script("arguments[0].value = arguments[1]", element, value)
                else: element.clear(); element.send_keys(value)
        try:
            sign_in("alice")
            say("signed in", lambda: by_id("signed-in").text)
            by_id("add-customer").click()
            wait.until(lambda d: heading() == "Add Customer")
            say("form", lambda: heading())
            fill({"email": "maria@example.com", "salutation": "Ms", "first-name": "Maria", "last-name": "Williams",
                  "gender": "Female", "date-of-birth": "1985-03-14", "phone": "+1 555 0100", "company": "Acme & Co",
                  "locale": "en_US"})
            by_id("customer-send-password-token").click()
            by_id("save").click()
            wait.until(lambda d: len(d.find_elements(By.ID, "flash")) > 0)
            say("flash", lambda: by_id("flash").text)
            say("first row", lambda: rows()[0].text)

            by_id("add-customer").click()
            wait.until(lambda d: heading() == "Add Customer")
            fill({"email": "not-an-address", "salutation": "Mr", "first-name": "Max<", "last-name": "Muster",
                  "date-of-birth": "1850-01-01"})
            say("tab order", lambda: tab_order("customer-email", "save"))
            # Saved by the keyboard: Enter on the focused Save button.
            driver.switch_to.active_element.send_keys(Keys.ENTER)
            wait.until(lambda d: len(d.find_elements(By.CLASS_NAME, "error-summary")) > 0)
            for name in ["email", "first-name", "date-of-birth"]:
                control = by_id("customer-" + name)
                say("problem " + name, lambda: by_id(control.get_attribute("aria-describedby")).text)
                say("kept " + name, lambda: control.get_attribute("value"))
            driver.get(base + "/backoffice/customers")

            by_id("sort-email").click()
            wait.until(lambda d: "sort=email" in d.current_url)
            say("sorted", lambda: driver.find_element(By.CSS_SELECTOR, "th[aria-sort]").get_attribute("aria-sort"))
            say("first email ascending", lambda: rows()[0].find_elements(By.TAG_NAME, "td")[2].text)
            by_id("sort-email").click()
            wait.until(lambda d: "dir=desc" in d.current_url)
            say("sorted again", lambda: driver.find_element(By.CSS_SELECTOR, "th[aria-sort]").get_attribute("aria-sort"))
            say("first email descending", lambda: rows()[0].find_elements(By.TAG_NAME, "td")[2].text)

            by_id("next-page").click()
            wait.until(lambda d: "cursor=" in d.current_url)
            say("second page rows", lambda: len(rows()))

            by_id("filter-search").send_keys("williams")
            by_id("filter-apply").click()
            wait.until(lambda d: "search=williams" in d.current_url)
            say("search rows", lambda: len(rows()))
            rows()[0].find_element(By.LINK_TEXT, "View").click()
            wait.until(lambda d: heading().startswith("Customer "))
            say("history", lambda: " / ".join(r.text for r in driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")))

            by_id("sign-out").click()
            wait.until(lambda d: "/backoffice/login" in d.current_url)
            say("signed out", lambda: driver.current_url.endswith("/backoffice/login"))

            sign_in_by_keyboard("vera")
            say("viewer add customer links", lambda: len(driver.find_elements(By.ID, "add-customer")))
            driver.get(base + "/backoffice/customers/new")
            say("viewer new page", lambda: heading())
        finally:
            driver.quit()
        """

    func testAnAgentAddsACustomerByClickingAndAViewerCannot() throws {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.fileExists(atPath: path) {
            XCTFail("\(path) is missing: run scripts/bootstrap (it installs chromium, chromium-driver and python3-selenium)")
            return
        }
        let store = CLIStore()
        for (name, role) in [("alice", "agent"), ("vera", "viewer")] {
            let added = try runProcess(customerES, ["--store", store.path, "operator", "add", name, "--role", role], stdin: Self.password + "\n")
            XCTAssertEqual(added.status, 0, added.stderr)
        }
        // 21 others, so that the list has a second page (20 a page) with Maria among 22.
        for index in 1...21 { try store.create(String(format: "c%02d@example.com", index)) }
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let output = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.script, "http://127.0.0.1:\(server.port)", Self.password],
            environment: ["HOME": store.folder.url.path], timeout: 60)
        let said = output.stdout + output.stderr
        XCTAssertEqual(output.status, 0, said)
        XCTAssertTrue(said.contains("signed in:Signed in as alice (agent)."), said)
        XCTAssertTrue(said.contains("form:Add Customer"), said)
        XCTAssertTrue(said.contains("flash:Customer was created successfully."), said)
        XCTAssertTrue(said.contains("first row:DE--22 "), said)
        XCTAssertTrue(said.contains("maria@example.com Williams Maria Unverified"), said)
        XCTAssertTrue(said.contains("problem email:Email is not a valid address"), said)
        XCTAssertTrue(said.contains("problem first-name:First name must not contain any of : / < >"), said)
        XCTAssertTrue(said.contains("problem date-of-birth:Date of birth"), said)
        // Keyboard-usable: Tab goes through every control in the order they are shown, Enter saves, and a
        // viewer signed in with keys only.
        let controls = ["email", "salutation", "first-name", "last-name", "gender", "date-of-birth", "phone", "company", "locale", "send-password-token"]
        XCTAssertTrue(said.contains("tab order:" + controls.map { "customer-" + $0 }.joined(separator: ",") + ",save"), said)
        XCTAssertTrue(said.contains("kept email:not-an-address") && said.contains("kept first-name:Max<") && said.contains("kept date-of-birth:1850-01-01"), said)
        XCTAssertTrue(said.contains("sorted:ascending") && said.contains("first email ascending:c01@example.com"), said)
        XCTAssertTrue(said.contains("sorted again:descending") && said.contains("first email descending:maria@example.com"), said)
        XCTAssertTrue(said.contains("second page rows:2"), said)
        XCTAssertTrue(said.contains("search rows:1"), said)
        XCTAssertTrue(said.contains("operator:alice"), "the history names the operator: \(said)")
        XCTAssertTrue(said.contains("signed out:True"), said)
        XCTAssertTrue(said.contains("viewer add customer links:0"), said)
        XCTAssertTrue(said.contains("viewer new page:Not allowed"), said)
        let show = try store.show("maria@example.com")
        XCTAssertEqual(show["company"] as? String, "Acme & Co")
    }
}
