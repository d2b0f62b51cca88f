import Cache
import Foundation
import Nunjucks
import Site
import Synchronization

/// What a worker hands back for one page.
private enum PageOutcome: @unchecked Sendable {
    /// Rendered and stored: the page's templates and what each output became.
    case rendered(path: String, result: PageRenderResult, stored: [(path: String, stored: OutputWriter.Stored)], urls: [String])
    case failed(path: String, error: SiteError)
}

extension SiteBuildRun {
    /// Renders the planned pages on the worker pool. Workers write their
    /// outputs as they finish; this thread records results as they arrive
    /// (nothing per page is held for the whole build). A page that read
    /// `collections` although none were built is rendered again once they are.
    mutating func render(_ toRender: [SiteFile]) {
        guard !toRender.isEmpty else { return }
        defer { writer.flush() }
        // `inputPathToUrl`'s map, made only if a page asks: the URL each
        // page renders at now, else the one its record has.
        let planned = plans, earlier = earlierPlans, recorded = new.pages, previous = old.pages, pageFiles = files
        renderer!.inputURLs.reset {
            var urls: [String: String] = [:]
            for file in pageFiles where file.kind.isPage {
                let path = file.path
                if let url = planned[path]?.first?.url ?? earlier[path]?.url ?? recorded[path]?.action.urls.first ?? previous[path]?.action.urls.first {
                    urls[path] = url
                }
            }
            return urls
        }
        var pending = toRender
        for _ in 0..<2 {
            let again = renderBatch(pending)
            guard !again.isEmpty else { break }
            buildCollections(files.filter(\.kind.isPage))
            pending = plan(again)
        }
    }

    /// Submits pages one at a time (the bounded queue holds only a few
    /// bodies in memory) and records outcomes while submitting. Returns the
    /// pages to render again with collections.
    private mutating func renderBatch(_ pages: [SiteFile]) -> [SiteFile] {
        let outcomes = Mutex<[PageOutcome]>([])
        let done = Atomic<Int>(0)
        let total = pages.count
        let renderer = self.renderer!
        let collections = self.collections
        let progress = builder.options.progress
        let writer = self.writer!
        let provisional = collections == nil
        var again: [SiteFile] = []
        for (index, file) in pages.enumerated() {
            guard let parsedPage = source(of: file.path), let outputs = plans.removeValue(forKey: file.path) else { continue }
            let urls = outputs.map(\.url)
            let date = date(of: parsedPage, file: file)
            let bytes = contents.removeValue(forKey: file.path)
            // A body kept from the scan goes to the worker; the build keeps
            // the front matter only.
            if parsedPage.hasBody { parsed[file.path] = parsedPage.retained(keepingBody: false) }
            let root = builder.root
            builder.pool.submit {
                let outcome: PageOutcome
                do {
                    // The body is read here, on the worker, not on the build thread.
                    var page = parsedPage
                    if !page.hasBody {
                        guard let data = bytes ?? FileBytes.read(root + "/" + parsedPage.path) else {
                            throw SiteError(file: parsedPage.path, message: "cannot read file")
                        }
                        page = parsedPage.restoringBody(from: String(decoding: data, as: UTF8.self))
                    }
                    var result = try renderer.render(page, date: date, outputs: outputs, collections: collections)
                    // A page that read collections before they existed is
                    // rendered again; its first output is not written.
                    var stored: [(path: String, stored: OutputWriter.Stored)] = []
                    if !(provisional && result.usesCollections) {
                        for output in result.outputs {
                            stored.append((output.outputPath, writer.store(output.bytes, at: output.outputPath, source: page.path)))
                        }
                        result.outputs = []
                    }
                    outcome = .rendered(path: page.path, result: result, stored: stored, urls: urls)
                } catch let error as SiteError {
                    outcome = .failed(path: parsedPage.path, error: error)
                } catch {
                    outcome = .failed(path: parsedPage.path, error: SiteError(file: parsedPage.path, message: "\(error)"))
                }
                outcomes.withLock { $0.append(outcome) }
                let n = done.add(1, ordering: .relaxed).newValue
                progress?(n, total)
            }
            if index % 64 == 63 {
                handle(outcomes.withLock { queue in defer { queue.removeAll(keepingCapacity: true) }; return queue }, again: &again)
            }
        }
        builder.pool.waitUntilIdle()
        handle(outcomes.withLock { $0 }, again: &again)
        return again
    }

    /// Records finished pages in one cache transaction.
    private mutating func handle(_ outcomes: [PageOutcome], again: inout [SiteFile]) {
        guard !outcomes.isEmpty else { return }
        var records: [(path: String, result: PageRenderResult, stored: [(path: String, stored: OutputWriter.Stored)], urls: [String])] = []
        for outcome in outcomes {
            switch outcome {
            case .failed(let path, let error):
                failed.insert(path)
                report.errors.append(error.prefixed(builder.errorPrefix))
            case .rendered(let path, let result, let stored, let urls):
                if result.usesCollections && collections == nil {
                    again.append(fileIndex[path]!)
                    continue
                }
                records.append((path, result, stored, urls))
            }
        }
        for r in records { record(path: r.path, result: r.result, stored: r.stored, urls: r.urls) }
    }

    /// Records a rendered page: its outputs in the manifest, its action in
    /// the state and the cache.
    private mutating func record(path: String, result: PageRenderResult, stored: [(path: String, stored: OutputWriter.Stored)], urls: [String]) {
        var outputs: [(path: String, hash: ContentHash)] = []
        var outputRecords: [(path: String, record: BuildState.OutputRecord)] = []
        for (outputPath, result) in stored {
            outputs.append((outputPath, result.hash))
            report.rendered += 1
            report.pages += 1
            if let record = account(result, source: path) {
                new.outputs[outputPath] = record
                outputRecords.append((outputPath, record))
            }
        }
        // The page's own file is not listed: its hash is part of the key.
        // So pages with the same layout chain record equal lists, kept once.
        let names = result.templates.filter { $0 != path }.sorted()
        let templates: [(path: String, hash: ContentHash)]
        if let shared = templateLists[names] {
            templates = shared
        } else {
            let missing = ContentHash.of("")
            templates = names.map { ($0, new.files[$0]?.hash ?? missing) }
            templateLists[names] = templates
        }
        let fingerprint = result.readsOtherPages ? contentsFingerprint() : result.usesCollections ? collectionsFingerprint : nil
        let action = PageAction(templates: templates, collectionsFingerprint: fingerprint, outputs: outputs, urls: urls)
        let key = key(of: fileIndex[path]!)
        let record = BuildState.PageRecord(key: key, action: action)
        new.pages[path] = record
        writer.storeRendered(page: (path, record), outputs: outputRecords)
    }
}
