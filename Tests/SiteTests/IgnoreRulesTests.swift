import Site
import Testing

@Suite struct IgnoreRulesTests {
    @Test func nodeModulesIsAlwaysIgnored() {
        let rules = IgnoreRules(text: "")
        #expect(rules.ignoresDirectory("node_modules"))
        #expect(rules.ignoresDirectory("docs/node_modules"))
        #expect(rules.ignoresFile("node_modules/pkg/index.js"))
        #expect(!rules.ignoresDirectory("node_modules2"))
        #expect(!rules.ignoresFile("posts/a.md"))
    }

    @Test func aDirectoryCanBeNamedThreeWays() {
        for line in ["drafts", "drafts/", "./drafts/**", "/drafts"] {
            let rules = IgnoreRules(text: line)
            #expect(rules.ignoresDirectory("drafts"), "\(line)")
            #expect(rules.ignoresFile("drafts/a.md"), "\(line)")
            #expect(rules.ignoresFile("drafts/deep/b.md"), "\(line)")
            #expect(!rules.ignoresFile("published/drafts.md"), "\(line)")
        }
    }

    @Test func filesGlobsAndComments() {
        let rules = IgnoreRules(text: "# notes for people\n\nREADME.md\n  notes/**/*.txt  \r\n*.bak\n")
        #expect(rules.ignoresFile("README.md"))
        #expect(!rules.ignoresFile("docs/README.md"), "a pattern is relative to the site root")
        #expect(rules.ignoresFile("notes/a.txt"))
        #expect(rules.ignoresFile("notes/x/y/a.txt"))
        #expect(!rules.ignoresFile("notes/a.md"))
        #expect(rules.ignoresFile("old.bak"))
        #expect(!rules.ignoresFile("# notes for people"))
    }
}
