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

    /// What `scanAndCheckFingerprint` found.
    struct FingerprintCheck {
        var scan: SiteScanner.Result
        /// Every output of the last build has the stat it was written with
        /// (so its manifest can be trusted without another stat per file).
        var outputsCurrent = false
        /// ... and every input is as it was: nothing to do.
        var upToDate = false
        /// The last build's state, loaded meanwhile unless up to date (nil
        /// if loading failed: load again, or build everything).
        var state: BuildState.SiteSnapshot?
    }

    /// Reads the stored fingerprint, then scans the tree on this thread
    /// while another checks the outputs it lists (one `fstatat` each). The
    /// last build's state is needed unless the scan and the outputs both
    /// match: this thread loads it as soon as the inputs differ, the other
    /// as soon as an output does. When everything matches, no state is
    /// loaded and the report is filled as a no-op build fills it.
    mutating func scanAndCheckFingerprint() -> FingerprintCheck {
        let state = builder.state, site = builder.stateKey, directory = builder.outputDirectory
        guard let stored = state.fingerprint(site: site) else {
            // No fingerprint: load while scanning.
            let loaded = Mutex<BuildState.SiteSnapshot?>(nil)
            let finished = DispatchGroup()
            DispatchQueue.global().async(group: finished) {
                let snapshot = try? state.load(site: site)
                loaded.withLock { $0 = snapshot }
            }
            var check = FingerprintCheck(scan: scanTree())
            finished.wait()
            check.state = loaded.withLock { $0 }
            return check
        }
        let outputs = Mutex<(current: Bool, snapshot: BuildState.SiteSnapshot?)>((false, nil))
        let finished = DispatchGroup()
        DispatchQueue.global().async(group: finished) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            let current = fd >= 0 && stored.outputsMatch(in: fd)
            if fd >= 0 { close(fd) }
            let snapshot = current ? nil : try? state.load(site: site)
            outputs.withLock { $0 = (current, snapshot) }
        }
        var check = FingerprintCheck(scan: scanTree())
        let inputsMatch = check.scan.problems.isEmpty
            && stored.inputs == BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: check.scan.files)
        var loadedHere: BuildState.SiteSnapshot?
        if !inputsMatch { loadedHere = try? state.load(site: site) }
        finished.wait()
        let (current, loadedThere) = outputs.withLock { ($0.current, $0.snapshot) }
        check.outputsCurrent = current
        guard inputsMatch && current else {
            check.state = loadedHere ?? loadedThere
            return check
        }
        check.upToDate = true
        report.pages = stored.pages
        report.skipped = stored.pages
        report.assets = stored.assets
        report.upToDateByFingerprint = true
        return check
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
