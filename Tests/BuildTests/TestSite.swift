import Build
import Cache
import Foundation
import Site
import Testing

/// A site in a fresh temporary directory, built with a real SQLite cache
/// file, for tests. Paths passed in are relative to the site root.
final class TestSite {
    let directory: String
    let siteRoot: String
    let outputRoot: String
    var cachePath: String
    var jobs = 2
    /// `BuildOptions.retainedBodyBytes` for this site's builds (nil: the default).
    var retainedBodyBytes: Int?

    init(name: String = "site", files: [String: String] = [:]) throws {
        directory = NSTemporaryDirectory() + "unjucksd-test-" + UUID().uuidString
        siteRoot = directory + "/sites/" + name
        outputRoot = directory + "/out"
        cachePath = directory + "/cache.db"
        try FileManager.default.createDirectory(atPath: siteRoot, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    /// A site of `files`, built once; that build must report no errors.
    static func built(files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> TestSite {
        let site = try TestSite(files: files)
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)", sourceLocation: sourceLocation)
        return site
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var name: String { (siteRoot as NSString).lastPathComponent }
    var siteOutput: String { outputRoot + "/" + name }

    func write(_ path: String, _ text: String) throws {
        try write(path, bytes: Array(text.utf8))
    }

    func write(_ path: String, bytes: [UInt8]) throws {
        let full = siteRoot + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: siteRoot + "/" + path)
    }

    func move(_ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: siteRoot + "/" + from, toPath: siteRoot + "/" + to)
    }

    /// The site's own SQLite cache, opened as a new process would.
    func openCache() throws -> Cache {
        try Cache(CacheConfiguration(location: .sqlite(path: cachePath)))
    }

    /// A watcher's hint that `paths` (site-relative) changed.
    func hint(changed paths: String...) -> ChangeHint {
        ChangeHint(changed: Set(paths.map { siteRoot + "/" + $0 }), removed: [])
    }

    /// Writes `text` to `path` and builds as a watching daemon would: the
    /// hint names only that file.
    func edit(_ path: String, _ text: String, cache: Cache) throws -> SiteBuildReport {
        try write(path, text)
        return try build(with: cache, changes: hint(changed: path))
    }

    /// Runs one build as `unjucksd build` would.
    @discardableResult
    func build(cache location: CacheLocation? = nil, outputRoot: String? = nil) throws -> SiteBuildReport {
        let cache = try Cache(CacheConfiguration(location: location ?? .sqlite(path: cachePath), memoryCapacity: 8 << 20))
        return try build(with: cache, outputRoot: outputRoot)
    }

    /// Runs one build with a given cache; `progress` sees (done, total) pages;
    /// `memoryTight` builds as the memory governor leaves a build under pressure;
    /// `root` spells the site's directory another way (e.g. with `/./`);
    /// `changes` is a watcher's hint (absolute paths).
    func build(with cache: Cache, outputRoot: String? = nil, memoryTight: Bool = false, root: String? = nil,
               changes: ChangeHint? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SiteBuildReport {
        var options = BuildOptions()
        options.outputRoot = outputRoot ?? self.outputRoot
        options.jobs = jobs
        options.progress = progress
        if let retainedBodyBytes { options.retainedBodyBytes = retainedBodyBytes }
        let builder = try Builder(sites: [SiteDiscovery.FoundSite(name: name, root: root ?? siteRoot)], cache: cache, options: options)
        if memoryTight { builder.setReadAhead(false) }
        defer { builder.shutdown() }
        return builder.build(changes: changes).sites[0]
    }

    func output(_ path: String, in root: String? = nil) -> String? {
        FileManager.default.contents(atPath: (root ?? siteOutput) + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every file under the output directory with its bytes.
    func outputTree(_ root: String? = nil) -> [String: Data] {
        let base = root ?? siteOutput
        var tree: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return tree }
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                tree[path] = FileManager.default.contents(atPath: base + "/" + path)
            }
        }
        return tree
    }
}
