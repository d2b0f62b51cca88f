import CZlib
import Cache
import Site

extension PipelineRun {
    /// Writes `PATH.gz` next to every output so far that the step's globs
    /// select (`.gz` files themselves never), deterministic gzip. With a
    /// blob store, a file compressed before (same bytes, same level) is
    /// taken from it instead of compressed again (the keys used are recorded
    /// at the end of the run, so `cache gc` keeps them).
    func runCompress(_ step: PipelineStep) {
        let globs = step.patterns.map { Glob($0.value) }
        let selected = tree.paths.filter { path in
            !path.hasSuffix(".gz") && globs.contains { $0.matches(path) } && !step.exclude.contains { $0.matches(path) }
                && (tree.files[path]?.count ?? 0) >= step.minSize
        }
        let sources = selected.map { tree.files[$0]! }
        let level = step.level
        let blobs = self.blobs
        let results = parallelMap(selected.count) { index -> (key: ContentHash?, result: Result<[UInt8], GzipError>) in
            let key = blobs.map { _ in PipelineRun.gzipKey(sources[index], level: level) }
            if let blobs, let key, let cached = blobs.get(key) { return (key, .success(cached)) }
            do throws(GzipError) {
                let compressed = try Gzip.compress(sources[index], level: level)
                if let blobs, let key { blobs.put(key, compressed) }
                return (key, .success(compressed))
            } catch {
                return (key, .failure(error))
            }
        }
        for (path, outcome) in zip(selected, results) {
            switch outcome.result {
            case .success(let bytes):
                tree.put(path + ".gz", bytes)
                compressed += 1
                if let key = outcome.key { compressedKeys.append(key) }
            case .failure(let failure):
                errors.append(SiteError(file: tree.absolute(path), message: "cannot compress: \(failure)"))
            }
        }
    }

    /// The content address of `bytes` compressed at `level` by this gzip
    /// and this zlib (another zlib may emit other, equally valid, bytes).
    static func gzipKey(_ bytes: [UInt8], level: Int) -> ContentHash {
        var hasher = ContentHasher()
        hasher.update("unjucksd-pipeline-gzip-1 zlib " + String(cString: zlibVersion()))
        hasher.update(level)
        hasher.update(bytes)
        return hasher.finalize()
    }
}
