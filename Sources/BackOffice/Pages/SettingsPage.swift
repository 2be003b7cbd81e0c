import CustomerAggregate
import CustomerService
import HTMLBuilder
import HTTPServer

/// Settings (admins only): every setting with its value, and a form that changes one through the same
/// application command as `customer-es settings KEY VALUE`, its rules and messages included.
extension OperatorPages {
    func settingsPage(context: PageContext, problems: [String] = [], typed: (key: String, value: String)? = nil) throws -> HTTPResponse {
        let texts = context.texts
        let settings = try service.settings()
        return BackOfficeLayout.page(
            context, title: texts.settingsTitle, section: .settings, status: problems.isEmpty ? .ok : .unprocessableContent,
            flash: nil
        ) {
            HTMLNode.element(.table, [.id("settings")]) {
                HTMLNode.element(.tbody) {
                    for key in SettingKey.allCases {
                        HTMLNode.element(.tr) {
                            HTMLNode.element(.th, [.scope("row")]) { key.rawValue }
                            HTMLNode.element(.td) { settings.value(for: key) }
                        }
                    }
                }
            }
            HTMLNode.element(.h2) { texts.settingChange }
            HTMLNode.element(.form, [.method(.post), .action("/backoffice/settings"), .class("stacked"), .novalidate]) {
                FormControls.csrf(context)
                FormControls.select(
                    id: "setting-key", name: "key", label: texts.settingKey,
                    choices: SettingKey.allCases.map { .init(value: $0.rawValue, text: $0.rawValue) }, selected: typed?.key ?? "")
                FormControls.input(id: "setting-value", name: "value", label: texts.settingValue, value: typed?.value ?? "", problems: problems)
                HTMLNode.element(.button, [.type("submit"), .id("change-setting")]) { texts.settingChange }
            }
        }
    }

    func changeSetting(_ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let key = form["key"] ?? "", value = form["value"] ?? ""
        do {
            _ = try service.changeSetting(key, to: value, metadata: metadata(context))
            return .seeOther(BackOfficeURL.with("/backoffice/settings", [("done", Flash.settingChanged.rawValue)]))
        } catch let refused as DomainError {
            return try settingsPage(context: context, problems: context.texts.say(refused), typed: (key, value))
        }
    }
}
