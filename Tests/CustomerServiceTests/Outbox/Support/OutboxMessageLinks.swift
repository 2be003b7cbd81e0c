import Foundation
import TestSupport

extension ParsedMessage {
    /// The value of `token` in the first link of the decoded body that starts with `prefix` (the verification and
    /// password-set links of the outbox's emails).
    func token(inLinkStarting prefix: String) -> String? {
        guard let line = decodedBody.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let components = URLComponents(string: String(line)) else { return nil }
        return components.queryItems?.first { $0.name == "token" }?.value
    }
}
