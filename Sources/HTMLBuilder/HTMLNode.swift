/// A piece of an HTML page: an element, or text. Text is always escaped when rendered, so a value that came
/// from a user (a name, an email, a token) can never become markup. There is deliberately no "raw HTML" node.
public struct HTMLNode: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case element(HTMLTag, [HTMLAttribute], [HTMLNode])
        case text(String)
    }

    let kind: Kind

    /// Text content, escaped on rendering.
    public static func text(_ text: String) -> HTMLNode { HTMLNode(kind: .text(text)) }

    /// `<tag attributes…>content</tag>`; void elements (`input`, `meta`, …) ignore `content`.
    public static func element(
        _ tag: HTMLTag, _ attributes: [HTMLAttribute] = [], @HTMLContentBuilder _ content: () -> [HTMLNode] = { [] }
    ) -> HTMLNode {
        HTMLNode(kind: .element(tag, attributes, tag.isVoid ? [] : content()))
    }

    /// The markup of this node.
    public func render() -> String {
        var output = ""
        render(into: &output)
        return output
    }

    func render(into output: inout String) {
        switch kind {
        case .text(let text):
            output += HTMLEscaping.text(text)
        case .element(let tag, let attributes, let children):
            output += "<\(tag.name)"
            for attribute in attributes { output += attribute.rendered }
            output += ">"
            guard !tag.isVoid else { return }
            for child in children { child.render(into: &output) }
            output += "</\(tag.name)>"
        }
    }
}

/// Lets element content be written as a list: strings become escaped text, `if`/`for` work.
///
///     .p { "Hello, "; .element(.strong) { customer.firstName }; "." }
@resultBuilder
public enum HTMLContentBuilder {
    public static func buildExpression(_ text: String) -> [HTMLNode] { [.text(text)] }
    public static func buildExpression(_ node: HTMLNode) -> [HTMLNode] { [node] }
    public static func buildExpression(_ nodes: [HTMLNode]) -> [HTMLNode] { nodes }
    public static func buildBlock(_ parts: [HTMLNode]...) -> [HTMLNode] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [HTMLNode]?) -> [HTMLNode] { part ?? [] }
    public static func buildEither(first part: [HTMLNode]) -> [HTMLNode] { part }
    public static func buildEither(second part: [HTMLNode]) -> [HTMLNode] { part }
    public static func buildArray(_ parts: [[HTMLNode]]) -> [HTMLNode] { parts.flatMap { $0 } }
}
