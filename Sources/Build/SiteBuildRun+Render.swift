import Cache
import Foundation
import Nunjucks
import Site
import Synchronization

/// What a worker hands back for one page.
private enum PageOutcome: @unchecked Sendable {
    case rendered(path: String, result: PageRenderResult)
    case failed(path: String, error: SiteError)
}

extension SiteBuildRun {
    /// Renders the planned pages on the worker pool. Workers write their
    /// outputs as they finish (nothing is held for the whole build); the
    /// records are gathered here. A page that read `collections` although
    /// none were built is rendered again once they are.
    mutating func render(_ toRender: [SiteFile]) {
        guard !toRender.isEmpty else { return }
        var pending = toRender
        for _ in 0..<2 {
            let outcomes = renderBatch(pending)
            var again: [SiteFile] = []
            for outcome in outcomes {
                switch outcome {
                case .failed(let path, let error):
                    failed.insert(path)
                    report.errors.append(error.prefixed(builder.errorPrefix))
                case .rendered(let path, let result):
                    if result.usesCollections && collections == nil {
                        again.append(files.first { $0.path == path }!)
                        continue
                    }
                    record(path: path, result: result)
                }
            }
            guard !again.isEmpty else { break }
            buildCollections(files.filter { if case .page = $0.kind { return true } else { return false } })
            pending = again
        }
    }

    private mutating func renderBatch(_ pages: [SiteFile]) -> [PageOutcome] {
        let outcomes = Mutex<[PageOutcome]>([])
        let done = Atomic<Int>(0)
        let total = pages.count
        let renderer = self.renderer!
        let collections = self.collections
        let progress = builder.options.progress
        var jobs: [(PageSource, Double, [PlannedOutput])] = []
        for file in pages {
            guard let page = source(of: file.path), let outputs = plans[file.path] else { continue }
            jobs.append((page, date(of: page, file: file), outputs))
        }
        for (page, date, outputs) in jobs {
            builder.pool.submit {
                let outcome: PageOutcome
                do {
                    let result = try renderer.render(page, date: date, outputs: outputs, collections: collections)
                    outcome = .rendered(path: page.path, result: result)
                } catch let error as SiteError {
                    outcome = .failed(path: page.path, error: error)
                } catch {
                    outcome = .failed(path: page.path, error: SiteError(file: page.path, message: "\(error)"))
                }
                outcomes.withLock { $0.append(outcome) }
                let n = done.add(1, ordering: .relaxed).newValue
                progress?(n, total)
            }
        }
        builder.pool.waitUntilIdle()
        return outcomes.withLock { $0 }
    }

    /// Writes a rendered page's outputs (when their bytes changed), stores
    /// them and the page's action in the cache, and records them.
    private mutating func record(path: String, result: PageRenderResult) {
        var outputs: [(path: String, hash: ContentHash)] = []
        for output in result.outputs {
            let hash = ContentHash.of(output.bytes)
            outputs.append((output.outputPath, hash))
            report.rendered += 1
            report.pages += 1
            builder.blobs?.put(hash, output.bytes)
            let absolute = builder.outputDirectory + "/" + output.outputPath
            if let previous = old.outputs[output.outputPath], previous.hash == hash, let stat = OutputFiles.fileStat(absolute),
               stat.size == previous.size, stat.mtimeNanoseconds == previous.mtimeNanoseconds {
                new.outputs[output.outputPath] = BuildState.OutputRecord(source: path, hash: hash, size: previous.size, mtimeNanoseconds: previous.mtimeNanoseconds)
                continue
            }
            if let record = write(output.bytes, to: output.outputPath, source: path, hash: hash) {
                new.outputs[output.outputPath] = record
            }
        }
        let missing = ContentHash.of("")
        let templates = result.templates.sorted().map { ($0, new.files[$0]?.hash ?? missing) }
        let action = PageAction(templates: templates, collectionsFingerprint: result.usesCollections ? collectionsFingerprint : nil, outputs: outputs)
        let key = key(of: files.first { $0.path == path }!)
        new.pages[path] = BuildState.PageRecord(key: key, action: action)
        builder.blobs?.put(key, action.encoded())
        // The page's key names both its action record and, for garbage
        // collection, the blobs it needs: the record itself and the outputs.
        builder.blobs?.setAction(key, outputs: [key] + outputs.map(\.hash))
    }
}
