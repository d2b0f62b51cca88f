@testable import Site
import Testing

@Suite struct FrontMatterLocatorTests {
    static let yaml = """
        title: T
        # a comment
        permalink: "/{{ title | nosuch }}/"
        eleventyComputed:
          heading: "{{ x }}"
          eleventyNavigation:
            key: "{{ title }}"
          'quoted': y
        other:
          heading: not this one
        flow: {a: 1}
        """

    @Test func findsKeysLevelByLevel() {
        let at = { (path: [String]) in FrontMatterLocator.position(of: path, in: Self.yaml).map { "\($0.line):\($0.column)" } }
        #expect(at(["permalink"]) == "3:12")
        #expect(at(["eleventyComputed", "heading"]) == "5:12")
        #expect(at(["eleventyComputed", "eleventyNavigation", "key"]) == "7:10")
        #expect(at(["eleventyComputed", "quoted"]) == "8:13")
        #expect(at(["heading"]) == nil, "a nested key is not a top-level one")
        #expect(at(["eleventyComputed", "missing"]) == "4:18", "the parent's line when the key is not written there")
        #expect(at(["flow", "a"]) == "11:7", "inside a flow mapping: the parent's")
    }
}
