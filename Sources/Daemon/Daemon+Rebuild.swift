import Build
import Foundation
import Metrics
import Pipeline
import Site

extension Daemon {
    /// How many recent builds `/status` keeps for the dashboard's chart.
    static let recentBuildCount = 60
    /// Above this many changed pages a `changed` event asks every page to reload.
    static let maxChangedURLsPerEvent = 200

    /// Runs one rebuild on the scheduler's thread (never two at once).
    func rebuild(_ request: RebuildRequest) {
        var builder = self.builder
        var names: Set<String>? = request.everything ? nil : []
        var pipelines = state.withLock { $0.pipelines }
        // Sites or pipelines may have appeared or vanished under a PATH directory.
        if request.rescan || request.everything || touchesUnknownPaths(request, sites: builder.sites) {
            let discovered = SourceSet.discover(configuration.sitePaths)
            if discovered.pipelines != pipelines {
                configuration.log("watch: pipelines now: \(discovered.pipelines.map(SourceSet.pipelineName).joined(separator: ", "))")
                pipelines = discovered.pipelines
                state.withLock { $0.pipelines = discovered.pipelines }
            }
            if discovered.sites != builder.sites {
                let added = Set(discovered.sites.map(\.name)).subtracting(builder.sites.map(\.name))
                let gone = Set(builder.sites.map(\.name)).subtracting(discovered.sites.map(\.name))
                if !added.isEmpty { configuration.log("watch: new site\(added.count == 1 ? "" : "s"): \(added.sorted().joined(separator: ", "))") }
                if !gone.isEmpty { configuration.log("watch: site\(gone.count == 1 ? "" : "s") gone: \(gone.sorted().joined(separator: ", "))") }
                if let fresh = replaceBuilder(sites: discovered.sites) {
                    builder = fresh
                    names?.formUnion(added)
                    for name in gone {
                        outputs.forget(site: name)
                        indexer.removeSite(name)
                        renderers.invalidate(name)
                        state.withLock { _ = $0.siteErrors.removeValue(forKey: name) }
                    }
                }
            }
        }
        let siteRoots = builder.sites.map { (name: $0.name, root: RelativePath.absolute($0.root) + "/") }
        let touched = request.changed.union(request.removed)
        var pipelinesToRun = pipelines
        if names != nil {
            for site in siteRoots where touched.contains(where: { $0.hasPrefix(site.root) }) {
                names?.insert(site.name)
            }
            // A pipeline reruns when its file or anything beside it (its template trees, data) changed.
            let outsideSites = touched.filter { path in !siteRoots.contains { path.hasPrefix($0.root) } }
            pipelinesToRun = pipelines.filter { file in
                let directory = RelativePath.absolute((file as NSString).deletingLastPathComponent) + "/"
                return outsideSites.contains { $0.hasPrefix(directory) }
            }
            if names?.isEmpty == true && pipelinesToRun.isEmpty { return }
        }
        let sitesBuilt = builder.sites.map(\.name).filter { names?.contains($0) ?? true } + pipelinesToRun.map(SourceSet.pipelineName)
        state.withLock { $0.building = request.trigger }
        events.publish(event: "build-started", data: JSONText.encode(BuildStartedEvent(trigger: request.trigger, sites: sitesBuilt)))

        let started = Date()
        // Watch batches name every path that changed: the builder updates its
        // file list from them instead of stat'ing the whole tree.
        let hint = request.everything || request.rescan ? nil : ChangeHint(changed: request.changed, removed: request.removed)
        let report = names?.isEmpty == true ? BuildReport() : builder.build(only: names, changes: hint)
        let options = builder.options
        let pipelineReports = pipelinesToRun.map {
            PipelineRunner(file: $0, outputRoot: options.outputRoot, jobs: options.jobs, blobs: builder.cache).run()
        }
        let latency = request.firstEvent.map { (ContinuousClock.now - $0).seconds }

        let record = state.withLock { state -> BuildRecord in
            state.buildCount += 1
            let record = BuildRecord(number: state.buildCount, trigger: request.trigger, started: started, report: report,
                                     pipelines: pipelineReports, seconds: Date().timeIntervalSince(started),
                                     latency: request.trigger == .watch ? latency : nil)
            state.lastBuild = record
            state.recentBuilds.append(record)
            if state.recentBuilds.count > Daemon.recentBuildCount { state.recentBuilds.removeFirst() }
            state.firstBuildFinished = true
            return record
        }
        metrics.recordBuild(succeeded: record.succeeded, seconds: record.seconds)
        metrics.pagesRendered.increment(by: UInt64(max(0, report.rendered)))
        configuration.log(record.summary)
        for error in report.errors + pipelineReports.flatMap(\.errors) { configuration.log(error.description) }

        // Sites and pipelines alike: their output is previewed under /sites/NAME/.
        let outcomes = report.sites.map { (name: $0.site, errors: $0.errors, wrote: $0.written + $0.removed > 0) }
            + pipelineReports.map { (name: $0.name, errors: $0.errors, wrote: $0.filesWritten + $0.filesRemoved > 0) }
        let siteReports = Dictionary(report.sites.map { ($0.site, $0) }, uniquingKeysWith: { $1 })
        for outcome in outcomes {
            let previousErrors = state.withLock { state in
                let previous = state.siteErrors.updateValue(outcome.errors, forKey: outcome.name) ?? []
                if previous != outcome.errors { state.decorationGeneration += 1 }
                return previous
            }
            renderers.invalidate(outcome.name)
            var urls: [String] = []
            if let site = siteReports[outcome.name], !outputs.files(of: outcome.name).isEmpty {
                // The builder says what it wrote and removed: no need to walk the output tree.
                if outcome.wrote {
                    urls = applyOutputs(of: outcome.name, outputRoot: options.outputRoot, written: site.writtenOutputs, removed: site.removedOutputs)
                }
            } else if outcome.wrote || outputs.files(of: outcome.name).isEmpty {
                urls = refreshOutputs(of: outcome.name, outputRoot: options.outputRoot)
            }
            let failureChanged = previousErrors.isEmpty != outcome.errors.isEmpty || !outcome.errors.isEmpty
            if !urls.isEmpty || failureChanged {
                // An empty list reloads every open page: used for error overlays and big changes.
                let listed = failureChanged || urls.count > Daemon.maxChangedURLsPerEvent ? [] : urls
                events.publish(event: "changed", data: JSONText.encode(ChangedEvent(site: outcome.name, urls: listed)))
            }
        }
        state.withLock { $0.building = nil }
        metricsFeed.invalidateCacheStats()
        events.publish(event: record.succeeded ? "build-finished" : "build-failed", data: JSONText.encode(record))
        refreshMetrics()
    }

    /// Whether a request names paths outside every known site (a new site's files).
    func touchesUnknownPaths(_ request: RebuildRequest, sites: [SiteDiscovery.FoundSite]) -> Bool {
        let roots = sites.map { RelativePath.absolute($0.root) + "/" }
        return request.changed.contains { path in !roots.contains { path.hasPrefix($0) } }
            || sites.contains { !FileManager.default.fileExists(atPath: $0.root) }
    }

    /// Like `refreshOutputs`, from the lists a site build reports.
    func applyOutputs(of site: String, outputRoot: String, written: [String], removed: [String]) -> [String] {
        let directory = outputRoot + "/" + site
        let difference = outputs.apply(site: site, directory: directory, written: written, removed: removed)
        indexer.enqueue(site: site, directory: directory, changed: difference.changed, removed: difference.removed)
        return (difference.changed + difference.removed).map(OutputTracker.url(forOutput:))
    }

    /// Hands what changed in a site's output to the search indexer; returns the changed URLs.
    func refreshOutputs(of site: String, outputRoot: String) -> [String] {
        let directory = outputRoot + "/" + site
        let difference = outputs.refresh(site: site, directory: directory)
        indexer.enqueue(site: site, directory: directory, changed: difference.changed, removed: difference.removed)
        return (difference.changed + difference.removed).map(OutputTracker.url(forOutput:))
    }
}

/// Data of the `build-started` event.
struct BuildStartedEvent: Codable {
    var trigger: RebuildRequest.Trigger
    var sites: [String]
}

/// Data of the `changed` event (see `LiveReloadScript`): the URLs within the
/// site that were rebuilt; an empty list reloads every page.
struct ChangedEvent: Codable {
    var site: String
    var urls: [String]
}
