import Cache
import Site
import Synchronization

/// Looking up and storing the site action (see `SiteAction`).
extension SiteBuildRun {
    /// How many of a build's pages must be new to it (no record of their
    /// bytes: a cold build, a fresh clone, a branch switch) before it looks
    /// up the site action, and stores one when it had to build without.
    /// Below it the per-page records and cache entries are as quick, and an
    /// incremental build does not pay for encoding every page's record.
    static let siteActionThreshold = 64

    /// The scan's second half when parsing was deferred: records the hashes
    /// just read, looks the site action up, then parses (on every core) the
    /// pages still without a collection key — after a hit the undated ones,
    /// after a miss all — from the bytes kept, or read again.
    mutating func lookUpSiteActionThenParse(_ stale: [SiteFile], _ results: inout [ScannedFile], budget: borrowing Atomic<Int>) {
        // The site action's key needs every file's hash.
        for (file, result) in zip(stale, results) {
            if let hash = result.hash { new.files[file.path] = BuildState.FileRecord(stat: file.stat, hash: hash, collectionKey: nil) }
        }
        lookUpSiteAction()
        let toParse = stale.indices.filter { index in
            guard case .unparsedPage = results[index] else { return false }
            return new.files[stale[index].path]?.collectionKey == nil
        }
        let root = builder.root, scanned = results
        let parsedPages = ParallelMap.run(toParse) { index -> ScannedFile in
            guard case .unparsedPage(let kept, let hash) = scanned[index], case .page(let format) = stale[index].kind,
                  let bytes = kept ?? FileBytes.read(root + "/" + stale[index].path) else { return .unreadable }
            return SiteBuildRun.parse(stale[index], format: format, bytes: bytes, hash: hash, budget: budget)
        }
        for (index, result) in zip(toParse, parsedPages) { results[index] = result }
    }

    /// Looks up the site action for the inputs just hashed (every file must
    /// have its record). On a hit its pages are kept for `verifyEach` and the
    /// collection keys it carries are set, so those pages need no parsing.
    mutating func lookUpSiteAction() {
        guard let blobs = builder.blobs,
              let key = SiteAction.key(options: fingerprintOptions, files: files, records: new.files) else { return }
        siteActionKey = key
        report.siteAction = .missed
        guard let bytes = blobs.get(key), let action = SiteAction(encoded: bytes) else { return }
        report.siteAction = .hit
        // Referenced here too, with every output it names, so `cache gc`
        // keeps it and the outputs fetched for it in this machine's tier.
        writer.storeReferences([(key, [key] + action.pages.flatMap { $0.action.outputs.map(\.hash) })])
        siteActionPages.reserveCapacity(action.pages.count)
        for page in action.pages {
            guard let file = fileIndex[page.path], case .page = file.kind else { continue }
            siteActionPages[page.path] = page
            if let collectionKey = page.collectionKey { new.files[page.path]?.collectionKey = collectionKey }
        }
    }

    /// The action `verifyEach` takes for a page without a record of its own:
    /// the site action's, when recorded under the key the page has now.
    func siteActionRecord(of path: String, key: ContentHash) -> PageAction? {
        guard let page = siteActionPages[path], page.key == key else { return nil }
        return page.action
    }

    /// Stores the site action of a build that looked one up and found none,
    /// once every page built without error: every page's record, and the
    /// collection keys of dated pages (an undated page's depends on its
    /// file's mtime, which another machine does not share). Not when memory
    /// is tight: it is optional, and its bytes (a few MiB for 20,000 pages)
    /// are held at once.
    mutating func storeSiteAction() {
        guard let key = siteActionKey, report.siteAction == .missed, report.errors.isEmpty, failed.isEmpty,
              let blobs = builder.blobs, !builder.memoryIsTight() else { return }
        let pages = files.lazy.compactMap { [new, parsed] file -> SiteAction.Page? in
            guard case .page = file.kind, let record = new.pages[file.path] else { return nil }
            let dated = parsed[file.path].map { page in page.dateText.flatMap(PageDate.parse) != nil } ?? false
            return SiteAction.Page(path: file.path, key: record.key, collectionKey: dated ? new.files[file.path]?.collectionKey : nil,
                                   action: record.action)
        }
        // Not kept in memory (only a later build reads it) and compressed:
        // the bytes of a 20,000-page site's records would otherwise add a
        // fifth to a memory-limited build's peak.
        blobs.putArchived(key, SiteAction.encode(pages))
        // Referencing itself keeps it through `cache gc`, as page actions do.
        blobs.setActions([(key, [key])])
        report.siteAction = .stored
    }
}
