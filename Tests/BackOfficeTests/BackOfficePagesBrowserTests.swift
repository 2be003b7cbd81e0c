import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import TestSupport
import XCTest

/// The pages in a real browser (headless chromium through chromium-driver and python3-selenium) on a real
/// `HTTPServer` with the standard security headers (no scripts, same-origin forms and stylesheet): Customers →
/// Add Customer → every field → Save → the flash and the customer first in the list; three broken fields shown
/// beside their fields with the values kept; sort both ways, page, search; open the customer and its history.
/// A stand-in gate signs every request in as agent alice (sign-in itself is tested with `serve`).
final class BackOfficePagesBrowserTests: XCTestCase {
    static let script = """
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait, Select
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        base = sys.argv[1]
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(20)
        # After a click the old page's elements go stale while the next page loads: a wait ignores that, and
        # holds until the new page has loaded whole.
        class Wait:
            def until(self, condition):
                WebDriverWait(driver, 10, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(
                    lambda d: condition(d) and d.execute_script("return document.readyState") == "complete")
        wait = Wait()
        def say(key, value): print(key + ":" + str(value), flush=True)
        def by_id(name): return driver.find_element(By.ID, name)
        def heading(): return driver.find_element(By.TAG_NAME, "h1").text
        def rows(): return driver.find_elements(By.CSS_SELECTOR, "#customers tbody tr")
        def fill(values):
            for name, value in values.items():
                element = by_id("customer-" + name)
                if element.tag_name == "select": Select(element).select_by_value(value)
                elif element.get_attribute("type") == "date": driver.execute_script("arguments[0].value = arguments[1]", element, value)
                else: element.clear(); element.send_keys(value)
        try:
            driver.get(base + "/backoffice/customers")
            say("signed in", by_id("signed-in").text)
            by_id("add-customer").click()
            wait.until(lambda d: heading() == "Add Customer")
            say("form", heading())
            fill({"email": "maria@example.com", "salutation": "Ms", "first-name": "Maria", "last-name": "Williams",
                  "gender": "Female", "date-of-birth": "1985-03-14", "phone": "+1 555 0100", "company": "Acme & Co",
                  "locale": "en_US"})
            by_id("customer-send-password-token").click()
            by_id("save").click()
            wait.until(lambda d: len(d.find_elements(By.ID, "flash")) > 0)
            say("flash", by_id("flash").text)
            say("first row", rows()[0].text)

            by_id("add-customer").click()
            wait.until(lambda d: heading() == "Add Customer")
            fill({"email": "not-an-address", "salutation": "Mr", "first-name": "Max<", "last-name": "Muster",
                  "date-of-birth": "1850-01-01"})
            by_id("save").click()
            wait.until(lambda d: len(d.find_elements(By.CLASS_NAME, "error-summary")) > 0)
            for name in ["email", "first-name", "date-of-birth"]:
                control = by_id("customer-" + name)
                say("problem " + name, by_id(control.get_attribute("aria-describedby")).text)
                say("kept " + name, control.get_attribute("value"))
            driver.get(base + "/backoffice/customers")

            by_id("sort-email").click()
            wait.until(lambda d: "sort=email" in d.current_url)
            say("sorted", driver.find_element(By.CSS_SELECTOR, "th[aria-sort]").get_attribute("aria-sort"))
            say("first email ascending", rows()[0].find_elements(By.TAG_NAME, "td")[2].text)
            by_id("sort-email").click()
            wait.until(lambda d: "dir=desc" in d.current_url)
            say("sorted again", driver.find_element(By.CSS_SELECTOR, "th[aria-sort]").get_attribute("aria-sort"))
            say("first email descending", rows()[0].find_elements(By.TAG_NAME, "td")[2].text)

            by_id("next-page").click()
            wait.until(lambda d: "cursor=" in d.current_url)
            say("second page rows", len(rows()))

            by_id("filter-search").send_keys("williams")
            by_id("filter-apply").click()
            wait.until(lambda d: "search=williams" in d.current_url)
            say("search rows", len(rows()))
            rows()[0].find_element(By.LINK_TEXT, "View").click()
            wait.until(lambda d: heading().startswith("Customer "))
            say("history", " / ".join(r.text for r in driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")))

        finally:
            driver.quit()
        """

    func testAnAgentAddsACustomerByClickingMeetsBrokenFieldsSortsPagesSearchesAndOpensTheHistory() throws {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.fileExists(atPath: path) {
            XCTFail("\(path) is missing: run scripts/bootstrap (it installs chromium, chromium-driver and python3-selenium)")
            return
        }
        let fixture = try PagesFixture()
        for index in 1...21 { try fixture.createCustomer(String(format: "c%02d@example.com", index)) }
        // 21 customers before Maria, so that the list (20 a page) has a second page.
        let pages = fixture.pages
        let context = PagesFixture.context(.agent)
        var router = Router()
        // The router on main matches exact paths: the pages of the customers this test has.
        var paths = ["/backoffice/customers", "/backoffice/customers.csv", "/backoffice/customers/new", OperatorPages.stylesheetPath]
        for n in 1...30 { paths += ["/backoffice/customers/DE--\(n)", "/backoffice/customers/DE--\(n)/edit"] }
        for path in paths {
            router.get(path) { request in try pages.respond(to: request, context: context) ?? .text("none", status: .notFound) }
            router.post(path) { request in try pages.respond(to: request, context: context) ?? .text("none", status: .notFound) }
        }
        let port = try TestSockets.freePort()
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: port), router: router)
        _ = try server.start()
        defer { server.stop() }
        // The pages go out with the storefront's security headers: no scripts, no framing, no caching.
        let page = try RawHTTPConnection(port: port).get("/backoffice/customers")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Security-Policy"), SecurityHeaders.contentSecurityPolicy)
        XCTAssertEqual(page.header("Cache-Control"), "no-store")
        XCTAssertEqual(page.header("X-Content-Type-Options"), "nosniff")
        XCTAssertEqual(try RawHTTPConnection(port: port).get(OperatorPages.stylesheetPath).header("Content-Type"), "text/css; charset=utf-8")
        let output = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.script, "http://127.0.0.1:\(port)"],
                                    environment: ["HOME": fixture.folder.url.path], timeout: 60)
        let said = output.stdout + output.stderr
        XCTAssertEqual(output.status, 0, said)
        XCTAssertTrue(said.contains("signed in:Signed in as alice (agent)."), said)
        XCTAssertTrue(said.contains("form:Add Customer"), said)
        XCTAssertTrue(said.contains("flash:Customer was created successfully."), said)
        XCTAssertTrue(said.contains("first row:DE--22 "), said)
        XCTAssertTrue(said.contains("maria@example.com Williams Maria Unverified"), said)
        XCTAssertTrue(said.contains("problem email:Email is not a valid address"), said)
        XCTAssertTrue(said.contains("problem first-name:First name must not contain any of : / < >"), said)
        XCTAssertTrue(said.contains("problem date-of-birth:Date of birth must not be before 1900-01-01"), said)
        XCTAssertTrue(said.contains("kept email:not-an-address") && said.contains("kept first-name:Max<") && said.contains("kept date-of-birth:1850-01-01"), said)
        XCTAssertTrue(said.contains("sorted:ascending") && said.contains("first email ascending:c01@example.com"), said)
        XCTAssertTrue(said.contains("sorted again:descending") && said.contains("first email descending:maria@example.com"), said)
        XCTAssertTrue(said.contains("second page rows:2"), said)
        XCTAssertTrue(said.contains("search rows:1"), said)
        XCTAssertTrue(said.contains("operator:alice Customer DE--22 created"), "the history names the operator: \(said)")
        XCTAssertEqual(try fixture.service.listPage(CustomerListQuery(search: "Muster")).total, 0, "the broken form wrote nothing")
        let (_, maria, _) = try fixture.service.customer("maria@example.com")
        XCTAssertEqual(maria.profile?.company, "Acme & Co")
        XCTAssertEqual(maria.profile?.dateOfBirth?.description, "1985-03-14")
        XCTAssertNotNil(maria.passwordToken, "the checkbox was ticked")
    }
}
