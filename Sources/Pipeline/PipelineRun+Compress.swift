import Site

extension PipelineRun {
    /// Writes `PATH.gz` next to every output so far that the step's globs
    /// select (`.gz` files themselves never), deterministic gzip.
    func runCompress(_ step: PipelineStep) {
        let globs = step.patterns.map { Glob($0.value) }
        let selected = tree.paths.filter { path in
            !path.hasSuffix(".gz") && globs.contains { $0.matches(path) } && !step.exclude.contains { $0.matches(path) }
                && (tree.files[path]?.count ?? 0) >= step.minSize
        }
        let sources = selected.map { tree.files[$0]! }
        let level = step.level
        let results = parallelMap(selected.count) { index -> Result<[UInt8], GzipError> in
            do throws(GzipError) {
                return .success(try Gzip.compress(sources[index], level: level))
            } catch {
                return .failure(error)
            }
        }
        for (path, result) in zip(selected, results) {
            switch result {
            case .success(let bytes):
                tree.put(path + ".gz", bytes)
                compressed += 1
            case .failure(let failure):
                errors.append(SiteError(file: tree.absolute(path), message: "cannot compress: \(failure)"))
            }
        }
    }
}
