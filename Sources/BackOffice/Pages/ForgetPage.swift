import CustomerAggregate
import CustomerService
import HTMLBuilder
import HTTPServer

/// Forget: a confirmation page that says what is erased and asks for the reason (recorded in the history), then
/// the application's `forget`. The data file's compaction is left pending here: `serve`'s compaction thread does
/// it soon after, with the store kept open, while the pages go on serving.
extension OperatorPages {
    func forgetConfirmation(_ reference: String, context: PageContext, problems: [String] = [], reason: String = "") throws -> HTTPResponse {
        guard (try? service.customer(reference)) != nil else { return BackOfficeLayout.notFound(context) }
        let texts = context.texts
        return BackOfficeLayout.page(
            context, title: "\(texts.forgetTitle) \(reference)", section: .customers, status: problems.isEmpty ? .ok : .unprocessableContent
        ) {
            HTMLNode.element(.p) { texts.forgetLead }
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeURL.customer(reference, "forget")), .class("stacked"), .novalidate]) {
                FormControls.csrf(context)
                FormControls.hidden(PageContext.requestIdField, UUIDText.random())
                FormControls.textarea(id: "forget-reason", name: "reason", label: texts.forgetReasonLabel, value: reason, problems: problems)
                HTMLNode.element(.button, [.type("submit"), .id("forget-confirm")]) { texts.forgetButton }
                " "
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference))]) { texts.cancel }
            }
        }
    }

    func forget(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let reason = form["reason"] ?? ""
        do {
            _ = try service.forget(reference, reason: reason, metadata: metadata(context, requestId: requestId(form, context)), then: .leavePending)
            return .seeOther(BackOfficeURL.with(BackOfficeURL.customers, [("done", Flash.forgotten.rawValue)]))
        } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        } catch let refused as DomainError {
            return try forgetConfirmation(reference, context: context, problems: context.texts.say(refused), reason: reason)
        }
    }
}
