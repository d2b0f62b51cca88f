import Foundation
import Testing
@testable import Watch

@Suite("InotifyWatcher on real temp directories", .serialized)
struct InotifyWatcherTests {
    let tree: TemporaryTree

    init() throws { tree = try TemporaryTree() }

    func watch(_ configure: (inout WatchConfiguration) -> Void = { _ in }) throws -> (InotifyWatcher, BatchRecorder) {
        var configuration = WatchConfiguration(roots: [tree.root])
        configure(&configuration)
        let watcher = try InotifyWatcher(configuration)
        return (watcher, try startRecording(watcher))
    }

    @Test func writeInPlaceIsAChange() throws {
        tree.write("page.md", "one")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.write("page.md", "two")
        #expect(recorder.waitFor(changed: [tree.path("page.md")]))
        #expect(recorder.allRemoved.isEmpty)
        #expect(recorder.all.allSatisfy { !$0.needsRescan })
    }

    @Test func atomicSaveByRenameOverIsAChange() throws {
        tree.write("page.md", "one")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.write("page.md.tmp~1234", "two")
        tree.rename("page.md.tmp~1234", "page.md")
        #expect(recorder.waitFor(changed: [tree.path("page.md")], removed: [tree.path("page.md.tmp~1234")]))
    }

    @Test func vimStyleSaveIsAChange() throws {
        tree.write("page.md", "one")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.rename("page.md", "page.md~")
        tree.write("page.md", "two")
        tree.remove("page.md~")
        #expect(recorder.waitFor(changed: [tree.path("page.md")], removed: [tree.path("page.md~")]))
    }

    @Test func deleteThenCreateIsAChange() throws {
        tree.write("page.md", "one")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.remove("page.md")
        tree.write("page.md", "two")
        #expect(recorder.waitFor(changed: [tree.path("page.md")]))
    }

    @Test func deletionIsReported() throws {
        tree.write("page.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.remove("page.md")
        #expect(recorder.waitFor(removed: [tree.path("page.md")]))
        #expect(!recorder.allChanged.contains(tree.path("page.md")))
    }

    @Test func fileRenameReportsOldAndNewPath() throws {
        tree.write("a.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.rename("a.md", "b.md")
        #expect(recorder.waitFor(changed: [tree.path("b.md")], removed: [tree.path("a.md")]))
    }

    @Test func directoryRenameReportsEveryFileAndKeepsWatching() throws {
        tree.mkdir("posts/2024")
        tree.write("posts/one.md")
        tree.write("posts/2024/two.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.rename("posts", "articles")
        #expect(recorder.waitFor(
            changed: [tree.path("articles/one.md"), tree.path("articles/2024/two.md")],
            removed: [tree.path("posts/one.md"), tree.path("posts/2024/two.md")]))
        tree.write("articles/2024/three.md")
        #expect(recorder.waitFor(changed: [tree.path("articles/2024/three.md")]))
        #expect(!recorder.allChanged.contains { $0.hasPrefix(tree.path("posts/")) })
    }

    @Test func deletedDirectoryReportsItsFilesRemoved() throws {
        tree.mkdir("drafts/old")
        tree.write("drafts/a.md")
        tree.write("drafts/old/b.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.remove("drafts")
        #expect(recorder.waitFor(removed: [tree.path("drafts/a.md"), tree.path("drafts/old/b.md")]))
        // The kernel drops a removed directory's watch with IN_IGNORED, which
        // can arrive in a later read than the removals under load.
        #expect(recorder.wait { _ in watcher.statistics.watchesActive == 1 })
    }

    @Test func filesCreatedRightAfterMkdirAreAllReported() throws {
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.mkdir("fresh")
        let names = (0..<20).map { "fresh/file\($0).md" }
        for name in names { tree.write(name) }
        #expect(recorder.waitFor(changed: names.map(tree.path)))
        #expect(watcher.statistics.watchesActive == 2)
    }

    @Test func nestedMkdirPIsWatchedAllTheWayDown() throws {
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.mkdir("a/b/c/d")
        tree.write("a/b/c/d/deep.md")
        #expect(recorder.waitFor(changed: [tree.path("a/b/c/d/deep.md")]))
        tree.write("a/b/later.md")
        tree.write("a/b/c/d/later.md")
        #expect(recorder.waitFor(changed: [tree.path("a/b/later.md"), tree.path("a/b/c/d/later.md")]))
        #expect(watcher.statistics.watchesActive == 5)
    }

    @Test func aBurstOfAThousandFilesSettlesIntoFewBatches() throws {
        tree.mkdir("content")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        let names = (0..<1000).map { "content/page\($0).md" }
        var writeTimes: [ContinuousClock.Instant] = []
        for name in names {
            tree.write(name)
            writeTimes.append(.now)
        }
        #expect(recorder.waitFor(changed: names.map(tree.path), timeout: .seconds(10)))
        // On a loaded machine the writer itself may stall for longer than the
        // settle window; each such pause may legitimately start a new batch.
        let stalls = zip(writeTimes, writeTimes.dropFirst()).filter { $1 - $0 >= .milliseconds(15) }.count
        let duration = writeTimes.last! - writeTimes.first!
        let allowed = 2 + stalls + Int(duration / .milliseconds(500))
        let batches = recorder.all.count
        #expect(batches <= allowed, "1,000 writes in \(duration) with \(stalls) stalls arrived in \(batches) batches")
        #expect(watcher.statistics.eventsRead >= 1000)
    }

    @Test func chmodAloneTriggersNothing() throws {
        tree.write("page.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.chmod("page.md", 0o600)
        tree.chmod("page.md", 0o644)
        // Nothing may arrive: give it ten settle windows, then prove the watcher is alive.
        usleep(200_000)
        #expect(recorder.all.isEmpty)
        tree.write("sentinel.md")
        #expect(recorder.waitFor(changed: [tree.path("sentinel.md")]))
        #expect(!recorder.allChanged.contains(tree.path("page.md")))
    }

    @Test func excludedDirectoriesAreNeverWatched() throws {
        for directory in [".git/objects", "_site/blog", ".unjucksd", "node_modules/x", "src/private"] {
            tree.mkdir(directory)
        }
        let (watcher, recorder) = try watch {
            $0.excludedPaths = [tree.path("_site"), tree.path("src/private")]
        }
        defer { watcher.stop() }
        // root and src only.
        #expect(watcher.statistics.watchesActive == 2)
        for file in [".git/objects/ab", "_site/blog/index.html", ".unjucksd/cache.db", "node_modules/x/y.js",
                     "src/private/secret.md"] {
            tree.write(file)
        }
        tree.mkdir("_site/new")
        tree.write("_site/new/index.html")
        tree.write("src/page.md")
        #expect(recorder.waitFor(changed: [tree.path("src/page.md")]))
        usleep(100_000)
        #expect(recorder.allChanged == [tree.path("src/page.md")])
        #expect(watcher.statistics.watchesActive == 2)
    }

    @Test func batchesCarryTheTimeOfTheirFirstEvent() throws {
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        let before = ContinuousClock.now
        tree.write("page.md")
        #expect(recorder.waitFor(changed: [tree.path("page.md")]))
        let batch = try #require(recorder.all.first)
        #expect(batch.firstEventTime >= before)
        #expect(batch.firstEventTime <= ContinuousClock.now)
        #expect(batch.eventCount >= 1)
        #expect(watcher.statistics.batches == recorder.all.count)
    }

    @Test func stopReturnsPromptlyAndDeliversNothingAfterwards() throws {
        let (watcher, recorder) = try watch()
        let started = ContinuousClock.now
        watcher.stop()
        #expect(ContinuousClock.now - started < .milliseconds(500))
        watcher.stop()  // idempotent
        tree.write("late.md")
        usleep(100_000)
        #expect(recorder.all.isEmpty)
    }

    @Test func asyncStreamDeliversAndFinishesOnStop() async throws {
        let watcher = try InotifyWatcher(WatchConfiguration(roots: [tree.root]))
        let stream = try watcher.batches()
        tree.write("page.md")
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.changed.contains(tree.path("page.md")) == true)
        watcher.stop()
        #expect(await iterator.next() == nil)
    }

    @Test func watchBudgetExhaustionFallsBackToPollingLoudly() throws {
        tree.mkdir("big/sub")
        tree.write("big/sub/page.md", "one")
        let logs = LogRecorder()
        let (watcher, recorder) = try watch {
            $0.watchBudget = 1
            $0.fallbackPollInterval = .milliseconds(50)
            $0.logger = logs.logger
        }
        defer { watcher.stop() }
        #expect(recorder.wait { $0.all.contains { $0.needsRescan } })
        #expect(logs.all.contains { $0.contains("sysctl fs.inotify.max_user_watches=") })
        #expect(watcher.statistics.failedWatches >= 1)
        #expect(watcher.statistics.polledSubtrees == 1)
        #expect(watcher.statistics.rescans >= 1)
        tree.write("big/sub/page.md", "two, longer")
        tree.write("big/new.md")
        tree.write("top.md")
        #expect(recorder.waitFor(changed: [tree.path("big/sub/page.md"), tree.path("big/new.md"), tree.path("top.md")]))
    }

    @Test func polledSubtreesMoveBackToInotifyWhenWatchesAreFreed() throws {
        tree.mkdir("x")
        tree.mkdir("y")
        tree.write("x/a.md")
        tree.write("y/b.md")
        let (watcher, recorder) = try watch {
            $0.watchBudget = 2
            $0.fallbackPollInterval = .milliseconds(30)
        }
        defer { watcher.stop() }
        #expect(watcher.statistics.watchesActive == 2)
        #expect(watcher.statistics.polledSubtrees == 1)
        tree.remove("x")  // frees a watch, or removes the polled subtree
        #expect(recorder.waitFor(removed: [tree.path("x/a.md")]))
        #expect(recorder.wait { _ in watcher.statistics.polledSubtrees == 0 })
        #expect(watcher.statistics.watchesActive == 2)
        tree.write("y/b.md", "changed, and served by inotify now")
        tree.mkdir("y/new")
        tree.write("y/new/c.md")
        #expect(recorder.waitFor(changed: [tree.path("y/b.md"), tree.path("y/new/c.md")]))
    }

    @Test func queueOverflowAsksForARescan() throws {
        tree.write("a")
        tree.write("b")
        let logs = LogRecorder()
        let release = DispatchSemaphore(value: 0)
        let recorder = BatchRecorder()
        let watcher = try InotifyWatcher(WatchConfiguration(roots: [tree.root], logger: logs.logger))
        // The first batch blocks the reader thread while the kernel queue fills up.
        try watcher.start { batch in
            let isFirst = recorder.all.isEmpty
            recorder.record(batch)
            if isFirst { release.wait() }
        }
        defer { watcher.stop() }
        tree.write("first")
        #expect(recorder.wait { !$0.all.isEmpty })
        let queueLength = InotifySession.currentLimit("max_queued_events") ?? 16384
        let a = open(tree.path("a"), O_WRONLY), b = open(tree.path("b"), O_WRONLY)
        for _ in 0..<(queueLength / 2 + 100) {
            _ = Glibc.write(a, "x", 1)
            _ = Glibc.write(b, "y", 1)  // alternating, so the kernel cannot merge them
        }
        close(a)
        close(b)
        release.signal()
        #expect(recorder.wait { $0.all.contains { $0.needsRescan } })
        #expect(watcher.statistics.overflows >= 1)
        #expect(logs.all.contains { $0.contains("max_queued_events") })
        tree.write("after.md")
        #expect(recorder.waitFor(changed: [tree.path("after.md")]))
    }

    @Test func deliveryWaitsForTheSettleWindowAndNoLonger() throws {
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        let written = ContinuousClock.now
        tree.write("page.md")
        #expect(recorder.waitFor(changed: [tree.path("page.md")]))
        let delivered = ContinuousClock.now
        let batch = try #require(recorder.all.first)
        #expect(delivered - batch.firstEventTime >= .milliseconds(20))
        #expect(delivered - written < .milliseconds(250))
    }

    @Test func aNeverEndingStreamOfWritesIsStillDelivered() throws {
        let (watcher, recorder) = try watch { $0.maxBatchDelay = .milliseconds(100) }
        defer { watcher.stop() }
        let started = ContinuousClock.now
        var deliveredWhileWriting = false
        while ContinuousClock.now - started < .milliseconds(600) {
            tree.write("log.txt")
            usleep(5_000)
            if !recorder.all.isEmpty { deliveredWhileWriting = true }
        }
        #expect(deliveredWhileWriting)
        #expect(recorder.all.count >= 2)
    }

    @Test func severalRootsAreWatchedTogether() throws {
        let other = try TemporaryTree()
        let watcher = try InotifyWatcher(WatchConfiguration(roots: [tree.root, other.root]))
        let recorder = try startRecording(watcher)
        defer { watcher.stop() }
        tree.write("one.md")
        other.write("two.md")
        #expect(recorder.waitFor(changed: [tree.path("one.md"), other.path("two.md")]))
        #expect(watcher.statistics.watchesActive == 2)
    }

    @Test func factoryPicksTheWatcherForTheMode() {
        #expect(Watcher.make(WatchConfiguration(roots: [tree.root])) is InotifyWatcher)
        #expect(Watcher.make(WatchConfiguration(roots: [tree.root], mode: .poll(interval: .seconds(2))))
            is PollingWatcher)
    }

    @Test func missingRootIsAClearError() throws {
        let watcher = try InotifyWatcher(WatchConfiguration(roots: [tree.path("nope")]))
        #expect(throws: WatchError.notADirectory(tree.path("nope"))) { try watcher.start { _ in } }
    }
}
