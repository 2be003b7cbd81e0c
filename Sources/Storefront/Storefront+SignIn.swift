import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// `POST /api/authenticate`: JSON `{"email", "password"}` → 200 `{"reference"}`, or 401 with one generic message
/// whatever failed (unknown address, wrong password, locked, unverified), so the answer tells nothing about the
/// account. Failures count per client address (429 with `Retry-After` beyond the limit).
extension Storefront {
    static let signInFailedMessage = PageTexts.english.signInFailed

    func authenticate(_ request: HTTPRequest) throws -> HTTPResponse {
        guard try isSameOrigin(request) else { return Self.jsonError("This request came from another site and was refused.", status: .forbidden) }
        if let wait = signInFailures.retryAfter(request.remoteAddress) {
            var answer = Self.jsonError("Too many failed sign-ins from this address; try again later.", status: .tooManyRequests)
            answer.headers.set("Retry-After", String(wait))
            return answer
        }
        let mediaType = request.headers["Content-Type"]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/json" else {
            return Self.jsonError("Send the credentials as application/json: {\"email\": …, \"password\": …}.", status: .unsupportedMediaType)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let email = object["email"] as? String, let password = object["password"] as? String
        else {
            return Self.jsonError("The body must be a JSON object with the strings \"email\" and \"password\".", status: .badRequest)
        }
        guard let credentials else { return Self.jsonError("Sign-in is not available.", status: .serviceUnavailable) }
        var reference: String?
        // Only an email address signs in (a reference would find the customer too).
        if email.contains("@") {
            do {
                reference = try credentials.signIn(email: email, password: password, metadata: metadata)
            } catch is DomainError {
                reference = nil
            }
        }
        guard let reference else {
            signInFailures.record(request.remoteAddress)
            return Self.jsonError(Self.signInFailedMessage, status: .unauthorized)
        }
        return Self.json(["reference": reference], status: .ok)
    }

    static func json(_ object: [String: String], status: HTTPStatus) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .json(String(decoding: data, as: UTF8.self), status: status)
    }

    static func jsonError(_ message: String, status: HTTPStatus) -> HTTPResponse {
        json(["error": message], status: status)
    }
}
