import Site
import Testing

@Suite struct TextSearchTests {
    @Test func containsFindsWholeNeedlesAnywhere() {
        #expect(TextSearch.contains("a collections b", "collections"))
        #expect(TextSearch.contains("collections", "collections"))
        #expect(TextSearch.contains("xxcollections", "collections"), "at the very end")
        #expect(!TextSearch.contains("collection", "collections"), "shorter haystack")
        #expect(!TextSearch.contains("c.o.l.l.e.c.t.i.o.n.s", "collections"))
        #expect(TextSearch.contains("anything", ""))
        #expect(!TextSearch.contains("", "x"))
        #expect(TextSearch.contains("ünïcode — {{ post.content }}", ".content"))
    }

    @Test func insideTagsOnly() {
        #expect(TextSearch.occursInsideTag("{{ post.content | safe }}", ".content"))
        #expect(TextSearch.occursInsideTag("{% set x = item.content %}", ".content"))
        #expect(!TextSearch.occursInsideTag(".content { margin: 0 } {{ a }}", ".content"), "CSS outside tags")
        #expect(!TextSearch.occursInsideTag("{{ post.contentType }}", ".content"), "a longer name")
        #expect(!TextSearch.occursInsideTag("{{ a }} div.content {}", ".content"))
    }
}
