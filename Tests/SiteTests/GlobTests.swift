import Testing
import Site

@Suite struct GlobTests {
    @Test func starStaysInOneSegment() {
        let glob = Glob("*.md")
        #expect(glob.matches("a.md"))
        #expect(!glob.matches("dir/a.md"))
        #expect(!glob.matches("a.mdx"))
    }

    @Test func doubleStarSpansSegmentsAndMatchesNone() {
        let glob = Glob("**/*.ts")
        #expect(glob.matches("a.ts"))
        #expect(glob.matches("src/a.ts"))
        #expect(glob.matches("src/deep/er/a.ts"))
        #expect(!glob.matches("src/a.js"))
        #expect(Glob("docs/**").matches("docs/a/b.txt"))
        #expect(Glob("**").matches("anything/at/all"))
        #expect(Glob("a/**/z").matches("a/z"))
        #expect(Glob("a/**/z").matches("a/b/c/z"))
        #expect(!Glob("a/**/z").matches("a/bz"))
    }

    @Test func questionMarkClassesAndBraces() {
        #expect(Glob("file?.txt").matches("file1.txt"))
        #expect(!Glob("file?.txt").matches("file/.txt"))
        #expect(Glob("[a-c]*.md").matches("b-post.md"))
        #expect(!Glob("[!a-c]*.md").matches("b-post.md"))
        #expect(Glob("**/*.{html,css,js}").matches("site/app.js"))
        #expect(Glob("**/*.{html,css,js}").matches("index.html"))
        #expect(!Glob("**/*.{html,css,js}").matches("index.json"))
        #expect(Glob("{a,b{c,d}}.txt").matches("bd.txt"))
    }

    @Test func literalPatterns() {
        #expect(Glob("index.ts").isLiteral)
        #expect(!Glob("*.ts").isLiteral)
        #expect(Glob("index.ts").matches("index.ts"))
        #expect(!Glob("index.ts").matches("src/index.ts"))
        #expect(Glob("[unclosed").matches("[unclosed"))
    }
}
