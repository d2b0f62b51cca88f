import Build
import Cache
import Foundation
import Governor
import Site
import Synchronization
@testable import Daemon

/// A directory of sites in a fresh temporary directory, a daemon over it on
/// a free loopback port (real inotify, real HTTP, a real SQLite cache), and
/// helpers to edit files and compare the output with a clean build.
final class DaemonFixture: @unchecked Sendable {
    let directory: String
    let sitesDirectory: String
    let outputRoot: String
    private(set) var daemon: Daemon!
    let logSink = LogSink()

    init(sites: [String: [String: String]]) throws {
        directory = NSTemporaryDirectory() + "unjucksd-daemon-test-" + UUID().uuidString
        sitesDirectory = directory + "/sites"
        outputRoot = directory + "/out"
        for (site, files) in sites {
            for (path, text) in files { try write(site, path, text) }
        }
    }

    deinit {
        daemon?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the daemon; `configure` adjusts its configuration first;
    /// `sitesPath` spells the sites directory another way (as a user may:
    /// `./sites`, `sites/`).
    func start(jobs: Int = 2, memorySource: (any MemorySource)? = nil, sitesPath: String? = nil,
               configure: (inout DaemonConfiguration) -> Void = { _ in }) throws {
        let sitesPath = sitesPath ?? sitesDirectory
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: directory + "/.unjucksd/cache.db"), memoryCapacity: 8 << 20))
        var options = BuildOptions()
        options.outputRoot = outputRoot
        options.jobs = jobs
        let builder = try Builder(sites: SiteDiscovery.sites(at: sitesPath), cache: cache, options: options)
        let sink = logSink
        var configuration = DaemonConfiguration(sitePaths: [sitesPath], port: 0, version: "test",
                                                log: { line in sink.append(line) })
        configure(&configuration)
        daemon = Daemon(configuration: configuration, builder: builder, memorySource: memorySource ?? ProcMemorySource())
        try daemon.start()
    }

    func client() throws -> LoopbackHTTPClient {
        try LoopbackHTTPClient(host: "127.0.0.1", port: daemon.port)
    }

    // MARK: Files

    func path(_ site: String, _ relative: String) -> String { sitesDirectory + "/" + site + "/" + relative }

    func write(_ site: String, _ relative: String, _ text: String) throws {
        let full = path(site, relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// Writes a sibling temporary file and renames it over the target, as many editors save.
    func atomicSave(_ site: String, _ relative: String, _ text: String) throws {
        let full = path(site, relative)
        let temporary = (full as NSString).deletingLastPathComponent + "/." + (full as NSString).lastPathComponent + ".swp-tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, full) == 0 else { throw POSIXError(.EIO) }
    }

    /// Saves the way vim does with `backupcopy=no`: probe file 4913, move the
    /// original to `file~`, write a new file, delete the backup.
    func vimSave(_ site: String, _ relative: String, _ text: String) throws {
        let full = path(site, relative)
        let folder = (full as NSString).deletingLastPathComponent
        try Data().write(to: URL(fileURLWithPath: folder + "/4913"))
        unlink(folder + "/4913")
        guard rename(full, full + "~") == 0 else { throw POSIXError(.ENOENT) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        unlink(full + "~")
    }

    func remove(_ site: String, _ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(site, relative))
    }

    func move(_ site: String, _ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: path(site, from), toPath: path(site, to))
    }

    // MARK: Waiting

    /// Waits for the rebuild an edit made since `count` builds had finished,
    /// then for quiet (no build running or starting for `quiet`).
    @discardableResult
    func waitForRebuild(after count: Int, timeout: Duration = .seconds(60), quiet: Duration = .milliseconds(300)) -> Bool {
        guard daemon.waitForBuild(after: count, timeout: timeout) else { return false }
        return waitForQuiet(quiet: quiet)
    }

    func waitForQuiet(quiet: Duration = .milliseconds(300), timeout: Duration = .seconds(60)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard daemon.waitUntilIdle(timeout: timeout) else { return false }
            let seen = daemon.completedBuilds
            Thread.sleep(forTimeInterval: quiet.secondsValue)
            if daemon.completedBuilds == seen && daemon.waitUntilIdle(timeout: .zero) { return true }
        }
        return false
    }

    // MARK: Output

    /// Every file under `root` with its bytes, by relative path.
    static func tree(_ root: String) -> [String: Data] {
        var tree: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return tree }
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                tree[relative] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return tree
    }

    /// The daemon's output of every site.
    func outputTree() -> [String: Data] { Self.tree(outputRoot) }

    /// The same sources built from scratch by a fresh Builder with a `memory:` cache into another directory.
    func cleanBuildTree() throws -> (tree: [String: Data], errors: Int) {
        let cleanRoot = directory + "/clean-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: cleanRoot) }
        var options = BuildOptions()
        options.outputRoot = cleanRoot
        options.jobs = 2
        let cache = try Cache(CacheConfiguration(location: .memory, memoryCapacity: 8 << 20))
        let builder = try Builder(sites: SiteDiscovery.sites(at: sitesDirectory), cache: cache, options: options)
        defer { builder.shutdown() }
        let report = builder.build()
        return (Self.tree(cleanRoot), report.errors.count)
    }

    /// Paths whose bytes differ between the daemon's output and a clean build (empty when identical).
    func differencesFromCleanBuild() throws -> [String] {
        let clean = try cleanBuildTree().tree
        let served = outputTree()
        var differences: [String] = []
        for path in Set(clean.keys).union(served.keys).sorted() where clean[path] != served[path] {
            differences.append(path + (clean[path] == nil ? " (only in daemon output)" : served[path] == nil ? " (missing from daemon output)" : " (bytes differ)"))
        }
        return differences
    }

    var log: [String] { logSink.lines }
}

/// Collects the daemon's log lines.
final class LogSink: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

/// A small blog: a layout with an include, data, tagged posts, an index
/// listing the collection, an asset.
enum SampleSite {
    static func files(posts: Int = 12) -> [String: String] {
        var files: [String: String] = [
            "site.yaml": "title: Test Site\nbaseURL: https://example.test\n",
            "_data/nav.json": #"[{"title": "Home", "url": "/"}, {"title": "About", "url": "/about/"}]"#,
            "_includes/nav.njk": "<nav>{% for item in nav %}<a href=\"{{ item.url }}\">{{ item.title }}</a>{% endfor %}</nav>",
            "_layouts/base.njk": """
            <!doctype html>
            <html><head><title>{{ title }} · {{ site.title }}</title></head>
            <body>{% include "nav.njk" %}
            <main>{{ content | safe }}</main>
            </body></html>
            """,
            "_layouts/post.njk": "---\nlayout: base.njk\n---\n<article><h1>{{ title }}</h1>{{ content | safe }}</article>",
            "index.njk": """
            ---
            layout: base.njk
            title: Home
            ---
            <ul>{% for post in collections.post %}<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}</ul>
            """,
            "about.md": "---\nlayout: base.njk\ntitle: About\n---\n# About\n\nA site for **daemon** tests.\n",
            "assets/style.css": "body { color: #222; }\n",
        ]
        for index in 1...posts {
            files["posts/post-\(index).md"] = post(index, body: "Post number \(index) talks about topic\(index % 4).")
        }
        return files
    }

    static func post(_ index: Int, body: String) -> String {
        "---\nlayout: post.njk\ntitle: Post \(index)\ntags: post\ndate: 2024-01-\(String(format: "%02d", (index % 28) + 1))\n---\n\(body)\n"
    }
}
