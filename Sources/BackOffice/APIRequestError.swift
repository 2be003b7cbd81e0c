import CustomerAggregate
import Foundation
import HTTPServer

/// A request the admin API refuses before any application function runs: a body that is not a JSON object,
/// a bad query parameter, an unknown path under a prefix route.
struct APIRequestError: Error {
    let status: HTTPStatus
    let code: String
    let message: String
    var problems: [Problem] = []

    static let notFound = APIRequestError(status: .notFound, code: "notFound", message: "No such resource in the admin API")

    static func invalid(_ parameter: String, _ rule: String) -> APIRequestError {
        APIRequestError(status: .unprocessableContent, code: DomainError.Code.validationFailed.rawValue, message: "\(parameter) \(rule)",
                        problems: [Problem(field: parameter, message: rule)])
    }

    /// The body as a JSON object: 415 for another media type, 400 for anything but an object.
    static func jsonObject(_ request: HTTPRequest) throws -> APIBody {
        let mediaType = request.headers["Content-Type"]?.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() }
        guard mediaType == "application/json" else {
            throw APIRequestError(status: .unsupportedMediaType, code: "unsupportedMediaType", message: "Send the body as application/json")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
            throw APIRequestError(status: .badRequest, code: "invalidJSON", message: "The body must be one JSON object")
        }
        return APIBody(object: object)
    }

    /// For a command whose members are all optional: no body at all is the empty object, any other body must be
    /// a JSON object as `jsonObject` reads it.
    static func optionalJSONObject(_ request: HTTPRequest) throws -> APIBody {
        request.body.isEmpty ? APIBody(object: [:]) : try jsonObject(request)
    }
}

/// The members of a request's JSON object, read as the CLI reads options.
struct APIBody {
    let object: [String: Any]

    func string(_ name: String) -> String? { object[name] as? String }

    func bool(_ name: String) -> Bool { (object[name] as? Bool) ?? false }

    /// For an edit: absent is "leave as it is" (nil), `null` clears (""), a string is the new value.
    func edited(_ name: String) -> String? {
        guard let value = object[name] else { return nil }
        if value is NSNull { return "" }
        return value as? String ?? String(describing: value)
    }
}
