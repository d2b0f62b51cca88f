import Build
import Foundation
import Pipeline

/// What the PATH arguments hold right now: sites and pipeline files, found
/// the way `unjucksd build` finds them (a directory of `.yaml` files is a
/// directory of pipelines, whose subdirectories are template trees, not sites).
struct SourceSet: Sendable, Equatable {
    var sites: [SiteDiscovery.FoundSite] = []
    var pipelines: [String] = []

    static func discover(_ paths: [String]) -> SourceSet {
        var set = SourceSet()
        var names = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            var sites: [SiteDiscovery.FoundSite] = []
            if !isDirectory.boolValue {
                if PipelineDiscovery.isPipelineFile(path) { set.pipelines.append(path) }
            } else if SiteDiscovery.isSite(path) {
                sites = SiteDiscovery.sites(at: path)
            } else if case let found = PipelineDiscovery.pipelineFiles(at: path), !found.isEmpty {
                set.pipelines += found
            } else {
                sites = SiteDiscovery.sites(at: path)
            }
            for site in sites where names.insert(site.name).inserted { set.sites.append(site) }
        }
        return set
    }

    /// A pipeline's name (its output directory): the file name without `.yaml`.
    static func pipelineName(_ file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
