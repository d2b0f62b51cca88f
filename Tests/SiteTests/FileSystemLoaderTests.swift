import Foundation
import Testing
import Nunjucks
@testable import Site

@Suite struct FileSystemLoaderTests {
    /// A temp tree: root/{main.njk, partials/a.njk, partials/b.njk}, outside/secret.njk,
    /// root/link.njk -> outside/secret.njk.
    private func makeTree() throws -> (root: String, outside: String) {
        let base = NSTemporaryDirectory() + "fsl-\(UUID().uuidString)"
        let root = base + "/root", outside = base + "/outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/partials", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "main {% include \"./partials/a.njk\" %}".write(toFile: root + "/main.njk", atomically: true, encoding: .utf8)
        try "A{% include \"./b.njk\" %}{% include \"../partials/b.njk\" %}".write(toFile: root + "/partials/a.njk", atomically: true, encoding: .utf8)
        try "B".write(toFile: root + "/partials/b.njk", atomically: true, encoding: .utf8)
        try "secret".write(toFile: outside + "/secret.njk", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/link.njk", withDestinationPath: outside + "/secret.njk")
        return (root, outside)
    }

    @Test func resolvesRootAndRelativeNames() throws {
        let (root, _) = try makeTree()
        let loader = FileSystemLoader(roots: [root])
        #expect(try loader.load("partials/b.njk", relativeTo: nil)?.source == "B")
        #expect(try loader.load("./b.njk", relativeTo: "partials/a.njk")?.name == "partials/b.njk")
        #expect(try loader.load("missing.njk", relativeTo: nil) == nil)
        let environment = Environment(loader: loader)
        let result = try environment.render(name: "main.njk", context: JSObject())
        #expect(result.output == "main ABB")
        #expect(result.loadedTemplates == ["main.njk", "partials/a.njk", "partials/b.njk"])
    }

    @Test func refusesEscapesIncludingSymlinks() throws {
        let (root, _) = try makeTree()
        let loader = FileSystemLoader(roots: [root])
        #expect(throws: FileSystemLoader.LoadError.self) { _ = try loader.load("../outside/secret.njk", relativeTo: nil) }
        #expect(throws: FileSystemLoader.LoadError.self) { _ = try loader.load("../../outside/secret.njk", relativeTo: "partials/a.njk") }
        #expect(throws: FileSystemLoader.LoadError.self) { _ = try loader.load("/etc/passwd", relativeTo: nil) }
        #expect(throws: FileSystemLoader.LoadError.self) { _ = try loader.load("link.njk", relativeTo: nil) }
        let environment = Environment(loader: loader)
        #expect(throws: TemplateError.self) {
            _ = try environment.renderString("{% include \"../outside/secret.njk\" %}", name: "x.njk", context: JSObject())
        }
    }

    @Test func laterRootsAreSearchedInOrder() throws {
        let (root, outside) = try makeTree()
        let loader = FileSystemLoader(roots: [root, outside])
        #expect(try loader.load("secret.njk", relativeTo: nil)?.source == "secret")
        #expect(try loader.load("partials/b.njk", relativeTo: nil)?.source == "B")
    }
}
