import Build
import Foundation
import Testing

/// Eleventy 3's `inputPathToUrl`: links by source file follow the target's
/// permalink, also when only the target changes.
@Suite struct InputPathToUrlTests {
    static let files: [String: String] = [
        "a.md": "---\npermalink: /custom-a/\n---\nA",
        "notes/n.md": "N",
        "drafts/b.njk": """
            {{ "a.md" | inputPathToUrl }}|{{ "./notes/n.md?x=1" | inputPathToUrl }}|{{ "../a.md#top" | inputPathToUrl }}|\
            {{ "/notes/n.md" | inputPathToUrl }}
            """,
    ]

    @Test func linksFollowTheTargetsPermalink() throws {
        let site = try TestSite.built(files: Self.files)
        #expect(site.output("drafts/b/index.html") == "/custom-a/|/notes/n/?x=1|/custom-a/#top|/notes/n/")
        // Only the target changes: the linking page renders again.
        let report = try site.edit("a.md", "---\npermalink: /moved/\n---\nA", cache: try site.openCache())
        #expect(report.errors.isEmpty)
        #expect(site.output("drafts/b/index.html") == "/moved/|/notes/n/?x=1|/moved/#top|/notes/n/")
        #expect(report.rendered == 2)
    }

    @Test func aPathNamingNoPageIsAnError() throws {
        let site = try TestSite(files: ["x.njk": "{{ \"missing.md\" | inputPathToUrl }}"])
        let messages = try site.build().errors.map(\.description)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("/x.njk:1:") == true && messages.first?.contains("inputPathToUrl: no page is read from \"missing.md\"") == true,
                "\(messages)")
    }
}
