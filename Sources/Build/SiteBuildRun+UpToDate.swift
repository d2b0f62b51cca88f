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
    var fingerprintOptions: ContentHash {
        var hasher = ContentHasher()
        hasher.update("fingerprint-1")
        hasher.update(optionsDigest)
        // Field by field: interpolating the struct itself goes through
        // reflection, about a millisecond of a no-op build.
        let limits = builder.options.engine.limits
        hasher.update("limits \(limits.maxDepth) \(limits.maxLoopIterations) \(limits.maxOutputBytes)")
        return hasher.finalize()
    }

    /// The site's files, walked from its root (the output directories skipped).
    func scanTree() -> SiteScanner.Result {
        let out = RelativePath.absolute(builder.outputDirectory)
        return SiteScanner(root: builder.root, excluded: [out, RelativePath.absolute(builder.options.outputRoot)]).scan()
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
        /// if loading failed: load again, or build everything). Its page
        /// records may still be loading: then `pendingPages` has them.
        var state: BuildState.SiteSnapshot?
        var pendingPages: OutputCheck?
        /// The digest of the scanned inputs, compared with the stored one.
        var inputsDigest: ContentHash?
    }

    /// The other thread of the check: it reads the stored fingerprint, stats
    /// the outputs it lists, then loads the page records (with no
    /// fingerprint: the whole state); each result can be waited for on its
    /// own.
    final class OutputCheck: Sendable {
        struct Results {
            var stored: BuildState.StoredFingerprint?
            var outputsCurrent = false
            var pages: RecordMap<BuildState.PageRecord>?
            /// The whole state, when there was no fingerprint.
            var state: BuildState.SiteSnapshot?
        }
        fileprivate let fingerprintRead = DispatchGroup()
        fileprivate let statsDone = DispatchGroup()
        fileprivate let pagesDone = DispatchGroup()
        fileprivate let results = Mutex(Results())

        fileprivate var stored: BuildState.StoredFingerprint? {
            fingerprintRead.wait()
            return results.withLock { $0.stored }
        }

        var outputsCurrent: Bool {
            statsDone.wait()
            return results.withLock { $0.outputsCurrent }
        }

        /// The page records; nil if their load failed or was cancelled.
        var pages: RecordMap<BuildState.PageRecord>? {
            pagesDone.wait()
            return results.withLock { $0.pages }
        }

        fileprivate var state: BuildState.SiteSnapshot? {
            pagesDone.wait()
            return results.withLock { $0.state }
        }
    }

    /// Scans the tree on this thread while another reads the stored
    /// fingerprint and checks the outputs it lists (one `fstatat` each). The
    /// last build's state is needed unless the scan and the outputs both
    /// match, so the other thread goes on to load its page records (the
    /// larger half) without waiting for the scan's verdict; this thread
    /// loads the rest once the inputs differ — and then returns as soon as
    /// the outputs are checked, leaving the page records to be taken when
    /// the build first needs them — or cancels that load when everything
    /// matches. Then no state is loaded and the report is filled as a no-op
    /// build fills it.
    mutating func scanAndCheckFingerprint() -> FingerprintCheck {
        let state = builder.state, site = builder.stateKey, directory = builder.outputDirectory
        let background = OutputCheck()
        let notNeeded = CancellationFlag()
        background.fingerprintRead.enter()
        background.statsDone.enter()
        background.pagesDone.enter()
        // The fingerprint is read there too, so that the scan starts at once.
        DispatchQueue.global().async {
            let stored = state.fingerprint(site: site)
            background.results.withLock { $0.stored = stored }
            background.fingerprintRead.leave()
            guard let stored else {
                // No fingerprint: the whole state, loaded while the scan runs.
                let snapshot = try? state.load(site: site)
                background.results.withLock { $0.state = snapshot }
                background.statsDone.leave()
                background.pagesDone.leave()
                return
            }
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            let current = fd >= 0 && stored.outputsMatch(in: fd)
            if fd >= 0 { close(fd) }
            background.results.withLock { $0.outputsCurrent = current }
            background.statsDone.leave()
            let pages = try? state.loadPages(site: site, cancelled: current ? notNeeded : nil)
            background.results.withLock { $0.pages = pages }
            background.pagesDone.leave()
        }
        var check = FingerprintCheck(scan: scanTree())
        guard let stored = background.stored else {
            check.state = background.state
            return check
        }
        check.inputsDigest = BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: check.scan.files)
        let inputsMatch = check.scan.problems.isEmpty && stored.inputs == check.inputsDigest
        if !inputsMatch, let loaded = try? state.loadFilesAndOutputs(site: site) {
            // Not a no-op whatever the outputs say: go on once they are checked.
            check.outputsCurrent = background.outputsCurrent
            check.state = loaded
            check.pendingPages = background
            return check
        }
        if inputsMatch { notNeeded.raise() }  // needed after all only if an output differs
        check.outputsCurrent = background.outputsCurrent
        let pages = background.pages
        guard inputsMatch && check.outputsCurrent else {
            // Either half missing (a failed or cancelled load): load it all again.
            if var snapshot = try? state.loadFilesAndOutputs(site: site), let pages {
                snapshot.pages = pages
                check.state = snapshot
            }
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
        // In dictionary order: the check stats each output wherever it is listed.
        let outputs = new.outputs.map { (path: $0.key, size: $0.value.size, mtimeNanoseconds: $0.value.mtimeNanoseconds) }
        // The check digested these very files (`files` is its scan) already.
        let inputs = scannedInputsDigest ?? BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: files)
        return BuildState.Fingerprint(inputs: inputs, outputs: outputs, pages: report.pages, assets: report.assets)
    }
}
