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

    /// Scans the tree on this thread while another reads the stored
    /// fingerprint and checks the outputs it lists (one `fstatat` each),
    /// then loads the last build's state, needed unless the scan and the
    /// outputs both match: at once when an output differs, else as soon as
    /// this thread has compared the inputs. When everything matches, no
    /// state is loaded and the report is filled as a no-op build fills it.
    mutating func scanAndCheckFingerprint() -> FingerprintCheck {
        let state = builder.state, site = builder.stateKey, directory = builder.outputDirectory
        let shared = Mutex<(stored: BuildState.Fingerprint?, outputsCurrent: Bool, upToDate: Bool, snapshot: BuildState.SiteSnapshot?)>((nil, false, false, nil))
        let outputsChecked = DispatchSemaphore(value: 0)
        let inputsCompared = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        DispatchQueue.global().async(group: finished) {
            var current = false
            if let stored = state.fingerprint(site: site) {
                let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                current = fd >= 0 && stored.outputs.allSatisfy { output in
                    guard let stat = OutputFiles.fileStat(output.path, in: fd) else { return false }
                    return stat.size == output.size && stat.mtimeNanoseconds == output.mtimeNanoseconds
                }
                if fd >= 0 { close(fd) }
                shared.withLock { [current] in $0.stored = stored; $0.outputsCurrent = current }
            }
            outputsChecked.signal()
            if current {
                inputsCompared.wait()
                if shared.withLock({ $0.upToDate }) { return }
            }
            let snapshot = try? state.load(site: site)
            shared.withLock { $0.snapshot = snapshot }
        }
        var check = FingerprintCheck(scan: scanTree())
        let digest = BuildState.Fingerprint.inputsDigest(options: fingerprintOptions, files: check.scan.files)
        outputsChecked.wait()
        let (stored, outputsCurrent) = shared.withLock { ($0.stored, $0.outputsCurrent) }
        check.outputsCurrent = outputsCurrent
        check.upToDate = stored != nil && outputsCurrent && check.scan.problems.isEmpty && stored!.inputs == digest
        shared.withLock { [upToDate = check.upToDate] in $0.upToDate = upToDate }
        inputsCompared.signal()
        finished.wait()
        guard check.upToDate, let stored else {
            check.state = shared.withLock { $0.snapshot }
            return check
        }
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
