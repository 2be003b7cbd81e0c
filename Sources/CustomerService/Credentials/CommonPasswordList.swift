import CustomerAggregate
import Foundation

/// The block list shipped with customer-es (`Resources/common-passwords.txt`: Django's list of 20 000 common
/// passwords by Royce Williams, BSD 3-Clause; the file's header names the source). Loaded once per process.
enum CommonPasswordList {
    static let shared: CommonPasswords = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The resource is part of the build; without it the policy would silently accept every common password.
            fatalError("the common-password list (common-passwords.txt) is missing from the CustomerService resources")
        }
        return CommonPasswords(listText: text)
    }()
}
