import Testing
@testable import CLI

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(options: [
        .value("root", "dir", help: ""),
        .flag("trim-blocks", help: ""),
        .value("path", "p", repeating: true, help: ""),
    ])

    @Test func optionsAndPositionalsInAnyOrder() throws {
        let a = try parser.parse(["--root", "D", "main.njk", "--trim-blocks"])
        let b = try parser.parse(["main.njk", "--root=D", "--trim-blocks"])
        #expect(a == b)
        #expect(a.positionals == ["main.njk"])
        #expect(a.value("root") == "D")
        #expect(a.has("trim-blocks"))
    }

    @Test func repeatedValuesAndDoubleDash() throws {
        let a = try parser.parse(["--path", "x", "--path=y", "--", "--not-an-option"])
        #expect(a.all("path") == ["x", "y"])
        #expect(a.positionals == ["--not-an-option"])
    }

    @Test func unknownOptionAndMissingValueAreUsageErrors() {
        #expect(throws: UsageError("unknown option '--nope'")) { try parser.parse(["--nope"]) }
        #expect(throws: UsageError("missing value for '--root'")) { try parser.parse(["--root"]) }
        #expect(throws: UsageError("'--trim-blocks' does not take a value")) { try parser.parse(["--trim-blocks=1"]) }
    }

    @Test func unknownSubcommandExitsTwo() {
        #expect(CLI.run(["frobnicate"]) == ExitCode.usage)
        #expect(CLI.run(["--version"]) == ExitCode.success)
    }
}
