import Foundation
import Testing
@testable import Site

@Suite struct RelativePathTests {
    @Test func absoluteCollapsesDotsAndSlashesWithoutTouchingTheDisk() {
        #expect(RelativePath.absolute("/a/b/../c/./d//") == "/a/c/d")
        #expect(RelativePath.absolute("/..") == "/")
        #expect(RelativePath.absolute("/") == "/")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(RelativePath.absolute("x/y/..") == cwd + "/x")
        #expect(RelativePath.absolute(".") == cwd)
    }

    @Test func normalizeRefusesClimbingAboveTheRoot() {
        #expect(RelativePath.normalize("a/./b/../c") == "a/c")
        #expect(RelativePath.normalize("../x") == nil)
    }
}
