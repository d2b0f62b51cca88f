import Foundation
import Site

/// What one site's build did, and what a whole `unjucksd build` did.
public struct SiteBuildReport: Sendable {
    public var site: String
    /// Pages (outputs of page sources) the site has.
    public var pages = 0
    /// Outputs rendered in this build.
    public var rendered = 0
    /// Outputs restored from the content-addressed cache without rendering.
    public var cached = 0
    /// Outputs already up to date on disk.
    public var skipped = 0
    /// Files written (pages and assets).
    public var written = 0
    /// Stale outputs removed.
    public var removed = 0
    public var assets = 0
    /// Pages whose front matter came from its stored form instead of being
    /// parsed again (see `BuildState+PageSources`).
    public var pagesFromStoredSources = 0
    /// What became of the site action (see `SiteAction`).
    public var siteAction = SiteActionUse.notLookedUp
    public var errors: [SiteError] = []
    public var seconds = 0.0
    /// Output files (relative to the site's output directory) this build
    /// wrote, and those it removed: what live reload and search need.
    public var writtenOutputs: [String] = []
    public var removedOutputs: [String] = []
    /// Whether the stored fingerprint showed nothing changed, so the build
    /// ended after scanning inputs and stat'ing outputs.
    public var upToDateByFingerprint = false
    /// Seconds spent in each phase (scan, verify, collections, plan, render, ...).
    public var phases: [(name: String, seconds: Double)] = []

    public init(site: String) { self.site = site }
}

/// Whether a build looked up the site action, found it, or stored one.
public enum SiteActionUse: String, Sendable {
    /// Few pages were new to the build (or there is no cache).
    case notLookedUp = "none"
    case hit
    /// Looked up, not found; the build then failed, or stored none.
    case missed
    /// Looked up, not found, stored at the end of the build.
    case stored
}

public struct BuildReport: Sendable {
    public var sites: [SiteBuildReport] = []
    public var seconds = 0.0
    public init() {}

    public var errors: [SiteError] { sites.flatMap(\.errors) }
    public var pages: Int { sites.reduce(0) { $0 + $1.pages } }
    public var rendered: Int { sites.reduce(0) { $0 + $1.rendered } }
    public var cached: Int { sites.reduce(0) { $0 + $1.cached } }
    public var skipped: Int { sites.reduce(0) { $0 + $1.skipped } }
    public var written: Int { sites.reduce(0) { $0 + $1.written } }
    public var removed: Int { sites.reduce(0) { $0 + $1.removed } }
}
