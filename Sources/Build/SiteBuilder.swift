import Cache
import Foundation
import Nunjucks
import Site
import Synchronization

/// Builds one site: decides what is stale from the persisted state, renders
/// only that on the worker pool, writes outputs atomically, removes stale
/// ones, and commits the new state. `build` and `watch` both call this.
public final class SiteBuilder: @unchecked Sendable {
    public let name: String
    /// The site directory as given (errors are printed relative to it).
    public let root: String
    public let outputDirectory: String
    public let options: BuildOptions
    let state: BuildState
    let blobs: BlobStore?
    let pool: WorkerPool
    /// Key of this site's rows in the state tables: a digest of the source
    /// and output directories, so one site built to two places keeps two
    /// manifests. Short, because it leads the key of every row (the full
    /// paths made each row of a 4,000-page site's state twice as long).
    public let stateKey: String
    /// Whether memory is tight now (the governor turned read-ahead off):
    /// optional work that holds much memory at once is skipped.
    let memoryIsTight: @Sendable () -> Bool

    public init(name: String, root: String, options: BuildOptions, state: BuildState, blobs: BlobStore?, pool: WorkerPool,
                memoryIsTight: @escaping @Sendable () -> Bool = { false }) {
        self.memoryIsTight = memoryIsTight
        self.name = name
        self.root = root
        self.options = options
        self.state = state
        self.blobs = blobs
        self.pool = pool
        outputDirectory = options.outputRoot + "/" + name
        stateKey = "site-" + ContentHash.of(RelativePath.absolute(root) + " -> " + RelativePath.absolute(outputDirectory)).hex.prefix(24)
    }

    /// Errors name files as `<root>/<path>`.
    var errorPrefix: String { root.hasSuffix("/") ? root : root + "/" }

    /// - Parameter changes: site-relative paths known to have changed since
    ///   the last build of this site; nil scans everything.
    public func build(changes: ChangeHint? = nil) -> SiteBuildReport {
        var run = SiteBuildRun(builder: self, changes: changes)
        return run.execute()
    }
}
