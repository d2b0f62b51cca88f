import Cache
import Foundation
import Nunjucks
import Site

extension SiteBuildRun {
    /// Pages whose recorded action still holds are up to date: their outputs
    /// are checked on disk (and restored from the cache when missing). The
    /// rest are returned to be rendered.
    mutating func verify(_ pages: [SiteFile]) -> [SiteFile] {
        // The fingerprint of everything collections show: every page's front matter.
        var fingerprint = ContentHasher()
        for file in pages {
            fingerprint.update(file.path)
            fingerprint.update(collectionKey(of: file) ?? ContentHash.of(""))
        }
        collectionsFingerprint = fingerprint.finalize()
        knownContentsFingerprint = nil
        if let affected = carryOver(pages) {
            return verifyEach(affected)
        }
        return verifyEach(pages)
    }

    /// When only pages and assets changed since the last build (no template,
    /// layout, data or config), every other page keeps its record without
    /// being looked at one by one: the state maps start as the last build's
    /// and only the affected pages go through `verifyEach`. Returns nil when
    /// the fast path does not apply.
    mutating func carryOver(_ pages: [SiteFile]) -> [SiteFile]? {
        guard !old.pages.isEmpty else { return nil }
        for path in changedPaths {
            switch SiteFile.classify(path) {
            case .page, .asset: continue
            default: return nil
            }
        }
        new.pages = old.pages
        new.outputs = old.outputs
        var affected: [SiteFile] = []
        var unaffectedOutputs = 0
        for file in pages {
            guard let record = old.pages[file.path] else {
                affected.append(file)
                continue
            }
            let stale = changedPaths.contains(file.path)
                || (record.action.collectionsFingerprint.map { !collectionsHold($0) } ?? false)
            if stale {
                affected.append(file)
                dropRecord(of: file.path)
            } else if !writer.trustManifest {
                // Outputs on disk are still checked (and restored from the cache).
                if restoreOutputs(of: record.action, source: file.path) {
                    unaffectedOutputs += record.action.outputs.count
                } else {
                    affected.append(file)
                    dropRecord(of: file.path)
                }
            } else {
                unaffectedOutputs += record.action.outputs.count
                report.skipped += record.action.outputs.count
            }
        }
        // Sources that are gone: their outputs become stale (removed later).
        for path in changedPaths where fileIndex[path] == nil {
            dropRecord(of: path)
            if new.outputs[path]?.source == path { new.outputs[path] = nil }  // an asset
        }
        report.pages += unaffectedOutputs
        return affected
    }

    /// Forgets a carried-over page record and its outputs (they are written
    /// again if the page still produces them, else removed as stale).
    mutating func dropRecord(of path: String) {
        guard let record = new.pages.removeValue(forKey: path) else { return }
        for output in record.action.outputs where new.outputs[output.path]?.source == path {
            new.outputs[output.path] = nil
        }
    }

    /// Verifies pages one by one: key, recorded action, its templates, its outputs.
    mutating func verifyEach(_ pages: [SiteFile]) -> [SiteFile] {

        // Keys and recorded actions, in page order (no dictionary: this loop
        // runs over every page of every build).
        var keys: [ContentHash] = []
        var actions: [PageAction?] = []
        var records: [BuildState.PageRecord?] = []
        keys.reserveCapacity(pages.count)
        actions.reserveCapacity(pages.count)
        records.reserveCapacity(pages.count)
        var remote: [Int] = []
        earlierPlans.reserveCapacity(earlierPlans.count + pages.count)
        // With a watcher's hint and no global change, an unhinted page's
        // key is the one it had: no need to hash it again.
        let unchanged: (String) -> Bool
        if let changes, !old.files.isEmpty,
           !changes.changed.union(changes.removed).contains(where: { [.config, .data, .directoryData].contains(SiteFile.classify($0)) }) {
            unchanged = { !changes.changed.contains($0) && !changes.removed.contains($0) }
        } else {
            unchanged = { _ in false }
        }
        for (index, file) in pages.enumerated() {
            let record = old.pages[file.path]
            if let record, unchanged(file.path) {
                keys.append(record.key)
                actions.append(record.action)
                records.append(record)
                noteEarlierPlan(of: file.path, record.action)
                continue
            }
            let key = key(of: file)
            keys.append(key)
            if let record, record.key == key {
                actions.append(record.action)
                records.append(record)
                noteEarlierPlan(of: file.path, record.action)
            } else if let action = siteActionRecord(of: file.path, key: key) {
                actions.append(action)
                records.append(nil)
            } else {
                actions.append(nil)
                records.append(nil)
                remote.append(index)
            }
        }
        // Actions another build stored (another machine through Redis, or
        // this one before a branch switch).
        if let blobs = builder.blobs, !remote.isEmpty {
            let found = blobs.prefetch(remote.map { keys[$0] })
            var references: [(key: ContentHash, outputs: [ContentHash])] = []
            for index in remote where found.contains(keys[index]) {
                if let bytes = blobs.get(keys[index]), let action = PageAction(encoded: bytes) {
                    actions[index] = action
                    references.append((keys[index], [keys[index]] + action.outputs.map(\.hash)))
                }
            }
            // What came from Redis is referenced here too, so `cache gc`
            // keeps it in this machine's SQLite tier.
            writer.storeReferences(references)
        }

        var toRender: [SiteFile] = []
        for (index, file) in pages.enumerated() {
            guard let action = actions[index], holds(action) else {
                toRender.append(file)
                continue
            }
            if restoreOutputs(of: action, source: file.path) {
                // An unchanged record is carried over as is (no new copy to compare at commit).
                new.pages[file.path] = records[index] ?? BuildState.PageRecord(key: keys[index], action: action)
                report.pages += action.outputs.count
            } else {
                toRender.append(file)
            }
        }
        // Blobs the cache no longer has: those pages render after all.
        for path in performRestores() {
            if let record = new.pages.removeValue(forKey: path) { report.pages -= record.action.outputs.count }
            toRender.append(fileIndex[path]!)
        }
        return toRender
    }

    /// Every template the action loaded is unchanged, and so are collections if it read them.
    mutating func holds(_ action: PageAction) -> Bool {
        for template in action.templates where new.files[template.path]?.hash != template.hash {
            return false
        }
        if let fingerprint = action.collectionsFingerprint, !collectionsHold(fingerprint) { return false }
        return true
    }

    /// A page action's collections fingerprint still holds: it is this
    /// build's (the page read collections), or this build's contents
    /// fingerprint (it read items' rendered content too).
    mutating func collectionsHold(_ fingerprint: ContentHash) -> Bool {
        fingerprint == collectionsFingerprint || fingerprint == contentsFingerprint()
    }

    /// What a page that reads items' `templateContent` depends on: the
    /// collections fingerprint, every page's bytes and every template's.
    /// Made on first use: most builds have no such page.
    mutating func contentsFingerprint() -> ContentHash {
        if let known = knownContentsFingerprint { return known }
        var contents = ContentHasher()
        contents.update(collectionsFingerprint)
        for file in files where file.kind.isPage || file.kind == .layout || file.kind == .include {
            contents.update(file.path)
            contents.update(new.files[file.path]?.hash ?? ContentHash.of(""))
        }
        let fingerprint = contents.finalize()
        knownContentsFingerprint = fingerprint
        return fingerprint
    }

    /// Makes the outputs of an up-to-date page present on disk: untouched
    /// when the manifest and the file agree, else written from the cache.
    /// False when a blob is missing (the page must be rendered).
    mutating func restoreOutputs(of action: PageAction, source: String) -> Bool {
        var missing: [(path: String, hash: ContentHash)] = []
        for output in action.outputs {
            if let owner = owner(of: output.path), owner != source { return false }
            if writer.isCurrent(output.path, hash: output.hash) == nil { missing.append((output.path, output.hash)) }
        }
        for output in action.outputs {
            claimed[output.path] = source
            if let record = old.outputs[output.path], record.hash == output.hash {
                new.outputs[output.path] = record
            }
        }
        restores += missing.map { (source: source, path: $0.path, hash: $0.hash) }
        report.skipped += action.outputs.count - missing.count
        return true
    }

    /// Outputs restored per batch (see `performRestores`).
    static let restoreBatchSize = 512

    /// Writes the outputs of up-to-date pages that are missing on disk from
    /// the cache, on every core. Returns the pages whose blobs were not
    /// there after all (they must be rendered).
    mutating func performRestores() -> Set<String> {
        guard !restores.isEmpty else { return [] }
        let writer = self.writer!
        let blobs = builder.blobs
        // In batches, each ending with a page's last output: while one is
        // written on every core, the next one's blobs are looked up (one
        // `MGET`) on another thread, so Redis and the network work while
        // files are written; and the state rows of each batch's pages are
        // written on the store thread while the next is restored.
        var batches: [[(source: String, path: String, hash: ContentHash)]] = [[]]
        for restore in restores {
            if batches[batches.count - 1].count >= Self.restoreBatchSize, batches[batches.count - 1].last!.source != restore.source {
                batches.append([])
            }
            batches[batches.count - 1].append(restore)
        }
        let fetcher = DispatchQueue(label: "unjucksd.restore-fetch")
        func fetch(_ batch: [(source: String, path: String, hash: ContentHash)]) -> DispatchWorkItem {
            let item = DispatchWorkItem { _ = blobs?.prefetch(batch.map(\.hash)) }
            fetcher.async(execute: item)
            return item
        }
        var unavailable: Set<String> = []
        var done = 0
        var fetching = fetch(batches[0])
        for (index, batch) in batches.enumerated() {
            fetching.wait()
            if index + 1 < batches.count { fetching = fetch(batches[index + 1]) }
            let results = ParallelMap.run(batch) { restore -> OutputWriter.Stored? in
                // No second SHA-256 of the bytes: every tier below memory
                // verifies a value against its key when reading it (the codec's
                // tag), and memory holds only values so verified or rendered here.
                guard let bytes = blobs?.get(restore.hash) else { return nil }
                return writer.write(bytes, at: restore.path, source: restore.source, hash: restore.hash)
            }
            var restored: [(path: String, record: BuildState.OutputRecord)] = []
            for (position, (restore, result)) in zip(batch, results).enumerated() {
                if let result {
                    if let record = account(result, source: restore.source) {
                        new.outputs[restore.path] = record
                        report.cached += 1
                        restored.append((restore.path, record))
                    }
                } else {
                    unavailable.insert(restore.source)
                }
                // The page's last output: its rows can go ahead of the commit.
                guard position + 1 == batch.count || batch[position + 1].source != restore.source else { continue }
                if !restored.isEmpty, !unavailable.contains(restore.source), !failed.contains(restore.source),
                   let record = new.pages[restore.source], old.pages[restore.source] != record {
                    writer.storeRestored(page: (restore.source, record), outputs: restored)
                }
                restored = []
            }
            done += batch.count
            builder.options.progress?(done, restores.count)
        }
        restores = []
        return unavailable
    }

    /// Builds `collections` when a page to render may read it: its source
    /// names it, its last render read it, it was never rendered, or it
    /// paginates over it. A page that reads it unexpectedly is re-rendered
    /// once collections exist (see `render`).
    mutating func prepareCollections(for toRender: [SiteFile], allPages: [SiteFile]) {
        parseInParallel(toRender, keepingBodies: true)
        var needed = false
        for file in toRender {
            guard let page = source(of: file.path) else { continue }
            if page.isDraft { continue }
            let previous = old.pages[file.path]?.action
            if page.mentionsCollections || previous == nil || previous!.usesCollections {
                needed = true
                break
            }
        }
        if needed { buildCollections(allPages) }
    }

    /// The keys of a collection item, in Eleventy's order.
    static let collectionItemShape = JSObject(
        ["url", "inputPath", "outputPath", "fileSlug", "date", "data"].map { ($0, Value.undefined) })

    mutating func buildCollections(_ pages: [SiteFile]) {
        guard collections == nil else { return }
        parseInParallel(pages)
        var members: [(file: SiteFile, page: PageSource)] = []
        members.reserveCapacity(pages.count)
        for file in pages {
            // `permalink: false` pages are members (url and outputPath
            // false), as in Eleventy: navigation entries pointing elsewhere
            // are made so. Drafts are not built at all.
            guard let page = source(of: file.path), !page.isDraft else { continue }
            if let spec = page.pagination, spec.dataPath.hasPrefix("collections") { continue }
            if page.data["eleventyExcludeFromCollections"]?.isTruthy == true { continue }
            members.append((file, page))
        }
        // Each page's items are independent of the others': built on every core.
        let renderer = self.renderer!
        let provider = templateContent ?? TemplateContentProvider(renderer: renderer, root: builder.root)
        templateContent = provider
        let work = members.map { (page: $0.page, date: date(of: $0.page, file: $0.file), earlier: earlierPlan(of: $0.page)) }
        let items = ParallelMap.run(work) { entry -> [CollectionEntry] in
            let page = entry.page, date = entry.date
            let unwritten = PlannedOutput(url: "", outputPath: "")
            guard var outputs = page.permalinkDisabled ? [unwritten]
                    : entry.earlier.map({ [$0] }) ?? (try? renderer.plan(page, date: date, collections: nil)) else { return [] }
            // A paginated page is a member through its first output only,
            // unless it asks for all (Eleventy's `addAllPagesToCollections`).
            if page.pagination?.addsAllPagesToCollections == false { outputs = Array(outputs.prefix(1)) }
            return outputs.map { output in
                // All items share one key list; the page's own front matter
                // object is shared, not copied: collections of large sites
                // must stay small.
                let item = JSObject(sameKeysAs: SiteBuildRun.collectionItemShape, values: [
                    page.permalinkDisabled ? .bool(false) : .string(output.url),
                    .string("./" + page.path),
                    page.permalinkDisabled ? .bool(false) : .string(renderer.outputPrefix + output.outputPath),
                    .string(Permalink.fileSlug(forInput: page.path)),
                    .string(PageDate.isoString(date)),
                    .object(renderer.collectionData(of: page, output: output, date: date)),
                ])
                item.lazyProperties = provider
                if output.pagination != nil { provider.notePaginated(output) }
                return CollectionEntry(inputPath: page.path, date: date, tags: page.tags, item: item)
            }
        }
        let built = Collections.build(items.flatMap { $0 })
        provider.setCollections(built)
        collections = built
    }

    /// Keeps the URL the last render of a page (whose key holds) planned.
    private mutating func noteEarlierPlan(of path: String, _ action: PageAction) {
        guard action.outputs.count == 1, action.urls.count == 1 else { return }
        earlierPlans[path] = PlannedOutput(url: action.urls[0], outputPath: action.outputs[0].path)
    }

    /// The output the last build planned for `page`, when planning again
    /// must give the same: its key is unchanged (bytes, global data,
    /// options), its stat too (an undated page's date is its mtime), it
    /// does not paginate, and its permalink neither names `collections` nor
    /// has a tag (`{% include %}` and the like would load templates the key
    /// does not cover) — the inputs a plan has beyond the key's.
    func earlierPlan(of page: PageSource) -> PlannedOutput? {
        guard let earlier = earlierPlans[page.path], page.pagination == nil, !changedPaths.contains(page.path),
              !page.isDraft, !page.permalinkDisabled
        else { return nil }
        for permalink in [page.permalinkTemplate, page.computedPermalinkTemplate].compactMap({ $0 })
        where TextSearch.contains(permalink, "collections") || TextSearch.contains(permalink, "{%") {
            return nil
        }
        return earlier
    }

    /// Computes every output of the pages to render and refuses collisions
    /// (two sources, one output path: an error naming both).
    mutating func plan(_ toRender: [SiteFile]) -> [SiteFile] {
        plans = [:]
        parseInParallel(toRender, keepingBodies: true)
        var pages: [(file: SiteFile, page: PageSource, date: Double)] = []
        pages.reserveCapacity(toRender.count)
        for file in toRender {
            guard let page = source(of: file.path) else { continue }
            if page.pagination?.dataPath.hasPrefix("collections") == true, collections == nil {
                buildCollections(files.filter(\.kind.isPage))
            }
            pages.append((file, page, date(of: page, file: file)))
        }
        // Permalinks on every core; collisions are then checked in page order.
        let renderer = self.renderer!, collections = self.collections
        let earlier = pages.map { earlierPlan(of: $0.page) }
        let planned = ParallelMap.run(Array(zip(pages, earlier))) { entry, earlier -> Result<[PlannedOutput], SiteError> in
            if let earlier { return .success([earlier]) }
            do throws(SiteError) {
                return .success(try renderer.plan(entry.page, date: entry.date, collections: collections))
            } catch {
                return .failure(error)
            }
        }
        var kept: [SiteFile] = []
        for (entry, result) in zip(pages, planned) {
            let file = entry.file
            switch result {
            case .failure(let error):
                report.errors.append(error.prefixed(builder.errorPrefix))
            case .success(let outputs):
                var collision = false
                for output in outputs {
                    if let owner = owner(of: output.outputPath), owner != file.path {
                        report.errors.append(SiteError(file: builder.errorPrefix + file.path, message: "output \(output.outputPath) is also written by \(builder.errorPrefix + owner)"))
                        collision = true
                    }
                }
                if collision { continue }
                for output in outputs { claimed[output.outputPath] = file.path }
                plans[file.path] = outputs
                kept.append(file)
            }
        }
        return kept
    }
}
