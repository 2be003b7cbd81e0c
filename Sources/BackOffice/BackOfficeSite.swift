import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The operators' side of `serve`: sign-in, the back office's pages and the admin API, as one route set kept
/// apart from the storefront's. Every handler calls the application layer; writes go through the group commit.
public struct BackOfficeSite: Sendable {
    public let service: CustomerService
    public let commands: GroupCommittedCommands
    public let sessionPolicy: SessionPolicy
    let listenOrigins: [String]

    public static let loginPath = "/backoffice/login"
    public static let logoutPath = "/backoffice/logout"
    public static let homePath = "/backoffice"

    public init(service: CustomerService, listenOrigins: [String] = [], sessionPolicy: SessionPolicy = .standard, commitBatch: Int = 256) {
        self.service = service
        commands = GroupCommittedCommands(service: service, maximumBatch: commitBatch)
        self.sessionPolicy = sessionPolicy
        self.listenOrigins = listenOrigins
    }

    public func router() -> Router {
        var router = Router()
        router.get(Self.loginPath) { request in try showLogin(request) }
        router.post(Self.loginPath) { request in try login(request) }
        router.post(Self.logoutPath) { request in try logout(request) }
        router.get(Self.homePath) { request in try signedIn(request) { BackOfficePages.home($0) } }
        addAPIRoutes(to: &router)
        return router
    }

    func showLogin(_ request: HTTPRequest) throws -> HTTPResponse {
        if try session(of: request) != nil { return .seeOther(Self.homePath) }
        return BackOfficePages.login()
    }

    func login(_ request: HTTPRequest) throws -> HTTPResponse {
        guard try isSameOrigin(request) else { return refusedForm() }
        let form = try request.form()
        let name = form["name"] ?? ""
        do {
            let session = try service.signInOperator(
                name: name, password: form["password"] ?? "", policy: sessionPolicy,
                metadata: CommandMetadata(actor: "backoffice"))
            var answer = HTTPResponse.seeOther(Self.homePath)
            answer.headers.add("Set-Cookie", try sessionCookie(session.id, maxAge: Int(sessionPolicy.maximumAge)))
            return answer
        } catch let refusal as DomainError where refusal.code == .authenticationFailed || refusal.code == .accountLocked {
            // Locked or not, the same words: the form never tells which operators exist.
            return BackOfficePages.login(name: name, problem: AccessDecider.signInRefused.message + ".", status: .unauthorized)
        }
    }

    func logout(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let session = try session(of: request) else { return .seeOther(Self.loginPath) }
        guard try acceptsForm(request, try request.form(), of: session) else { return refusedForm() }
        try service.signOut(sessionId: session.id)
        var answer = HTTPResponse.seeOther(Self.loginPath)
        answer.headers.add("Set-Cookie", try sessionCookie("", maxAge: 0))
        return answer
    }
}
