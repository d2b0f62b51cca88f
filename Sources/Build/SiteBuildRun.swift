import Cache
import Foundation
import Nunjucks
import Site
import Synchronization

/// The state of one build of one site, step by step:
/// inputs -> keys -> verify actions -> collections -> plan -> render -> assets
/// -> stale outputs -> commit.
struct SiteBuildRun {
    let builder: SiteBuilder
    var report: SiteBuildReport
    var old = BuildState.SiteSnapshot()
    var new = BuildState.SiteSnapshot()
    var files: [SiteFile] = []
    var fileIndex: [String: SiteFile] = [:]
    /// Bytes read in this build (changed files, and files parsed on demand).
    var contents: [String: [UInt8]] = [:]
    var parsed: [String: PageSource] = [:]
    /// Site-relative paths whose stat changed, appeared or disappeared since
    /// the last build (what `carryOver` needs to know).
    var changedPaths: Set<String> = []
    /// Bytes of page bodies that may still be kept between parsing and
    /// rendering (see `BuildOptions.retainedBodyBytes`).
    var bodyBudget: Int
    /// Pages whose front matter failed to parse (already reported).
    var invalid: Set<String> = []
    /// Stored forms of the pages parsed by earlier builds (see
    /// `BuildState+PageSources`), loaded when many pages need parsing.
    var storedSources: [String: (hash: ContentHash, source: [UInt8])]?
    /// Pages parsed from their files in this build: their stored forms are
    /// written while the build goes on (`storeParsedSources`).
    var freshlyParsed: [(path: String, hash: ContentHash, page: PageSource)] = []
    /// The background write of those forms; waited for before the commit.
    let sourceStore = DispatchGroup()
    /// Forms of the few pages parsed in a small rebuild, written with the commit.
    var pendingSources: BuildState.PageSourceRows
    var renderer: SiteRenderer!
    var writer: OutputWriter!
    var optionsHash = ContentHash.of("")
    var globalHash = ContentHash.of("")
    /// Directory and template data files: merged into every page they apply
    /// to as it enters `parsed` (what is stored of a page stays its front
    /// matter alone); their contents are part of `globalHash`.
    var directoryData = DirectoryData()
    var collectionsFingerprint = ContentHash.of("")
    /// See `contentsFingerprint()`; nil until first needed in a build.
    var knownContentsFingerprint: ContentHash?
    /// Collection items' rendered content, made when read.
    var templateContent: TemplateContentProvider?
    var collections: JSObject?
    /// Output path -> the source that claims it, for collision errors.
    var claimed: [String: String] = [:]
    /// Planned outputs of the pages to render.
    var plans: [String: [PlannedOutput]] = [:]
    /// Pages whose key is the one their last render was recorded under
    /// (same bytes, same global data and options), with the one output that
    /// render planned: see `earlierPlan(of:)`.
    var earlierPlans: [String: PlannedOutput] = [:]
    /// Outputs of up-to-date pages to write from the cache (see `performRestores`).
    var restores: [(source: String, path: String, hash: ContentHash)] = []
    /// Template lists recorded in page actions, one copy each, by template
    /// names (a template's hash does not change within a build): most
    /// pages of a site share their layout chain.
    var templateLists: [[String]: [(path: String, hash: ContentHash)]] = [:]
    /// Pages that failed: their previous outputs are kept, not removed.
    var failed: Set<String> = []
    let started = Date()

    /// The site action's key, when this build looked one up, and the pages
    /// of the one it found (see `SiteBuildRun+SiteAction`).
    var siteActionKey: ContentHash?
    var siteActionPages: [String: SiteAction.Page] = [:]

    /// The inputs digest the fingerprint check computed over the scan this
    /// build uses (nil: no check ran).
    var scannedInputsDigest: ContentHash?

    /// What a watcher saw change; nil: scan and stat everything.
    let changes: ChangeHint?

    init(builder: SiteBuilder, changes: ChangeHint? = nil) {
        self.builder = builder
        // A hint speaks of the sources only, and a hinted build trusts its
        // manifest for the outputs: with the output directory gone (`rm -rf
        // out` under a watching daemon) that would leave every page but the
        // edited ones missing. Then this is a full build, which restores them.
        var isDirectory: ObjCBool = false
        let outputsGone = changes != nil
            && !(FileManager.default.fileExists(atPath: builder.outputDirectory, isDirectory: &isDirectory) && isDirectory.boolValue)
        // An edited `.eleventyignore` changes which files the site has: only
        // a scan of the tree knows them.
        let ignoreEdited = changes.map {
            $0.changed.contains(IgnoreRules.fileName) || $0.removed.contains(IgnoreRules.fileName)
        } ?? false
        self.changes = outputsGone || ignoreEdited ? nil : changes
        bodyBudget = builder.options.retainedBodyBytes
        report = SiteBuildReport(site: builder.name)
        pendingSources = BuildState.PageSourceRows(engine: builder.options.engineVersion)
    }

    mutating func execute() -> SiteBuildReport {
        var clock = PhaseClock()
        var scanned: SiteScanner.Result?
        var preloaded: BuildState.SiteSnapshot?
        var pendingPages: OutputCheck?
        var outputsCurrent = false
        if changes == nil {
            let check = scanAndCheckFingerprint()
            if check.upToDate {
                clock.lap("up-to-date check", into: &report)
                report.seconds = Date().timeIntervalSince(started)
                return report
            }
            scanned = check.scan
            preloaded = check.state
            pendingPages = check.pendingPages
            scannedInputsDigest = check.inputsDigest
            outputsCurrent = check.outputsCurrent
            clock.lap("fingerprint", into: &report)
        }
        do {
            // Before any output changes: a build that stops half-way must not
            // leave a fingerprint claiming everything is up to date.
            try builder.state.forgetFingerprint(site: builder.stateKey)
        } catch {
            report.errors.append(SiteError(file: builder.errorPrefix + ".unjucksd", message: "cannot update build state: \(error)"))
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
        do {
            old = try preloaded ?? builder.state.load(site: builder.stateKey)
        } catch {
            old = .init()  // unreadable state: a full build is always correct
        }
        clock.lap("load", into: &report)
        // A watcher's hint covers the sources; outputs are ours, so the
        // manifest is trusted for them instead of stat'ing every file. So it
        // is when the fingerprint check just found every output as recorded.
        let incremental = changes != nil && !old.files.isEmpty
        writer = OutputWriter(outputDirectory: builder.outputDirectory, previous: old.outputs, blobs: builder.blobs,
                              trustManifest: incremental || (outputsCurrent && !old.outputs.isEmpty),
                              batchBytes: builder.options.storeBatchBytes,
                              state: (builder.state.database, builder.stateKey))
        scanAndHash(scanned)
        storeParsedSources(forgettingDeletedPages: true)
        loadGlobals()
        clock.lap("scan", into: &report)
        if let pendingPages {
            // Loaded on the check's other thread meanwhile; unreadable: a
            // full build is always correct.
            old.pages = pendingPages.pages ?? (try? builder.state.loadPages(site: builder.stateKey)) ?? RecordMap()
        }
        let pages = files.filter(\.kind.isPage)
        report.pages = 0
        var toRender = verify(pages)
        clock.lap("verify", into: &report)
        prepareCollections(for: toRender, allPages: pages)
        clock.lap("collections", into: &report)
        toRender = plan(toRender)
        clock.lap("plan", into: &report)
        render(toRender)
        clock.lap("render", into: &report)
        copyAssets()
        removeStaleOutputs()
        storeSiteAction()
        clock.lap("assets+stale", into: &report)
        writer.flush()
        storeParsedSources(forgettingDeletedPages: false)  // pages parsed after the scan
        sourceStore.wait()
        do {
            try builder.state.commit(site: builder.stateKey, old: old, new: new, fingerprint: fingerprint(),
                                     early: writer.earlyRows, pageSources: pendingSources.isEmpty ? nil : pendingSources)
        } catch {
            report.errors.append(SiteError(file: builder.errorPrefix + ".unjucksd", message: "cannot save build state: \(error)"))
        }
        clock.lap("commit", into: &report)
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    // MARK: Inputs

    /// Lists the site's files and hashes those whose stat changed. With a
    /// watcher's hint, the list is last build's with the hinted paths
    /// re-stat'ed; otherwise the whole tree is scanned.
    mutating func scanAndHash(_ scanned: SiteScanner.Result? = nil) {
        if let changes, !old.files.isEmpty {
            files = filesFromHint(changes)
        } else {
            fileIndex = [:]
            let scan = scanned ?? scanTree()
            for problem in scan.problems {
                report.errors.append(SiteError(file: builder.errorPrefix + problem.path, message: problem.message))
            }
            files = scan.files
        }
        if fileIndex.isEmpty {
            fileIndex.reserveCapacity(files.count)
            for file in files { fileIndex[file.path] = file }
        }
        new.fileList = files
        new.fileIndex = fileIndex
        var stale: [SiteFile] = []
        /// Files the last build had that are gone.
        var deleted: [String] = []
        if let changes, !old.files.isEmpty {
            // Only the hinted paths can differ from the last build's records.
            new.files = old.files
            for path in changes.removed.union(changes.changed) {
                guard let file = fileIndex[path] else {
                    if old.files[path] != nil { deleted.append(path) }
                    new.files[path] = nil
                    continue
                }
                if let record = old.files[path], record.stat == file.stat { continue }
                new.files[path] = nil
                stale.append(file)
            }
            stale.sort { $0.path < $1.path }
        } else {
            // The last build's records as they are (shared storage, not one
            // insert per file); changed files lose theirs until read again.
            new.files = old.files
            var known = 0
            for file in files {
                guard let record = old.files[file.path] else {
                    stale.append(file)
                    continue
                }
                known += 1
                if record.stat != file.stat {
                    new.files[file.path] = nil
                    stale.append(file)
                }
            }
            if known < old.files.count {
                for path in old.files.keys where fileIndex[path] == nil {
                    deleted.append(path)
                    new.files[path] = nil
                }
            }
        }
        // Reading, hashing and parsing front matter run on every core. When
        // many pages are new to this build, parsing waits until the site
        // action (see `SiteAction`) is looked up: on a hit it is not needed.
        let root = builder.root
        let budget = Atomic<Int>(bodyBudget)
        defer { bodyBudget = max(0, budget.load(ordering: .relaxed)) }
        let deferParsing = changes == nil && builder.blobs != nil
            && stale.count(where: \.kind.isPage) >= Self.siteActionThreshold
        let pendingBudget = Atomic<Int>(builder.options.retainedBodyBytes)
        var results = ParallelMap.run(stale) { file -> ScannedFile in
            guard let bytes = FileBytes.read(root + "/" + file.path) else { return .unreadable }
            let hash = ContentHash.of(bytes)
            guard case .page(let format) = file.kind else { return .read(bytes: bytes, hash: hash) }
            if deferParsing {
                // Kept for the parse a miss needs, while the budget lasts; read again beyond it.
                let keep = pendingBudget.subtract(bytes.count, ordering: .relaxed).newValue >= 0
                return .unparsedPage(bytes: keep ? bytes : nil, hash: hash)
            }
            return SiteBuildRun.parse(file, format: format, bytes: bytes, hash: hash, budget: budget)
        }
        if deferParsing { lookUpSiteActionThenParse(stale, &results, budget: budget) }
        changedPaths = Set(stale.map(\.path)).union(deleted)
        for (file, result) in zip(stale, results) {
            switch result {
            case .unreadable:
                report.errors.append(SiteError(file: builder.errorPrefix + file.path, message: "cannot read file"))
            case .read(let bytes, let hash):
                new.files[file.path] = BuildState.FileRecord(stat: file.stat, hash: hash, collectionKey: nil)
                if file.kind != SiteFile.Kind.asset { contents[file.path] = bytes }
            case .unparsedPage:
                break  // recorded before the site action was looked up, which had this page
            case .page(let page, let hash, let collectionKey):
                new.files[file.path] = BuildState.FileRecord(stat: file.stat, hash: hash, collectionKey: collectionKey)
                parsed[file.path] = page
                freshlyParsed.append((file.path, hash, page))
            case .invalidPage(let error, let hash):
                new.files[file.path] = BuildState.FileRecord(stat: file.stat, hash: hash, collectionKey: nil)
                report.errors.append(error.prefixed(builder.errorPrefix))
                invalid.insert(file.path)
            }
        }
    }

    /// Parses, on every core, the pages among `pages` not parsed yet (front
    /// matter only; bodies are read again when rendered).
    /// `keepingBodies`: the pages are about to render; their bodies are
    /// kept within what is left of the body budget.
    mutating func parseInParallel(_ pages: [SiteFile], keepingBodies: Bool = false) {
        let missing = pages.filter { parsed[$0.path] == nil && !invalid.contains($0.path) }
        guard missing.count > 1 else { return }
        // Many unchanged pages to parse (a layout or data file edited):
        // their stored forms stand in for their YAML.
        if storedSources == nil && missing.count >= Self.storedSourcesThreshold {
            storedSources = builder.state.loadPageSources(site: builder.stateKey, engine: builder.options.engineVersion)
        }
        let stored = storedSources ?? [:]
        let files = new.files
        let root = builder.root
        let cascade = directoryData
        let budget = Atomic<Int>(keepingBodies ? bodyBudget : 0)
        defer { if keepingBodies { bodyBudget = max(0, budget.load(ordering: .relaxed)) } }
        // `page` has the directory data applied, `own` is what is stored (front matter alone).
        let results = ParallelMap.run(missing) { file -> Result<(page: PageSource, own: PageSource, collectionKey: ContentHash, fresh: Bool), SiteError> in
            guard case .page(let format) = file.kind else { return .failure(SiteError(file: file.path, message: "not a page")) }
            // Only for a file whose record holds its collection key (a
            // decoded page has no front matter text to take it from).
            if let record = files[file.path], let collectionKey = record.collectionKey, let row = stored[file.path], row.hash == record.hash,
               let page = row.source.withUnsafeBytes({ PageSource(stored: $0, path: file.path, format: format) }) {
                return .success((cascade.applied(to: page), page, collectionKey, false))
            }
            guard let data = FileBytes.read(root + "/" + file.path) else {
                return .failure(SiteError(file: file.path, message: "cannot read file"))
            }
            do throws(SiteError) {
                let parsedPage = try SiteBuildRun.parsePage(file, format: format, bytes: data, budget: budget)
                return .success((cascade.applied(to: parsedPage.page), parsedPage.page, parsedPage.collectionKey, true))
            } catch {
                return .failure(error)
            }
        }
        for (file, result) in zip(missing, results) {
            switch result {
            case .success(let parsedPage):
                parsed[file.path] = parsedPage.page
                if new.files[file.path]?.collectionKey == nil { new.files[file.path]?.collectionKey = parsedPage.collectionKey }
                if !parsedPage.fresh {
                    report.pagesFromStoredSources += 1
                } else if let hash = new.files[file.path]?.hash {
                    freshlyParsed.append((file.path, hash, parsedPage.own))
                }
            case .failure(let error):
                report.errors.append(error.prefixed(builder.errorPrefix))
                invalid.insert(file.path)
            }
        }
    }

    /// How many pages must need parsing before the stored forms are loaded
    /// (one query over all of them): below it, parsing is as cheap. Also
    /// how many freshly parsed pages get their forms written on a thread
    /// of their own rather than in the commit's transaction.
    static let storedSourcesThreshold = 64

    /// Writes the stored forms of the pages parsed so far in this build
    /// (and deletes those of deleted pages): many on another thread,
    /// started after the scan and again for pages parsed later and waited
    /// for before the commit; a few (an edited post) in the commit's own
    /// transaction (`pendingSources`), which costs less than one of their own.
    mutating func storeParsedSources(forgettingDeletedPages: Bool) {
        let removed = !forgettingDeletedPages ? [] : changedPaths.filter { path in
            guard fileIndex[path] == nil, case .page = SiteFile.classify(path) else { return false }
            return true
        }
        guard !freshlyParsed.isEmpty || !removed.isEmpty else { return }
        let pages = freshlyParsed
        freshlyParsed = []
        let engine = pendingSources.engine
        let encode = { @Sendable (pages: [(path: String, hash: ContentHash, page: PageSource)]) in
            pages.compactMap { entry in entry.page.storedForm().map { (entry.path, entry.hash, $0) } }
        }
        if pages.count < Self.storedSourcesThreshold {
            pendingSources.sources += encode(pages)
            pendingSources.removed += removed
            return
        }
        let state = builder.state, site = builder.stateKey
        DispatchQueue.global().async(group: sourceStore) {
            try? state.storePageSources(site: site, BuildState.PageSourceRows(engine: engine, sources: encode(pages), removed: Array(removed)))
        }
    }

    /// What scanning a page's bytes gives: its parsed form, or the error.
    static func parse(_ file: SiteFile, format: PageFormat, bytes: [UInt8], hash: ContentHash, budget: borrowing Atomic<Int>) -> ScannedFile {
        do throws(SiteError) {
            let parsed = try SiteBuildRun.parsePage(file, format: format, bytes: bytes, budget: budget)
            return .page(parsed.page, hash: hash, collectionKey: parsed.collectionKey)
        } catch {
            return .invalidPage(error, hash: hash)
        }
    }

    /// Parses a page's bytes and takes its collection key. Its body is kept
    /// (for rendering) while `budget` lasts; beyond it only front matter is,
    /// and the body is read again when the page renders.
    static func parsePage(_ file: SiteFile, format: PageFormat, bytes: [UInt8], budget: borrowing Atomic<Int>)
        throws(SiteError) -> (page: PageSource, collectionKey: ContentHash) {
        let page = try PageParser.parse(path: file.path, text: String(decoding: bytes, as: UTF8.self), format: format)
        let keep = budget.subtract(bytes.count, ordering: .relaxed).newValue >= 0
        return (page.retained(keepingBody: keep), collectionKey(of: page, mtimeNanoseconds: file.stat.mtimeNanoseconds))
    }

    /// Last build's files, updated for the paths a watcher reported.
    mutating func filesFromHint(_ changes: ChangeHint) -> [SiteFile] {
        var list: [SiteFile]
        if old.fileList.count == old.files.count, old.fileIndex.count == old.files.count {
            // The last build's list, kept in memory: update only the hinted paths.
            list = old.fileList
            fileIndex = old.fileIndex
        } else {
            list = old.files.map { SiteFile(path: $0.key, kind: SiteFile.classify($0.key), stat: $0.value.stat) }.sorted { $0.path < $1.path }
            fileIndex = Dictionary(uniqueKeysWithValues: list.map { ($0.path, $0) })
        }
        func position(of path: String) -> (index: Int, found: Bool) {
            var low = 0, high = list.count
            while low < high {
                let mid = (low + high) / 2
                if list[mid].path < path { low = mid + 1 } else { high = mid }
            }
            return (low, low < list.count && list[low].path == path)
        }
        for path in changes.removed.union(changes.changed) {
            let at = position(of: path)
            if at.found {
                list.remove(at: at.index)
                fileIndex[path] = nil
            }
        }
        let root = RelativePath.absolute(builder.root), output = RelativePath.absolute(builder.outputDirectory) + "/"
        let ignore = IgnoreRules(root: builder.root)
        for path in changes.changed {
            if path.hasPrefix(".unjucksd/") || (root + "/" + path).hasPrefix(output) || ignore.ignoresFile(path) { continue }
            var st = stat()
            guard stat(builder.root + "/" + path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let file = SiteFile(path: path, kind: SiteFile.classify(path), stat: FileStat(st))
            list.insert(file, at: position(of: path).index)
            fileIndex[path] = file
        }
        return list
    }

    mutating func read(_ path: String) -> [UInt8]? {
        if let bytes = contents[path] { return bytes }
        guard let bytes = FileBytes.read(builder.root + "/" + path) else {
            report.errors.append(SiteError(file: builder.errorPrefix + path, message: "cannot read file"))
            return nil
        }
        return bytes
    }

    /// `site.yaml` and `_data/`: parsed every build (small), hashed into every page key.
    mutating func loadGlobals() {
        var hasher = ContentHasher()
        hasher.update("globals")
        var config: (path: String, bytes: [UInt8])?
        var dataFiles: [(path: String, bytes: [UInt8])] = []
        var directoryFiles: [(path: String, bytes: [UInt8])] = []
        for file in files where file.kind == .config || file.kind == .data || file.kind == .directoryData {
            guard let record = new.files[file.path], let bytes = read(file.path) else { continue }
            hasher.update(file.path)
            hasher.update(record.hash)
            switch file.kind {
            case .config: config = (file.path, bytes)
            case .data: dataFiles.append((file.path, bytes))
            default: directoryFiles.append((file.path, bytes))
            }
        }
        globalHash = hasher.finalize()
        let globals = SiteData.load(config: config, dataFiles: dataFiles)
        report.errors += globals.errors.map { $0.prefixed(builder.errorPrefix) }
        let directory = DirectoryData.load(directoryFiles)
        report.errors += directory.errors.map { $0.prefixed(builder.errorPrefix) }
        directoryData = directory.data
        // Pages the scan parsed before these were read (on every core: a
        // cold build has parsed them all).
        if !directoryData.isEmpty {
            let cascade = directoryData
            let merged = ParallelMap.run(Array(parsed.values)) { cascade.applied(to: $0) }
            for page in merged { parsed[page.path] = page }
        }
        let outputPrefix = builder.outputDirectory + "/"
        renderer = SiteRenderer(root: builder.root, site: globals.site, data: globals.data, outputPrefix: outputPrefix, options: builder.options.engine)
        optionsHash = optionsDigest
    }

    func key(of page: SiteFile) -> ContentHash {
        var hasher = ContentHasher()
        hasher.update(optionsHash)
        hasher.update(globalHash)
        hasher.update(page.path)
        hasher.update(new.files[page.path]?.hash ?? ContentHash.of(""))
        return hasher.finalize()
    }

    /// Parses a page (once per build); `withBody` reads the body again if
    /// it was dropped to save memory.
    mutating func source(of path: String, withBody: Bool = false) -> PageSource? {
        if invalid.contains(path) { return nil }
        if let page = parsed[path] {
            guard withBody, !page.hasBody else { return page }
            guard let bytes = read(path) else { return nil }
            return page.restoringBody(from: String(decoding: bytes, as: UTF8.self))
        }
        guard let bytes = read(path) else { return nil }
        let format: PageFormat
        switch SiteFile.classify(path) {
        case .page(let f): format = f
        default: format = .nunjucks
        }
        do {
            let ownPage = try PageParser.parse(path: path, text: String(decoding: bytes, as: UTF8.self), format: format)
            // Keep front matter for collections; bodies are read again when rendered.
            if new.files[path]?.collectionKey == nil, let file = fileIndex[path] {
                new.files[path]?.collectionKey = SiteBuildRun.collectionKey(of: ownPage, mtimeNanoseconds: file.stat.mtimeNanoseconds)
            }
            let page = directoryData.applied(to: ownPage)
            parsed[path] = page.retained(keepingBody: false)
            contents[path] = nil
            return page
        } catch {
            report.errors.append(error.prefixed(builder.errorPrefix))
            return nil
        }
    }

    /// A page's date: front matter `date`, else the file's mtime.
    func date(of page: PageSource, file: SiteFile) -> Double {
        if let text = page.dateText, let seconds = PageDate.parse(text) { return seconds }
        return Double(file.stat.mtimeNanoseconds) / 1e9
    }

    /// What collections depend on for one page: its front matter, and the
    /// mtime when it has no date. Taken when the page is parsed (the text
    /// is not kept).
    mutating func collectionKey(of file: SiteFile) -> ContentHash? {
        if let record = new.files[file.path], let key = record.collectionKey { return key }
        guard source(of: file.path) != nil else { return nil }
        return new.files[file.path]?.collectionKey
    }

    static func collectionKey(of page: PageSource, mtimeNanoseconds: Int64) -> ContentHash {
        var hasher = ContentHasher()
        hasher.update(page.frontMatterText)
        if page.dateText.flatMap(PageDate.parse) == nil { hasher.update(Int(mtimeNanoseconds)) }
        return hasher.finalize()
    }
}

/// Wall time of each build phase, for `--json` and for finding where a
/// build spends its time.
struct PhaseClock {
    private var last = ContinuousClock.now

    mutating func lap(_ name: String, into report: inout SiteBuildReport) {
        let now = ContinuousClock.now
        let elapsed = now - last
        report.phases.append((name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        last = now
    }
}

/// What reading one changed file produced.
enum ScannedFile: @unchecked Sendable {
    case unreadable
    case read(bytes: [UInt8], hash: ContentHash)
    case page(PageSource, hash: ContentHash, collectionKey: ContentHash)
    /// Read and hashed, parsing left for later (bytes kept if the budget allowed).
    case unparsedPage(bytes: [UInt8]?, hash: ContentHash)
    case invalidPage(SiteError, hash: ContentHash)

    /// The hash of the bytes read, if they could be.
    var hash: ContentHash? {
        switch self {
        case .unreadable: nil
        case .read(_, let hash), .unparsedPage(_, let hash), .page(_, let hash, _), .invalidPage(_, let hash): hash
        }
    }
}

/// `map` over all cores (Dispatch's concurrentPerform), order kept.
enum ParallelMap {
    static func run<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        var results = [R?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let chunk = 64
            let chunks = (items.count + chunk - 1) / chunk
            // Each iteration writes its own slots; nothing is shared but reads.
            nonisolated(unsafe) let out = buffer.baseAddress!
            nonisolated(unsafe) let input = items
            nonisolated(unsafe) let work = transform
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in (c * chunk)..<min(input.count, (c + 1) * chunk) {
                    out[i] = work(input[i])
                }
            }
        }
        return results.map { $0! }
    }
}
