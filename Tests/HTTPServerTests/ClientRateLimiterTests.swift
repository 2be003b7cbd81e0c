import Foundation
import XCTest

import HTTPServer

/// The per-address limit behind the storefront's and the back office's 429 answers, with an injected clock.
final class ClientRateLimiterTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSince1970: 1_000_000)
        var now: Date { lock.withLock { time } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
    }

    func testAClientWaitsOnceAtTheLimitUntilItsOldestEventLeavesTheWindow() {
        let clock = Clock()
        let limiter = ClientRateLimiter(limit: 3, window: 60, clock: { clock.now })
        for _ in 0..<2 {
            limiter.record("10.0.0.1")
            clock.advance(10)
        }
        XCTAssertNil(limiter.retryAfter("10.0.0.1"), "below the limit")
        limiter.record("10.0.0.1")
        XCTAssertEqual(limiter.retryAfter("10.0.0.1"), 40, "the first event, 20 s ago, leaves the 60 s window in 40 s")
        XCTAssertNil(limiter.retryAfter("10.0.0.2"), "another address is not affected")
        clock.advance(40)
        XCTAssertNil(limiter.retryAfter("10.0.0.1"), "the oldest event has left the window")
        limiter.record("10.0.0.1")
        XCTAssertEqual(limiter.retryAfter("10.0.0.1"), 10)
    }

    func testTheTableOfAddressesStaysBounded() {
        let clock = Clock()
        let limiter = ClientRateLimiter(limit: 1, window: 60, maximumClients: 100, clock: { clock.now })
        for index in 0..<1_000 { limiter.record("10.0.\(index / 256).\(index % 256)") }
        XCTAssertLessThanOrEqual(limiter.clientCount, 100)
        // The newest address is still counted: making room never forgets the client being recorded.
        XCTAssertNotNil(limiter.retryAfter("10.0.3.231"))
    }
}
