import Cache
import Foundation
import Site
import Synchronization

/// The no-op fast path of a full (unhinted) build: when every input has the
/// stat it had after the last error-free build and every output still has
/// the stat it was written with, nothing can render differently and nothing
/// needs writing, so the build ends after one scan, one row read and one
/// stat per output, without loading the per-page state.
extension SiteBuildRun {
    /// Build options that change what pages render to. Part of every page
    /// key and of the fingerprint; `site.yaml` and `_data` are input files,
    /// covered by their own hashes and stats.
    var optionsDigest: ContentHash {
        var options = ContentHasher()
        options.update(builder.options.engineVersion)
        options.update(builder.outputDirectory + "/")
        let engine = builder.options.engine
        options.update("\(engine.autoescape) \(engine.throwOnUndefined) \(engine.trimBlocks) \(engine.lstripBlocks)")
        return options.finalize()
    }

    /// What the fingerprint's input digest covers beyond the files: the
    /// options, and the render limits (a page over a limit fails).
    private var fingerprintOptions: ContentHash {
        var hasher = ContentHasher()
        hasher.update("fingerprint-1")
        hasher.update(optionsDigest)
        hasher.update("\(builder.options.engine.limits)")
        return hasher.finalize()
    }

    /// The site's files, walked from its root (the output directories skipped).
    func scanTree() -> SiteScanner.Result {
        let out = SiteBuilder.absolute(builder.outputDirectory)
        return SiteScanner(root: builder.root, excluded: [out, SiteBuilder.absolute(builder.options.outputRoot)]).scan()
    }

    /// Scans the tree and, meanwhile on another thread, checks the outputs
    /// the stored fingerprint lists (one `fstatat` each). When both match,
    /// fills the report as a no-op build does and returns `upToDate`.
    mutating func scanAndCheckFingerprint() -> (scan: SiteScanner.Result, upToDate: Bool) {
        guard let stored = builder.state.fingerprint(site: builder.stateKey) else { return (scanTree(), false) }
        let outputsCurrent = Mutex<Bool>(false)
        let checked = DispatchGroup()
        let directory = builder.outputDirectory
        DispatchQueue.global().async(group: checked) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let current = stored.outputs.allSatisfy { output in
                guard let stat = OutputFiles.fileStat(output.path, in: fd) else { return false }
                return stat.size == output.size && stat.mtimeNanoseconds == output.mtimeNanoseconds
            }
            outputsCurrent.withLock { $0 = current }
        }
        let scan = scanTree()
        checked.wait()
        guard outputsCurrent.withLock({ $0 }), scan.problems.isEmpty,
              stored.inputs == BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: scan.files)
        else { return (scan, false) }
        report.pages = stored.pages
        report.skipped = stored.pages
        report.assets = stored.assets
        report.upToDateByFingerprint = true
        return (scan, true)
    }

    /// The fingerprint of this build, if it may skip the next one: a full
    /// scan (not a watcher's hint) and no errors.
    func fingerprint() -> BuildState.Fingerprint? {
        guard changes == nil, report.errors.isEmpty, failed.isEmpty else { return nil }
        let outputs = new.outputs.sorted { $0.key < $1.key }.map { (path: $0.key, size: $0.value.size, mtimeNanoseconds: $0.value.mtimeNanoseconds) }
        return BuildState.Fingerprint(inputs: BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: files),
                                      outputs: outputs, pages: report.pages, assets: report.assets)
    }
}
