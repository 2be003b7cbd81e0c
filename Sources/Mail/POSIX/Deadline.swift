/// A point on the monotonic clock after which an operation gives up; immune to wall-clock changes.
struct Deadline {
    let instant: ContinuousClock.Instant

    init(after seconds: Double) {
        instant = ContinuousClock.now.advanced(by: .milliseconds(Int64((max(seconds, 0) * 1000).rounded(.up))))
    }

    /// Milliseconds left, rounded up, for `poll`; 0 once the deadline has passed.
    var remainingMilliseconds: Int32 {
        let left = instant - ContinuousClock.now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    var hasPassed: Bool { ContinuousClock.now >= instant }
}
