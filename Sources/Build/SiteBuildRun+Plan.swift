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

        var actions: [String: (key: ContentHash, action: PageAction?)] = [:]
        var remoteKeys: [ContentHash] = []
        // With a watcher's hint and no global change, an unhinted page's
        // key is the one it had: no need to hash it again.
        let unchanged: (String) -> Bool
        if let changes, !old.files.isEmpty,
           !changes.changed.union(changes.removed).contains(where: { [.config, .data].contains(SiteFile.classify($0)) }) {
            unchanged = { !changes.changed.contains($0) && !changes.removed.contains($0) }
        } else {
            unchanged = { _ in false }
        }
        for file in pages {
            if unchanged(file.path), let record = old.pages[file.path] {
                actions[file.path] = (record.key, record.action)
                continue
            }
            let key = key(of: file)
            if let record = old.pages[file.path], record.key == key {
                actions[file.path] = (key, record.action)
            } else {
                actions[file.path] = (key, nil)
                remoteKeys.append(key)
            }
        }
        // Actions another build stored (another machine through Redis, or
        // this one before a branch switch).
        if let blobs = builder.blobs, !remoteKeys.isEmpty {
            let found = remoteKeys.isEmpty ? [] : blobs.prefetch(remoteKeys)
            var outputs: [ContentHash] = []
            for file in pages where actions[file.path]?.action == nil {
                let key = actions[file.path]!.key
                if found.contains(key), let bytes = blobs.get(key), let action = PageAction(encoded: bytes) {
                    actions[file.path] = (key, action)
                    outputs += action.outputs.map(\.hash)
                }
            }
            if !outputs.isEmpty { _ = blobs.prefetch(outputs) }
        }

        var toRender: [SiteFile] = []
        for file in pages {
            let (key, candidate) = actions[file.path]!
            guard let action = candidate, holds(action) else {
                toRender.append(file)
                continue
            }
            if restoreOutputs(of: action, source: file.path) {
                new.pages[file.path] = BuildState.PageRecord(key: key, action: action)
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
    func holds(_ action: PageAction) -> Bool {
        for template in action.templates where new.files[template.path]?.hash != template.hash {
            return false
        }
        if let fingerprint = action.collectionsFingerprint, fingerprint != collectionsFingerprint { return false }
        return true
    }

    /// Makes the outputs of an up-to-date page present on disk: untouched
    /// when the manifest and the file agree, else written from the cache.
    /// False when a blob is missing (the page must be rendered).
    mutating func restoreOutputs(of action: PageAction, source: String) -> Bool {
        var missing: [(path: String, hash: ContentHash)] = []
        for output in action.outputs {
            if let owner = claimed[output.path], owner != source { return false }
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

    /// Writes the outputs of up-to-date pages that are missing on disk from
    /// the cache, on every core. Returns the pages whose blobs were not
    /// there after all (they must be rendered).
    mutating func performRestores() -> Set<String> {
        guard !restores.isEmpty else { return [] }
        let writer = self.writer!
        let blobs = builder.blobs
        let results = ParallelMap.run(restores) { restore -> OutputWriter.Stored? in
            guard let bytes = blobs?.get(restore.hash), ContentHash.of(bytes) == restore.hash else { return nil }
            return writer.write(bytes, at: restore.path, source: restore.source, hash: restore.hash)
        }
        var unavailable: Set<String> = []
        for (restore, result) in zip(restores, results) {
            guard let result else {
                unavailable.insert(restore.source)
                continue
            }
            if let record = account(result, source: restore.source) {
                new.outputs[restore.path] = record
                report.cached += 1
            }
        }
        restores = []
        return unavailable
    }

    /// Builds `collections` when a page to render may read it: its source
    /// names it, its last render read it, it was never rendered, or it
    /// paginates over it. A page that reads it unexpectedly is re-rendered
    /// once collections exist (see `render`).
    mutating func prepareCollections(for toRender: [SiteFile], allPages: [SiteFile]) {
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

    mutating func buildCollections(_ pages: [SiteFile]) {
        guard collections == nil else { return }
        var entries: [CollectionEntry] = []
        for file in pages {
            guard let page = source(of: file.path), !page.isDraft, !page.permalinkDisabled else { continue }
            if let spec = page.pagination, spec.dataPath.hasPrefix("collections") { continue }
            if page.data["eleventyExcludeFromCollections"]?.isTruthy == true { continue }
            let date = date(of: page, file: file)
            guard let outputs = try? renderer.plan(page, date: date, collections: nil) else { continue }
            for output in outputs {
                let item = JSObject()
                item["url"] = .string(output.url)
                item["inputPath"] = .string("./" + page.path)
                item["outputPath"] = .string(renderer.outputPrefix + output.outputPath)
                item["fileSlug"] = .string(Permalink.fileSlug(forInput: page.path))
                item["date"] = .string(PageDate.isoString(date))
                // The page's own front matter object, shared, not copied:
                // collections of large sites must stay small.
                item["data"] = .object(page.data)
                entries.append(CollectionEntry(inputPath: page.path, date: date, tags: page.tags, item: item))
            }
        }
        collections = Collections.build(entries)
    }

    /// Computes every output of the pages to render and refuses collisions
    /// (two sources, one output path: an error naming both).
    mutating func plan(_ toRender: [SiteFile]) -> [SiteFile] {
        plans = [:]
        var kept: [SiteFile] = []
        for file in toRender {
            guard let page = source(of: file.path) else { continue }
            if page.pagination?.dataPath.hasPrefix("collections") == true, collections == nil {
                buildCollections(files.filter { if case .page = $0.kind { return true } else { return false } })
            }
            do {
                let outputs = try renderer.plan(page, date: date(of: page, file: file), collections: collections)
                var collision = false
                for output in outputs {
                    if let owner = claimed[output.outputPath], owner != file.path {
                        report.errors.append(SiteError(file: builder.errorPrefix + file.path, message: "output \(output.outputPath) is also written by \(builder.errorPrefix + owner)"))
                        collision = true
                    }
                }
                if collision { continue }
                for output in outputs { claimed[output.outputPath] = file.path }
                plans[file.path] = outputs
                kept.append(file)
            } catch {
                report.errors.append(error.prefixed(builder.errorPrefix))
            }
        }
        return kept
    }
}
