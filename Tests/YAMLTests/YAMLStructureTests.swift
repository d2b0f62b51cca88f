import Testing
@testable import YAML

@Suite struct YAMLStructureTests {
    @Test func nestedStructuresAndOrder() throws {
        let node = try YAML.parse("""
            zeta: 1
            alpha:
              - one
              - { b: 2, a: [x, y] }
            middle: { }
            """)
        #expect(node.mapping?.map(\.key.keyString) == ["zeta", "alpha", "middle"])
        #expect(node["alpha"]?[0]?.string == "one")
        #expect(node["alpha"]?[1]?.mapping?.map(\.key.keyString) == ["b", "a"])
        #expect(node["alpha"]?[1]?["a"]?.sequence?.compactMap(\.string) == ["x", "y"])
        #expect(node["middle"]?.mapping == [])
        #expect(node["alpha"]?[5] == nil)
        #expect(node["missing"] == nil)
    }

    @Test func marksAreOneBasedLineAndColumn() throws {
        let node = try YAML.parse("title: Hello\nlist:\n  - a\n  - é: b\n")
        #expect(node.mark == YAMLMark(line: 1, column: 1))
        #expect(node["title"]?.mark == YAMLMark(line: 1, column: 8))
        #expect(node["list"]?.mark == YAMLMark(line: 3, column: 3))
        #expect(node["list"]?[1]?.mapping?.first?.key.mark == YAMLMark(line: 4, column: 5))
        #expect(node["list"]?[1]?["é"]?.mark == YAMLMark(line: 4, column: 8))
    }

    @Test func firstLineOptionShiftsMarksAndErrors() throws {
        let node = try YAML.parse("a: 1\nb: 2\n", options: YAMLOptions(firstLine: 5))
        #expect(node["b"]?.mark == YAMLMark(line: 6, column: 4))
        #expect(throws: YAMLError(message: "mapping values are not allowed in this context", line: 6, column: 3)) {
            try YAML.parse("a: 1\n b: 2\n", options: YAMLOptions(firstLine: 5))
        }
    }

    @Test func keysOfOtherTypesUseJavaScriptPropertyNames() throws {
        let node = try YAML.parse("1: int\n1.5: float\ntrue: bool\n~: null\n2024-01-05: day\n")
        #expect(node.mapping?.map(\.key.keyString) == ["1", "1.5", "true", "null", "2024-01-05"])
        #expect(node["1"]?.string == "int")
    }

    @Test func emptyDocumentIsNull() throws {
        #expect(try YAML.parse("").isNull)
        #expect(try YAML.parse("# only a comment\n").isNull)
        #expect(try YAML.parse("---\n").isNull)
    }

    @Test func anchorsAndAliases() throws {
        let node = try YAML.parse("""
            base: &base
              color: red
              size: 3
            copy: *base
            list: [&x 7, *x, *x]
            """)
        #expect(node["copy"]?["color"]?.string == "red")
        #expect(node["copy"]?.anchor == "base")
        #expect(node["list"]?.sequence?.compactMap(\.value) == [.int(7), .int(7), .int(7)])
    }

    @Test func mergeKeys() throws {
        let node = try YAML.parse("""
            defaults: &defaults
              layout: post
              draft: false
            extra: &extra
              author: ann
              layout: page
            page:
              <<: [*defaults, *extra]
              draft: true
              title: T
            """)
        let page = try #require(node["page"])
        #expect(page.mapping?.map(\.key.keyString) == ["layout", "draft", "author", "title"])
        #expect(page["layout"]?.string == "post")
        #expect(page["draft"]?.value == .bool(true))
        #expect(throws: YAMLError(message: "cannot merge mappings; the provided source object is unacceptable", line: 1, column: 5)) {
            try YAML.parse("<<: 1\n")
        }
    }

    @Test func duplicateKeysAreErrors() {
        #expect(throws: YAMLError(message: "duplicated mapping key \"title\"", line: 3, column: 1)) {
            try YAML.parse("title: a\nother: b\ntitle: c\n")
        }
        #expect(throws: YAMLError(message: "duplicated mapping key \"1\"", line: 1, column: 8)) {
            try YAML.parse("{1: a, \"1\": b}")
        }
        // Overriding a merged key is allowed once, not twice.
        #expect(throws: YAMLError(message: "duplicated mapping key \"a\"", line: 5, column: 3)) {
            try YAML.parse("m: &m {a: 1}\nn:\n  <<: *m\n  a: 2\n  a: 3\n")
        }
    }

    @Test func aliasBombIsRefused() {
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        #expect {
            try YAML.parse(yaml)
        } throws: { error in
            guard let error = error as? YAMLError else { return false }
            return error.message.contains("aliases expand to more than 100000 nodes") && error.line >= 5
        }
    }

    @Test func undefinedAndRecursiveAliases() {
        #expect(throws: YAMLError(message: "unidentified alias \"nope\"", line: 1, column: 4)) {
            try YAML.parse("a: *nope\n")
        }
        #expect(throws: YAMLError(message: "unidentified alias \"r\"", line: 1, column: 11)) {
            try YAML.parse("a: &r [1, *r]\n")
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: YAMLError(message: "collections nested deeper than 256 levels", line: 1, column: 257)) {
            try YAML.parse(deep)
        }
        let fine = String(repeating: "[", count: 200) + "x" + String(repeating: "]", count: 200)
        #expect((try? YAML.parse(fine)) != nil)
    }

    @Test func multipleDocuments() throws {
        #expect(throws: YAMLError(message: "expected a single document in the stream, but found more", line: 2, column: 1)) {
            try YAML.parse("x: 1\n---\ny: 2\n")
        }
        let documents = try YAML.parseAll("x: 1\n---\ny: 2\n---\n- 3\n")
        #expect(documents.count == 3)
        #expect(documents[1]["y"]?.value == .int(2))
        #expect(documents[2][0]?.value == .int(3))
    }

    @Test func unknownTagsAndWrongKinds() {
        #expect(throws: YAMLError(message: "unknown tag !<!foo>", line: 1, column: 4)) {
            try YAML.parse("a: !foo x\n")
        }
        #expect(throws: YAMLError(message: "cannot resolve a node with !<tag:yaml.org,2002:int> explicit tag", line: 1, column: 4)) {
            try YAML.parse("a: !!int x\n")
        }
        #expect(throws: YAMLError(message: "unacceptable node kind for !<tag:yaml.org,2002:map> tag; it should be \"mapping\", not \"sequence\"", line: 1, column: 4)) {
            try YAML.parse("a: !!map [1]\n")
        }
    }
}
