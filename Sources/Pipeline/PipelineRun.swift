import Build
import Cache
import Foundation
import Nunjucks
import Site
import Synchronization
import YAML

/// The state of one pipeline execution: the environment, the data every
/// template sees, the output tree the steps build up, and what happened.
/// Steps run one after another (a step may read what earlier ones
/// produced); within a step, renders run on the worker pool and results are
/// applied in a fixed order, so output never depends on thread timing.
final class PipelineRun: @unchecked Sendable {
    let config: PipelineConfig
    let templates: PipelineTemplates
    let root: String
    let jobs: Int
    let blobs: (any BlobStore)?
    var tree: OutputTree
    /// Data, `vars` and `pipeline`: the context every render starts from.
    var baseContext = JSObject()
    var errors: [SiteError] = []
    var skipped = 0
    var injected = 0
    var compressed = 0
    /// Cache keys of the `.gz` bodies this run used (see `recordCachedBlobs`).
    var compressedKeys: [ContentHash] = []
    private var pool: WorkerPool?

    init(config: PipelineConfig, outputDirectory: String, jobs: Int, blobs: (any BlobStore)?) {
        self.config = config
        self.jobs = jobs
        self.blobs = blobs
        root = config.templatesDirectory
        tree = OutputTree(directory: outputDirectory)
        templates = PipelineTemplates(root: config.templatesDirectory, options: EnvironmentOptions(
            autoescape: config.autoescape, throwOnUndefined: config.throwOnUndefined,
            trimBlocks: config.trimBlocks, lstripBlocks: config.lstripBlocks))
    }

    func execute(into report: PipelineReport) -> PipelineReport {
        var report = report
        if jobs > 1 { pool = WorkerPool(workers: jobs) }
        defer { pool?.shutdown() }
        loadData()
        for step in config.steps {
            switch step.kind {
            case .render, .markdown: runPages(step)
            case .copy: runCopy(step)
            case .compress: runCompress(step)
            case .generate, .inject: runGenerator(step)
            }
        }
        recordCachedBlobs()
        // A run with errors may have produced less than usual: keep what
        // earlier runs wrote rather than deleting it as stale.
        let flushed = tree.flush(removeStale: errors.isEmpty)
        report.filesWritten = flushed.written
        report.filesUnchanged = flushed.unchanged
        report.filesRemoved = flushed.removed
        report.filesSkipped = skipped
        report.filesInjected = injected
        report.compressed = compressed
        report.errors = errors + flushed.errors
        return report
    }

    /// Records the blobs this run took from or put into the cache under one
    /// action per pipeline output directory, replacing the last run's, so
    /// `cache gc` keeps what the next run will ask for and drops the rest.
    /// This machine's tiers only: other machines keep their own records.
    private func recordCachedBlobs() {
        guard let blobs else { return }
        let key = ContentHash.of("unjucksd-pipeline-run-1 " + RelativePath.absolute(tree.directory))
        blobs.setActions([(key: key, outputs: compressedKeys)], shared: false)
    }

    // MARK: Data

    /// `_data/` of the tree (as sites have it), then `data:` files, then
    /// `vars:`, then `pipeline` (name, output directory).
    private func loadData() {
        // `_data/nav.json` -> `nav`, `_data/team/people.yaml` -> `team.people`.
        for path in TemplateTree.files(in: root, under: "_data", includeUnderscored: true)
        where path.hasSuffix(".json") || path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            guard let bytes = FileManager.default.contents(atPath: root + "/" + path),
                  let value = parseData(path: root + "/" + path, bytes: [UInt8](bytes)) else { continue }
            var parts = path.split(separator: "/").dropFirst().map(String.init)
            guard let file = parts.popLast() else { continue }
            var object = baseContext
            for part in parts {
                if case .object(let child)? = object[part] { object = child } else {
                    let child = JSObject()
                    object[part] = .object(child)
                    object = child
                }
            }
            object[(file as NSString).deletingPathExtension] = value
        }

        for entry in config.dataFiles {
            let path = root + "/" + entry.path.value
            guard let bytes = FileManager.default.contents(atPath: path) else {
                errors.append(SiteError(file: config.file, line: entry.path.mark.line, column: entry.path.mark.column,
                                        message: "data file '\(path)' cannot be read"))
                continue
            }
            if let value = parseData(path: path, bytes: [UInt8](bytes)) { baseContext[entry.name] = value }
        }
        if let vars = config.vars, case .object(let object) = Value(yaml: vars) {
            for (key, value) in object.entries { baseContext[key] = value }
        }
        let pipeline = JSObject()
        pipeline["name"] = .string(config.name)
        pipeline["output"] = .string(tree.directory)
        baseContext["pipeline"] = .object(pipeline)
    }

    private func parseData(path: String, bytes: [UInt8]) -> Value? {
        SiteData.parseDataFile(path: path, bytes: bytes, errors: &errors)
    }

    /// A fresh context for one render: the base, then `extra` on top.
    /// Fresh because a top-level `{% set %}` writes into the context.
    func context(_ extra: [(String, Value)] = []) -> JSObject {
        let context = JSObject()
        for (key, value) in baseContext.entries { context[key] = value }
        for (key, value) in extra { context[key] = value }
        return context
    }

    // MARK: Work

    /// `body(i)` for every i in 0..<count, on the worker pool when there
    /// is one; results in index order.
    func parallelMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard let pool, count > 1 else { return (0..<count).map(body) }
        let results = ResultSlots<T>(count: count)
        for index in 0..<count {
            pool.submit { results.set(index, body(index)) }
        }
        pool.waitUntilIdle()
        return results.values()
    }

    /// Where an error about a pipeline-file value goes.
    func error(_ message: String, at mark: YAMLMark) -> SiteError {
        SiteError(file: config.file, line: mark.line, column: mark.column, message: message)
    }
}

/// Results of parallel jobs, one slot each.
final class ResultSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[T?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: T) { slots.withLock { $0[index] = value } }

    func values() -> [T] { slots.withLock { $0.map { $0! } } }
}
