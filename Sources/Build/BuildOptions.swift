import Foundation
import Nunjucks

/// How a build runs: where outputs go, how many workers, engine options.
public struct BuildOptions: Sendable {
    /// `--out`: site NAME is written to `<outputRoot>/NAME/`.
    public var outputRoot: String = "out"
    /// `--jobs`: render workers (default: the number of cores).
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Nunjucks options for every page (autoescape on, as Eleventy).
    public var engine = EnvironmentOptions()
    /// Part of every page key: a new engine or unjucksd version renders anew.
    public var engineVersion = "unjucksd-engine-1"
    /// Page bodies read while scanning are kept for rendering, up to this
    /// many bytes, instead of being read from disk a second time; beyond
    /// it only front matter is kept (memory then does not grow with the
    /// bytes of the site). `unjucksd build` lowers it under a memory limit.
    public var retainedBodyBytes = 16 << 20
    /// Rendered bytes gathered before they are stored in the cache in one
    /// transaction (about three batches are held at a time). Lowered under
    /// a memory limit.
    public var storeBatchBytes = 4 << 20
    /// Called as pages finish rendering, and as outputs are restored from
    /// the cache (a batch at a time): (done, total). For the TTY progress bar.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init() {}
}
