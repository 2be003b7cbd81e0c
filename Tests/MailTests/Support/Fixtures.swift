import Foundation
import Mail

enum Fixtures {
    /// Sun, 29 Nov 2026 12:00:00 +0000
    static let date = Date(timeIntervalSince1970: 1_795_953_600)

    static func message(
        from: Mailbox = Mailbox(displayName: "Shop", address: "no-reply@localhost"),
        to: Mailbox = Mailbox(displayName: "Jane Doe", address: "jane@example.com"),
        subject: String = "Thank you for signing up!",
        body: String = "Hello Jane Doe,\n\nwelcome.\n",
        messageID: String = "6f1c2a9e-0000-4000-8000-000000000001@customer-es"
    ) -> EmailMessage {
        EmailMessage(from: from, to: to, subject: subject, textBody: body, date: date, messageID: messageID)
    }

    /// A fresh, empty directory under the system temp directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("customer-es-mail-tests-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
