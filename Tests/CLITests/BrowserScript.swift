/// The start every browser test's Python script shares: headless chromium through chromium-driver (both installed
/// by scripts/bootstrap), and waits and reads that survive the moment after a click when the old page's elements
/// have gone stale and the next page is still loading.
enum BrowserScript {
    static let prelude = """
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait, Select
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)
        class Wait:
            # Holds until the condition is true on a page that has loaded whole, ignoring stale elements meanwhile.
            def until(self, condition):
                WebDriverWait(driver, 20, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(
                    lambda d: condition(d) and d.execute_script("return document.readyState") == "complete")
        wait = Wait()
        def stable(read):
            # A read right after a navigation may still meet the old page's elements: read again.
            for _ in range(5):
                try:
                    return read()
                except StaleElementReferenceException:
                    wait.until(lambda d: True)
            return read()
        def say(key, read): print(key + ":" + str(stable(read)), flush=True)
        def heading(): return driver.find_element(By.TAG_NAME, "h1").text

        """
}
