import Testing
@testable import Pipeline

@Suite struct OutputPathTests {
    @Test func normalizesRelativePaths() throws {
        #expect(try OutputPath.normalize("  src/clients/users.ts\n").get() == "src/clients/users.ts")
        #expect(try OutputPath.normalize("./a/./b/../c.txt").get() == "a/c.txt")
        #expect(try OutputPath.normalize("a//b.txt").get() == "a/b.txt")
    }

    @Test func refusesPathsThatLeaveTheOutputDirectory() {
        for path in ["../x.txt", "a/../../x.txt", "/etc/passwd", "~/x"] {
            guard case .failure(.escapes) = OutputPath.normalize(path) else {
                Issue.record("\(path) was not refused")
                continue
            }
        }
    }

    @Test func emptyAndDirectoryPaths() {
        #expect(OutputPath.normalize(" \n") == .failure(.empty))
        guard case .failure(.invalid) = OutputPath.normalize("dir/") else { Issue.record("dir/ accepted"); return }
        guard case .failure(.invalid) = OutputPath.normalize("a/..") else { Issue.record("a/.. accepted"); return }
    }
}
