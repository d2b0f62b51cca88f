import Build
import Cache
import Foundation
import Governor
import Pipeline
import Site

/// Options `build` and `watch` share, and turning them into a `Builder`.
enum CommonOptions {
    static let build: [OptionSpec] = [
        .value("out", "dir", help: "Output directory; site NAME goes to <dir>/NAME (default: ./out)."),
        .value("cache", "url", help: "sqlite:PATH (default sqlite:.unjucksd/cache.db), redis://[:password@]host:port[/db], or memory:. Env: UNJUCKSD_CACHE."),
        .value("jobs", "n", help: "Render workers (default: number of cores)."),
        .value("memory-limit", "size", help: "Keep resident memory under this (e.g. 512M, 2G); default 80% of the cgroup limit."),
        .value("memory-cache", "size", help: "Bound of the in-memory cache tier (default 16M)."),
        .value("cache-secret", "secret", help: "Sign shared cache entries with HMAC-SHA256 and refuse unsigned ones. Env: UNJUCKSD_CACHE_SECRET."),
        .flag("cache-compress-local", help: "Deflate values in the local SQLite file too (values shared through Redis always are)."),
        .value("cache-namespace", "prefix", help: "Key prefix in Redis (default unjucksd:v1:)."),
        .value("cache-ttl", "seconds", help: "Expiry of Redis entries (default 604800, 7 days)."),
    ]
}

/// The sites, cache and builder a `build` or `watch` invocation works with.
struct BuildSetup {
    let sites: [SiteDiscovery.FoundSite]
    /// Pipeline files (`pipelines/*.yaml`) to run after the sites.
    let pipelines: [String]
    let cache: Cache
    let builder: Builder
    let options: BuildOptions

    init(_ arguments: ParsedArguments) throws {
        var paths = arguments.positionals
        if paths.isEmpty {
            paths = ["./sites", "./pipelines"].filter { FileManager.default.fileExists(atPath: $0) }
            if paths.isEmpty { throw UsageError("no PATH given, and neither ./sites nor ./pipelines exists") }
        }
        var sites: [SiteDiscovery.FoundSite] = []
        var pipelines: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError("no such file or directory: \(path)")
            }
            if !isDirectory.boolValue {
                guard PipelineDiscovery.isPipelineFile(path) else { throw UsageError("\(path) is neither a site directory nor a pipeline file") }
                pipelines.append(path)
            } else if SiteDiscovery.isSite(path) {
                sites += SiteDiscovery.sites(at: path)
            } else if case let found = PipelineDiscovery.pipelineFiles(at: path), !found.isEmpty {
                // A directory of pipeline files: its subdirectories are their template trees, not sites.
                pipelines += found
            } else {
                sites += SiteDiscovery.sites(at: path)
            }
        }
        var names = Set<String>()
        for name in sites.map(\.name) + pipelines.map(BuildSetup.pipelineName) where !names.insert(name).inserted {
            throw UsageError("two sites or pipelines are named '\(name)'; their outputs would collide in the output directory")
        }
        self.pipelines = pipelines

        var options = BuildOptions()
        if let out = arguments.value("out") { options.outputRoot = out }
        if let jobs = arguments.value("jobs") {
            guard let n = Int(jobs), n >= 1 else { throw UsageError("--jobs takes a whole number of at least 1") }
            options.jobs = n
        }
        let limit = try BuildSetup.memoryLimit(arguments)
        if let limit {
            // Under a limit, page bodies kept between scan and render get a
            // thirty-second of it (they are read again past that), pages
            // waiting for the cache writer about three 128ths, and threads
            // share two malloc arenas.
            options.retainedBodyBytes = min(options.retainedBodyBytes, Int(limit / 32))
            options.storeBatchBytes = min(options.storeBatchBytes, Int(limit / 128))
            MallocArenas.limit(to: 2)
        }
        self.options = options
        self.sites = sites
        cache = try BuildSetup.openCache(arguments, memoryLimit: limit)
        if let limit { cache.database.setWriterCacheSize(kibibytes: Int(limit / 256 / 1024)) }
        builder = try Builder(sites: sites, cache: cache, options: options)
    }

    /// A pipeline's name: its file name without `.yaml`.
    static func pipelineName(_ file: String) -> String {
        let name = (file as NSString).lastPathComponent
        return (name as NSString).deletingPathExtension
    }

    /// Runs every pipeline; reports come back in file order.
    func runPipelines() -> [PipelineReport] {
        pipelines.map { PipelineRunner(file: $0, outputRoot: options.outputRoot, jobs: options.jobs, blobs: cache).run() }
    }

    /// `--memory-limit`, else 80% of the cgroup's limit; nil without either.
    static func memoryLimit(_ arguments: ParsedArguments, source: ProcMemorySource = ProcMemorySource()) throws -> UInt64? {
        var explicit: UInt64?
        if let text = arguments.value("memory-limit") {
            guard let bytes = try? ByteSize.parse(text), bytes > 0 else { throw UsageError("--memory-limit takes a size like 512M or 2G") }
            explicit = bytes
        }
        return GovernorConfiguration.effectiveLimit(explicit: explicit, cgroupLimit: source.cgroupLimitBytes)
    }

    /// The governor `build` runs: keeps resident memory under `--memory-limit`
    /// (or 80% of the cgroup limit); nil when there is no limit. (`watch`'s
    /// daemon runs its own, which also pauses rebuilds and answers /ready.)
    static func makeGovernor(_ arguments: ParsedArguments, builder: Builder) throws -> MemoryGovernor? {
        let source = ProcMemorySource()
        guard let limit = try memoryLimit(arguments, source: source) else { return nil }
        let configuration = GovernorConfiguration(maxWorkers: builder.options.jobs, memoryLimit: limit, logger: { Console.error("\($0)\n") })
        let governor = MemoryGovernor(configuration: configuration, source: source,
                                      delegate: BuilderGovernorActions(builder: builder))
        return governor
    }

    /// The cache `--cache` names; under a memory limit its memory tier
    /// starts at a thirty-second of the limit (unless `--memory-cache` says).
    static func openCache(_ arguments: ParsedArguments, memoryLimit: UInt64? = nil) throws -> Cache {
        let text = arguments.value("cache") ?? EnvironmentVariable.value("UNJUCKSD_CACHE") ?? "sqlite:" + CacheLocation.defaultSQLitePath
        let location: CacheLocation
        do { location = try CacheLocation(parsing: text) } catch { throw UsageError(error.description) }
        var configuration = CacheConfiguration(location: location, memoryCapacity: 16 << 20, log: { Console.error("\($0)\n") })
        if let memoryLimit { configuration.memoryCapacity = min(configuration.memoryCapacity, Int(memoryLimit / 32)) }
        if let size = arguments.value("memory-cache") {
            guard let bytes = try? ByteSize.parse(size) else { throw UsageError("--memory-cache takes a size like 64M") }
            configuration.memoryCapacity = Int(bytes)
        }
        if let secret = arguments.value("cache-secret") ?? EnvironmentVariable.value(CacheConfiguration.secretEnvironmentVariable) {
            configuration.secret = Array(secret.utf8)
        }
        if arguments.has("cache-compress-local") { configuration.compressLocal = true }
        if let namespace = arguments.value("cache-namespace") { configuration.namespace = namespace }
        if let ttl = arguments.value("cache-ttl") {
            guard let seconds = Int(ttl), seconds > 0 else { throw UsageError("--cache-ttl takes a number of seconds") }
            configuration.redis.timeToLive = .seconds(seconds)
        }
        do {
            return try Cache(configuration)
        } catch {
            throw UsageError("cannot open the cache \(location): \(error)")
        }
    }
}
