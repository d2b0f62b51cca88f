import Testing
@testable import Pipeline

@Suite struct InjectionTests {
    let barrel = "// clients\nexport * from './users';\n// end clients\n"

    private func inject(_ body: String, into target: String, _ position: InjectionPosition,
                        skipIf: String? = nil, eofLast: Bool? = nil) -> InjectionOutcome {
        Injection.apply(body: body, into: target,
                        rule: InjectionRule(position: position, skipIf: skipIf.map(TextPattern.init), eofLast: eofLast))
    }

    @Test func afterInsertsBelowTheFirstMatchingLine() {
        let outcome = inject("export * from './orders';\n", into: barrel, .after(TextPattern("// clients")))
        #expect(outcome == .injected("// clients\nexport * from './orders';\nexport * from './users';\n// end clients\n"))
    }

    @Test func beforeInsertsAboveTheFirstMatchingLine() {
        let outcome = inject("export * from './orders';", into: barrel, .before(TextPattern("^// end clients$")))
        #expect(outcome == .injected("// clients\nexport * from './users';\nexport * from './orders';\n// end clients\n"))
    }

    @Test func multiLineBodiesGoInAsWholeLines() {
        let outcome = inject("a\nb\n", into: "1\n2\n", .after(TextPattern("1")))
        #expect(outcome == .injected("1\na\nb\n2\n"))
    }

    @Test func skipIfMakesReRunsIdempotent() {
        let line = "export * from './orders';\n"
        guard case .injected(let once) = inject(line, into: barrel, .after(TextPattern("// clients")),
                                                skipIf: "from './orders'") else {
            Issue.record("first injection did not happen")
            return
        }
        #expect(inject(line, into: once, .after(TextPattern("// clients")), skipIf: "from './orders'") == .skipped)
    }

    @Test func atLineCountsFromZeroAndClamps() {
        #expect(inject("X", into: "a\nb\nc\n", .atLine(0)) == .injected("X\na\nb\nc\n"))
        #expect(inject("X", into: "a\nb\nc\n", .atLine(2)) == .injected("a\nb\nX\nc\n"))
        #expect(inject("X", into: "a\nb\nc\n", .atLine(99)) == .injected("a\nb\nc\nX\n"))
    }

    @Test func prependAndAppend() {
        #expect(inject("top", into: "a\nb\n", .prepend) == .injected("top\na\nb\n"))
        #expect(inject("end", into: "a\nb\n", .append) == .injected("a\nb\nend\n"))
        #expect(inject("end", into: "a\nb", .append) == .injected("a\nb\nend"))
        #expect(inject("only", into: "", .append) == .injected("only\n"))
    }

    @Test func eofLastControlsTheFinalNewline() {
        #expect(inject("end", into: "a\nb", .append, eofLast: true) == .injected("a\nb\nend\n"))
        #expect(inject("end", into: "a\nb\n", .append, eofLast: false) == .injected("a\nb\nend"))
    }

    @Test func missingMarkerIsReported() {
        #expect(inject("x", into: barrel, .after(TextPattern("// nowhere"))) == .markerNotFound)
        // The end of the file is not a line a marker could match.
        #expect(inject("x", into: "a\n", .before(TextPattern("^$"))) == .markerNotFound)
    }

    @Test func emptyBodyInjectsNothing() {
        #expect(inject("\n", into: barrel, .append) == .skipped)
    }

    @Test func invalidRegexIsMatchedLiterally() {
        let pattern = TextPattern("export {")
        #expect(pattern.isLiteral)
        #expect(inject("  b,", into: "export {\n  a,\n};\n", .after(pattern)) == .injected("export {\n  b,\n  a,\n};\n"))
        #expect(!TextPattern("a+b").isLiteral)
    }

    @Test func crlfFilesKeepCRLF() {
        #expect(inject("X\n", into: "a\r\nb\r\n", .after(TextPattern("a"))) == .injected("a\r\nX\r\nb\r\n"))
    }

    @Test func markerPatternsMatchLikeTheirRegex() {
        // Literal fast path (no metacharacters besides ^ and $) agrees with ICU.
        let cases: [(String, String, Bool)] = [
            ("^b", "a\nb", true), ("^b", "ab", false), ("a$", "xa\r\ny", true), ("a$", "ab", false),
            ("^// </x>$", "1\n// </x>\n", true), ("^// </x>$", "1\n // </x>\n", false), ("Client ", "UserClient {", true),
        ]
        for (pattern, text, expected) in cases {
            let fast = TextPattern(pattern)
            #expect(fast.isLiteral)
            #expect(fast.occurs(in: text) == expected, "\(pattern) in \(text)")
        }
        #expect(TextPattern("^b").firstMatchStart(in: "ab\nb").map { "ab\nb".utf8.distance(from: "ab\nb".startIndex, to: $0) } == 3)
        #expect(TextPattern("from \"./x\"").occurs(in: "import a from \"./x\";"))
        #expect(!TextPattern("from \"./x\"").isLiteral)
    }

    @Test func thousandsOfInjectionsIntoOneFileKeepTheirOrder() {
        var text = "// <x>\n// </x>\n"
        for n in 0..<3000 {
            let rule = InjectionRule(position: .before(TextPattern("^// </x>")), skipIf: TextPattern("E\(n);"))
            guard case .injected(let next) = Injection.apply(body: "E\(n);\n", into: text, rule: rule) else {
                Issue.record("injection \(n) did not happen")
                return
            }
            text = next
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3002)
        #expect(lines[1] == "E0;" && lines[3000] == "E2999;" && lines[3001] == "// </x>")
    }
}
