import HTMLBuilder
import XCTest

final class HTMLBuilderTests: XCTestCase {
    private let hostile = #"<script>alert("x")</script> & 'quoted' "double""#

    func testTextIsEscaped() {
        let node = HTMLNode.element(.p) { "Hello, "; hostile; "." }
        XCTAssertEqual(
            node.render(),
            "<p>Hello, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &quot;double&quot;.</p>")
        XCTAssertFalse(node.render().contains("<script"))
    }

    func testAttributeValuesAreQuotedAndEscaped() {
        let node = HTMLNode.element(.input, [.type("hidden"), .name("token"), .value("a\" onfocus=\"evil()' x=<>&")])
        XCTAssertEqual(
            node.render(), #"<input type="hidden" name="token" value="a&quot; onfocus=&quot;evil()&#39; x=&lt;&gt;&amp;">"#)
    }

    func testVoidElementsHaveNoEndTagAndBooleanAttributesNoValue() {
        XCTAssertEqual(
            HTMLNode.element(.input, [.type("password"), .required, .minlength(12)]).render(),
            #"<input type="password" required minlength="12">"#)
        XCTAssertEqual(HTMLNode.element(.br).render(), "<br>")
    }

    func testURLAttributesRefuseSchemesThatRunCode() {
        for refused in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>", "//evil.example/x", "java\tscript:x", "vbscript:x", "/\\evil.example"] {
            XCTAssertEqual(
                HTMLNode.element(.a, [.href(refused)]) { "x" }.render(), #"<a href="about:invalid#refused">x</a>"#, refused)
        }
        for allowed in ["/register/confirm", "?token=abc&x=1", "#top", "https://shop.example/a?b=c", "http://127.0.0.1:8080/", "mailto:help@example.com", "next", "a/b:c"] {
            let rendered = HTMLNode.element(.form, [.action(allowed)]).render()
            XCTAssertFalse(rendered.contains("about:invalid"), allowed)
        }
        XCTAssertEqual(HTMLNode.element(.a, [.href("/a?x=1&y=2")]) { "go" }.render(), #"<a href="/a?x=1&amp;y=2">go</a>"#)
    }

    func testControlFlowInContent() {
        let names = ["Ann", "<Bob>"]
        let showFooter = false
        let node = HTMLNode.element(.ul) {
            for name in names {
                HTMLNode.element(.li) { name }
            }
            if showFooter {
                HTMLNode.element(.li) { "footer" }
            } else {
                HTMLNode.element(.li, [.class("empty")]) { "none" }
            }
        }
        XCTAssertEqual(node.render(), #"<ul><li>Ann</li><li>&lt;Bob&gt;</li><li class="empty">none</li></ul>"#)
    }

    func testDocument() {
        let page = HTMLDocument(language: "de", title: "Bestätigen <jetzt>", stylesheet: "/static/site.css") {
            HTMLNode.element(.main) {
                HTMLNode.element(.h1) { "E-Mail-Adresse bestätigen" }
                HTMLNode.element(.form, [.method(.post), .action("/register/confirm")]) {
                    HTMLNode.element(.input, [.type("hidden"), .name("token"), .value("T<1>")])
                    HTMLNode.element(.button, [.type("submit")]) { "Bestätigen" }
                }
            }
        }
        XCTAssertEqual(page.render(), """
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>Bestätigen &lt;jetzt&gt;</title><link rel="stylesheet" href="/static/site.css"></head><body><main>\
            <h1>E-Mail-Adresse bestätigen</h1><form method="post" action="/register/confirm">\
            <input type="hidden" name="token" value="T&lt;1&gt;"><button type="submit">Bestätigen</button></form></main>\
            </body></html>

            """)
    }
}
