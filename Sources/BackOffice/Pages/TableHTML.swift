import HTMLBuilder

/// The parts every table of the back office shares: a head row of column headers (`scope="col"`, so that a
/// screen reader names the column of each cell).
enum TableHTML {
    static func head(_ titles: [String]) -> HTMLNode {
        .element(.thead) {
            HTMLNode.element(.tr) {
                for title in titles { HTMLNode.element(.th, [.scope("col")]) { title } }
            }
        }
    }
}
