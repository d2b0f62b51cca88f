import Testing
@testable import YAML

@Suite struct FrontMatterTests {
    @Test func splitsFrontMatterAndKeepsLineNumbers() throws {
        let parts = FrontMatter.split("---\ntitle: Hi\ntags: [a]\n---\n# Body\n\ntext\n")
        #expect(parts.frontMatter == "title: Hi\ntags: [a]\n")
        #expect(parts.frontMatterLine == 2)
        #expect(parts.body == "# Body\n\ntext\n")
        #expect(parts.bodyStartLine == 5)
        let yaml = try YAML.parse(try #require(parts.frontMatter), options: YAMLOptions(firstLine: parts.frontMatterLine))
        #expect(yaml["tags"]?.mark == YAMLMark(line: 3, column: 7))
    }

    @Test func noFrontMatter() {
        let parts = FrontMatter.split("# Title\n---\nmore\n")
        #expect(parts.frontMatter == nil)
        #expect(parts.body == "# Title\n---\nmore\n")
        #expect(parts.bodyStartLine == 1)
    }

    @Test func emptyFrontMatter() {
        let parts = FrontMatter.split("---\n---\nbody")
        #expect(parts.frontMatter == "")
        #expect(parts.body == "body")
        #expect(parts.bodyStartLine == 3)
        let bare = FrontMatter.split("---\n---")
        #expect(bare.frontMatter == "")
        #expect(bare.body == "")
    }

    @Test func dashesInsideTheBodyStayInTheBody() {
        let parts = FrontMatter.split("---\na: 1\n---\nintro\n\n---\n\nafter the rule\n---\n")
        #expect(parts.frontMatter == "a: 1\n")
        #expect(parts.body == "intro\n\n---\n\nafter the rule\n---\n")
        #expect(parts.bodyStartLine == 4)
    }

    /// gray-matter's `---LANG` opening line (Eleventy: `---json`, `---js`).
    @Test func theOpeningLineMayNameALanguage() throws {
        let json = FrontMatter.split("---json\n{\"title\": \"J\"}\n---\nbody")
        #expect(json.language == "json")
        #expect(json.frontMatter == "{\"title\": \"J\"}\n")
        #expect(json.body == "body")
        #expect(FrontMatter.refusal(of: json.language) == nil)
        #expect(try YAML.parse(try #require(json.frontMatter))["title"]?.value == .string("J"))
        let js = FrontMatter.split("---js \nconst title = 'x';\n---\nbody")
        #expect(js.language == "js")
        #expect(FrontMatter.refusal(of: js.language)?.contains("no JavaScript runs here") == true)
        #expect(FrontMatter.split("---\na: 1\n---\n").language == nil)
        #expect(FrontMatter.split("----\na: 1\n---\n").frontMatter == nil, "four dashes name no language")
        #expect(FrontMatter.split("---js\nno closing line").frontMatter == nil)
    }

    @Test func dotsCloseAndLongerDashLinesDoNot() {
        let parts = FrontMatter.split("---\na: 1\n----\nb: 2\n...\nbody\n")
        #expect(parts.frontMatter == "a: 1\n----\nb: 2\n")
        #expect(parts.body == "body\n")
        #expect(parts.bodyStartLine == 6)
    }

    @Test func crlfAndByteOrderMark() throws {
        let parts = FrontMatter.split("\u{FEFF}---\r\ntitle: Win\r\n---\r\nline one\r\nline two\r\n")
        #expect(parts.frontMatter == "title: Win\r\n")
        #expect(parts.body == "line one\r\nline two\r\n")
        #expect(parts.bodyStartLine == 4)
        #expect(try YAML.parse(try #require(parts.frontMatter))["title"]?.string == "Win")
    }

    @Test func trailingBlanksOnDelimiters() {
        let parts = FrontMatter.split("---  \nx: 1\n--- \t\nbody")
        #expect(parts.frontMatter == "x: 1\n")
        #expect(parts.body == "body")
    }

    @Test func unclosedFrontMatterIsBody() {
        let parts = FrontMatter.split("---\ntitle: x\nno closer\n")
        #expect(parts.frontMatter == nil)
        #expect(parts.body == "---\ntitle: x\nno closer\n")
        #expect(parts.bodyStartLine == 1)
    }

    @Test func frontMatterErrorsPointAtFileLines() {
        let parts = FrontMatter.split("---\ntitle: ok\nbad: \"open\n---\nbody\n")
        #expect(parts.frontMatter == "title: ok\nbad: \"open\n")
        #expect(throws: YAMLError.self) {
            try YAML.parse(parts.frontMatter ?? "", options: YAMLOptions(firstLine: parts.frontMatterLine))
        }
        do {
            _ = try YAML.parse(parts.frontMatter ?? "", options: YAMLOptions(firstLine: parts.frontMatterLine))
        } catch {
            #expect(error.description.hasPrefix("4:1: found unexpected end of stream"))
        }
    }
}
