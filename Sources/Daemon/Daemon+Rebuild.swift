import Build
import Foundation
import Metrics
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
        // Sites may have appeared or vanished under a directory of sites.
        if request.rescan || request.everything || touchesUnknownPaths(request, sites: builder.sites) {
            let discovered = discoverSites()
            if discovered != builder.sites {
                let added = Set(discovered.map(\.name)).subtracting(builder.sites.map(\.name))
                let gone = Set(builder.sites.map(\.name)).subtracting(discovered.map(\.name))
                if !added.isEmpty { configuration.log("watch: new site\(added.count == 1 ? "" : "s"): \(added.sorted().joined(separator: ", "))") }
                if !gone.isEmpty { configuration.log("watch: site\(gone.count == 1 ? "" : "s") gone: \(gone.sorted().joined(separator: ", "))") }
                if let fresh = replaceBuilder(sites: discovered) {
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
        if names != nil {
            for site in builder.sites {
                let root = Daemon.absolute(site.root) + "/"
                if request.changed.contains(where: { $0.hasPrefix(root) }) || request.removed.contains(where: { $0.hasPrefix(root) }) {
                    names?.insert(site.name)
                }
            }
            if names?.isEmpty == true { return }
        }
        let sitesBuilt = builder.sites.map(\.name).filter { names?.contains($0) ?? true }
        state.withLock { $0.building = request.trigger }
        events.publish(event: "build-started", data: JSONText.encode(BuildStartedEvent(trigger: request.trigger, sites: sitesBuilt)))

        let started = Date()
        let report = builder.build(only: names)
        let latency = request.firstEvent.map { (ContinuousClock.now - $0).seconds }

        let record = state.withLock { state -> BuildRecord in
            state.buildCount += 1
            let record = BuildRecord(number: state.buildCount, trigger: request.trigger, started: started, report: report,
                                     latency: request.trigger == .watch ? latency : nil)
            state.lastBuild = record
            state.recentBuilds.append(record)
            if state.recentBuilds.count > Daemon.recentBuildCount { state.recentBuilds.removeFirst() }
            state.firstBuildFinished = true
            return record
        }
        metrics.recordBuild(succeeded: record.succeeded, seconds: report.seconds)
        metrics.pagesRendered.increment(by: UInt64(max(0, report.rendered)))
        configuration.log(record.summary)
        for error in report.errors { configuration.log(error.description) }

        for siteReport in report.sites {
            let previousErrors = state.withLock { state in
                let previous = state.siteErrors.updateValue(siteReport.errors, forKey: siteReport.site) ?? []
                if previous != siteReport.errors { state.decorationGeneration += 1 }
                return previous
            }
            renderers.invalidate(siteReport.site)
            var urls: [String] = []
            if siteReport.written > 0 || siteReport.removed > 0 || outputs.files(of: siteReport.site).isEmpty {
                urls = refreshOutputs(of: siteReport.site, outputRoot: builder.options.outputRoot)
            }
            let failureChanged = previousErrors.isEmpty != siteReport.errors.isEmpty || !siteReport.errors.isEmpty
            if !urls.isEmpty || failureChanged {
                // An empty list reloads every open page: used for error overlays and big changes.
                let listed = failureChanged || urls.count > Daemon.maxChangedURLsPerEvent ? [] : urls
                events.publish(event: "changed", data: JSONText.encode(ChangedEvent(site: siteReport.site, urls: listed)))
            }
        }
        state.withLock { $0.building = nil }
        metricsFeed.invalidateCacheStats()
        events.publish(event: record.succeeded ? "build-finished" : "build-failed", data: JSONText.encode(record))
        refreshMetrics()
    }

    /// Whether a request names paths outside every known site (a new site's files).
    func touchesUnknownPaths(_ request: RebuildRequest, sites: [SiteDiscovery.FoundSite]) -> Bool {
        let roots = sites.map { Daemon.absolute($0.root) + "/" }
        return request.changed.contains { path in !roots.contains { path.hasPrefix($0) } }
            || sites.contains { !FileManager.default.fileExists(atPath: $0.root) }
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
