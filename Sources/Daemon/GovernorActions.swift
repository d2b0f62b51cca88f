import Build
import Governor
import Synchronization

/// Carries out the memory governor's decisions on the daemon's builder,
/// cache and rebuild scheduler.
final class GovernorActions: GovernorDelegate {
    /// What applies to any build (workers, memory tier, read-ahead, SQLite).
    private let build: BuilderGovernorActions
    private let daemon: Mutex<WeakDaemon>

    struct WeakDaemon: @unchecked Sendable { weak var value: Daemon? }

    init(daemon: Daemon) {
        build = BuilderGovernorActions(builder: daemon.builder)
        self.daemon = Mutex(WeakDaemon(value: daemon))
    }

    private var target: Daemon? { daemon.withLock { $0.value } }

    func setConcurrency(_ workers: Int) { build.setConcurrency(workers) }
    func shrinkMemoryCache(toFraction fraction: Double) { build.shrinkMemoryCache(toFraction: fraction) }
    func dropMemoryCache() { build.dropMemoryCache() }
    func setReadAhead(_ enabled: Bool) { build.setReadAhead(enabled) }

    /// Besides the build's SQLite page caches: decorated preview pages and
    /// render environments, which are rebuilt on demand.
    func releaseMemory() {
        build.releaseMemory()
        guard let daemon = target else { return }
        daemon.previewBox.withLock { $0 }?.removeAll()
        daemon.renderers.removeAll()
    }

    func setRebuildsPaused(_ paused: Bool) {
        guard let daemon = target else { return }
        daemon.configuration.log(paused
            ? "governor: memory critical; file-triggered rebuilds wait (each at most \(daemon.scheduler.maxPausedWait), then runs with one worker)"
            : "governor: rebuilds resume")
        daemon.scheduler.setPaused(paused)
    }
}
