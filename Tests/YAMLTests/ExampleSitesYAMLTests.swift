import Foundation
import Testing
@testable import YAML

/// The example sites' YAML (site.yaml, _data/*.yaml, every page's front
/// matter) must parse with this module, as the site builder will parse it.
@Suite struct ExampleSitesYAMLTests {
    static let sitesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sites")

    private func files(in site: String, withExtensions extensions: Set<String>) -> [URL] {
        let root = Self.sitesDirectory.appendingPathComponent(site)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { extensions.contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }

    private func frontMatter(of file: URL) throws -> YAMLNode? {
        let parts = FrontMatter.split(try String(contentsOf: file, encoding: .utf8))
        guard let yaml = parts.frontMatter else { return nil }
        return try YAML.parse(yaml, options: YAMLOptions(firstLine: parts.frontMatterLine))
    }

    @Test(arguments: ["docs", "blog"])
    func everyYAMLFileAndFrontMatterParses(site: String) throws {
        let yamlFiles = files(in: site, withExtensions: ["yaml", "yml"])
        #expect(!yamlFiles.isEmpty)
        for file in yamlFiles {
            let node = try YAML.parse(try String(contentsOf: file, encoding: .utf8))
            #expect(node.mapping != nil, "\(file.lastPathComponent) is not a mapping")
        }
        let pages = files(in: site, withExtensions: ["md", "njk", "html"])
        #expect(pages.count >= 8)
        for page in pages {
            if let node = try frontMatter(of: page) {
                #expect(node.mapping != nil, "\(page.lastPathComponent): front matter is not a mapping")
            }
        }
    }

    @Test func blogPostsHaveDatesTitlesAndTags() throws {
        let posts = files(in: "blog", withExtensions: ["md"]).filter { $0.path.contains("/posts/") }
        #expect(posts.count >= 12)
        // Their layout and the `posts` tag come from the directory data file
        // (JSON is YAML too); each post adds tags of its own.
        let directory = posts[0].deletingLastPathComponent()
        let shared = try YAML.parse(try String(contentsOf: directory.appendingPathComponent("posts.json"), encoding: .utf8))
        #expect(shared["layout"]?.string == "post")
        #expect(shared["tags"]?.string == "posts")
        var drafts = 0
        for post in posts {
            let data = try #require(try frontMatter(of: post), "\(post.lastPathComponent) has no front matter")
            #expect(data["title"]?.string?.isEmpty == false)
            #expect(data["layout"] == nil, "\(post.lastPathComponent): the layout comes from posts.json")
            guard case .timestamp(let date)? = data["date"]?.value else {
                Issue.record("\(post.lastPathComponent): date is not a timestamp")
                continue
            }
            #expect(date.isDateOnly)
            #expect(data["tags"]?.sequence?.isEmpty == false, "\(post.lastPathComponent) has tags of its own")
            if data["draft"]?.value == .bool(true) { drafts += 1 }
        }
        #expect(drafts == 1)
    }

    @Test func docsPagesAreOrderedAndTagged() throws {
        let docs = files(in: "docs", withExtensions: ["md"])
        var orders: [Int] = []
        for doc in docs {
            let data = try #require(try frontMatter(of: doc))
            #expect(data["tags"]?.string == "docs")
            #expect(data["layout"]?.string == "doc")
            if case .int(let order)? = data["order"]?.value { orders.append(order) }
        }
        #expect(orders.sorted() == Array(1...docs.count))
    }

    @Test func paginatedIndexDeclaresEleventyPagination() throws {
        let index = Self.sitesDirectory.appendingPathComponent("blog/index.njk")
        let data = try #require(try frontMatter(of: index))
        #expect(data["pagination"]?["data"]?.string == "collections.posts")
        #expect(data["pagination"]?["size"]?.value == .int(5))
        #expect(data["pagination"]?["alias"]?.string == "posts")
        #expect(data["permalink"]?.scalar?.style == .doubleQuoted)
    }
}
