import HTMLBuilder

/// The form parts every back-office page uses: a label for every input, the broken rules of a field right below
/// it (linked with `aria-describedby`, the field marked `aria-invalid`), and the hidden CSRF and request-id fields.
enum FormControls {
    static func hidden(_ name: String, _ value: String) -> HTMLNode {
        .element(.input, [.type("hidden"), .name(name), .value(value)])
    }

    static func csrf(_ context: PageContext) -> HTMLNode { hidden(PageContext.csrfField, context.csrfToken) }

    /// The id of the list of problems under the field `id`.
    static func problemsId(_ id: String) -> String { "\(id)-problems" }

    /// The problems of one field, or nothing.
    static func problems(_ messages: [String], for id: String) -> [HTMLNode] {
        guard !messages.isEmpty else { return [] }
        return [.element(.ul, [.id(problemsId(id)), .class("problem")]) {
            for message in messages { HTMLNode.element(.li) { message } }
        }]
    }

    /// The attributes every control shares: id, name, and when it broke a rule the link to its problems.
    static func controlAttributes(id: String, name: String, problems: [String]) -> [HTMLAttribute] {
        var attributes: [HTMLAttribute] = [.id(id), .name(name)]
        if !problems.isEmpty { attributes += [.ariaInvalid(true), .ariaDescribedBy(problemsId(id))] }
        return attributes
    }

    static func label(_ text: String, for id: String) -> HTMLNode {
        .element(.label, [.for(id)]) { HTMLNode.element(.span, [.class("field-label")]) { text } }
    }

    /// `<label>` + `<input>` + problems. `type` is text, email, tel, date, datetime-local, search.
    static func input(
        id: String, name: String, label text: String, value: String, type: String = "text", problems: [String] = [],
        extra: [HTMLAttribute] = []
    ) -> [HTMLNode] {
        [label(text, for: id),
         .element(.input, controlAttributes(id: id, name: name, problems: problems) + [.type(type), .value(value)] + extra)]
            + self.problems(problems, for: id)
    }

    /// One choice of a `<select>`: the submitted value and what the option shows.
    struct Choice: Sendable {
        let value: String
        let text: String
    }

    static func select(id: String, name: String, label text: String, choices: [Choice], selected: String, problems: [String] = []) -> [HTMLNode] {
        [label(text, for: id),
         .element(.select, controlAttributes(id: id, name: name, problems: problems)) {
             for choice in choices {
                 HTMLNode.element(.option, choice.value == selected ? [.value(choice.value), .selected] : [.value(choice.value)]) { choice.text }
             }
         }]
            + self.problems(problems, for: id)
    }

    static func checkbox(id: String, name: String, label text: String, checked: Bool) -> HTMLNode {
        .element(.div, [.class("checkbox")]) {
            HTMLNode.element(.input, [.type("checkbox"), .id(id), .name(name), .value("on")] + (checked ? [.checked] : []))
            HTMLNode.element(.label, [.for(id), .class("inline")]) { text }
        }
    }

    static func textarea(id: String, name: String, label text: String, value: String, problems: [String] = []) -> [HTMLNode] {
        [label(text, for: id),
         .element(.textarea, controlAttributes(id: id, name: name, problems: problems) + [.rows(3)]) { value }]
            + self.problems(problems, for: id)
    }

    /// A form of one button posting to `action` (with the CSRF token and optional hidden values).
    static func button(_ text: String, action: String, context: PageContext, id: String? = nil, hidden values: [(String, String)] = []) -> HTMLNode {
        .element(.form, [.method(.post), .action(action)]) {
            csrf(context)
            for (name, value) in values { hidden(name, value) }
            HTMLNode.element(.button, [.type("submit")] + (id.map { [.id($0)] } ?? [])) { text }
        }
    }
}
