/// An element name from a fixed list, so that no element name is ever built from data. Add a name here when a
/// page needs one.
public struct HTMLTag: Sendable, Hashable {
    public let name: String
    /// Void elements have no content and no end tag.
    public let isVoid: Bool

    private init(_ name: String, void: Bool = false) {
        self.name = name
        self.isVoid = void
    }

    public static let html = HTMLTag("html")
    public static let head = HTMLTag("head")
    public static let title = HTMLTag("title")
    public static let meta = HTMLTag("meta", void: true)
    public static let link = HTMLTag("link", void: true)
    public static let body = HTMLTag("body")
    public static let main = HTMLTag("main")
    public static let header = HTMLTag("header")
    public static let footer = HTMLTag("footer")
    public static let section = HTMLTag("section")
    public static let div = HTMLTag("div")
    public static let span = HTMLTag("span")
    public static let h1 = HTMLTag("h1")
    public static let h2 = HTMLTag("h2")
    public static let p = HTMLTag("p")
    public static let a = HTMLTag("a")
    public static let strong = HTMLTag("strong")
    public static let em = HTMLTag("em")
    public static let small = HTMLTag("small")
    public static let br = HTMLTag("br", void: true)
    public static let ul = HTMLTag("ul")
    public static let li = HTMLTag("li")
    public static let form = HTMLTag("form")
    public static let fieldset = HTMLTag("fieldset")
    public static let legend = HTMLTag("legend")
    public static let label = HTMLTag("label")
    public static let input = HTMLTag("input", void: true)
    public static let button = HTMLTag("button")
    public static let nav = HTMLTag("nav")
    public static let table = HTMLTag("table")
    public static let caption = HTMLTag("caption")
    public static let thead = HTMLTag("thead")
    public static let tbody = HTMLTag("tbody")
    public static let tr = HTMLTag("tr")
    public static let th = HTMLTag("th")
    public static let td = HTMLTag("td")
    public static let select = HTMLTag("select")
    public static let option = HTMLTag("option")
    public static let textarea = HTMLTag("textarea")
    public static let ol = HTMLTag("ol")
    public static let dl = HTMLTag("dl")
    public static let dt = HTMLTag("dt")
    public static let dd = HTMLTag("dd")
}
