import CustomerAggregate
import Foundation
import XCTest

/// "Given these events, when this command, then these events / this error", over the pure decider.
extension XCTestCase {
    func given(
        _ history: [CustomerEvent],
        when command: CustomerCommand,
        context: DecisionContext = Fixture.context(),
        then expected: [CustomerEvent],
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let state = CustomerDecider.replay(history)
        do {
            let events = try CustomerDecider.decide(command, state: state, context: context)
            XCTAssertEqual(events, expected, file: file, line: line)
        } catch {
            XCTFail("expected events, got error \(error)", file: file, line: line)
        }
    }

    /// Returns the error for further checks (message, problems).
    @discardableResult
    func given(
        _ history: [CustomerEvent],
        when command: CustomerCommand,
        context: DecisionContext = Fixture.context(),
        thenError code: DomainError.Code,
        file: StaticString = #filePath,
        line: UInt = #line
    ) -> DomainError? {
        let state = CustomerDecider.replay(history)
        do {
            let events = try CustomerDecider.decide(command, state: state, context: context)
            XCTFail("expected \(code), got events \(events)", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            return error
        }
    }

    /// Validates `form` with the fixture settings and day, expecting failure; returns the problems.
    func problems(
        of form: CustomerForm,
        settings: StoreSettings = .defaults,
        today: CalendarDate = Fixture.today,
        emailAlreadyUsed: Bool = false,
        file: StaticString = #filePath,
        line: UInt = #line
    ) -> [Problem] {
        switch CustomerValidation.validate(form, settings: settings, today: today, emailAlreadyUsed: emailAlreadyUsed) {
        case .success(let profile):
            XCTFail("expected problems, got \(profile)", file: file, line: line)
            return []
        case .failure(let error):
            return error.problems
        }
    }

    /// Validates `form`, expecting success; returns the profile.
    func profile(
        of form: CustomerForm,
        settings: StoreSettings = .defaults,
        today: CalendarDate = Fixture.today,
        file: StaticString = #filePath,
        line: UInt = #line
    ) -> CustomerProfile? {
        switch CustomerValidation.validate(form, settings: settings, today: today, emailAlreadyUsed: false) {
        case .success(let profile):
            return profile
        case .failure(let error):
            XCTFail("expected a profile, got \(error)", file: file, line: line)
            return nil
        }
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }

    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self = bytes
    }
}
