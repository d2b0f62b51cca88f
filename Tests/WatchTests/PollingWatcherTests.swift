import CInotify
import Foundation
import Testing
@testable import Watch

@Suite("PollingWatcher on real temp directories", .serialized)
struct PollingWatcherTests {
    let tree: TemporaryTree

    init() throws { tree = try TemporaryTree() }

    func watch() throws -> (PollingWatcher, BatchRecorder) {
        let configuration = WatchConfiguration(roots: [tree.root], excludedPaths: [tree.path("_site")],
                                               mode: .poll(interval: .milliseconds(30)))
        let watcher = try #require(Watcher.make(configuration) as? PollingWatcher)
        return (watcher, try startRecording(watcher))
    }

    @Test func detectsTheSameKindsOfChangeAsInotify() throws {
        tree.mkdir("posts")
        tree.mkdir("_site")
        tree.write("edit.md", "one")
        tree.write("atomic.md", "one")
        tree.write("gone.md")
        tree.write("old-name.md")
        tree.write("posts/inside.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }

        tree.write("edit.md", "two, longer")
        tree.write("atomic.tmp", "new content")
        tree.rename("atomic.tmp", "atomic.md")
        tree.remove("gone.md")
        tree.rename("old-name.md", "new-name.md")
        tree.rename("posts", "articles")
        tree.mkdir("fresh/deep")
        tree.write("fresh/deep/page.md")
        tree.write("_site/index.html")

        #expect(recorder.waitFor(
            changed: ["edit.md", "atomic.md", "new-name.md", "articles/inside.md", "fresh/deep/page.md"].map(tree.path),
            removed: ["gone.md", "old-name.md", "posts/inside.md"].map(tree.path)))
        #expect(!recorder.allChanged.contains(tree.path("_site/index.html")))
        #expect(!recorder.allChanged.contains(tree.path("atomic.tmp")))
    }

    @Test func chmodAloneTriggersNothing() throws {
        tree.write("page.md")
        let (watcher, recorder) = try watch()
        defer { watcher.stop() }
        tree.chmod("page.md", 0o600)
        usleep(150_000)
        #expect(recorder.all.isEmpty)
    }

    @Test func stopReturnsPromptly() throws {
        let watcher = PollingWatcher(WatchConfiguration(roots: [tree.root]), interval: .seconds(60))
        try watcher.start { _ in }
        let started = ContinuousClock.now
        watcher.stop()
        #expect(ContinuousClock.now - started < .milliseconds(500))
    }
}

@Suite("Batch accumulation and event decoding")
struct BatchAccumulationTests {
    @Test func lastEventWinsPerPath() {
        var pending = PendingBatch()
        let start = ContinuousClock.now
        pending.noteEvent(at: start)
        pending.markChanged("/r/created-then-removed")
        pending.markRemoved("/r/created-then-removed")
        pending.markRemoved("/r/removed-then-created")
        pending.markChanged("/r/removed-then-created")
        pending.noteEvent(at: start + .milliseconds(5))
        #expect(pending.deadline(settle: .milliseconds(20), maxDelay: .seconds(1)) == start + .milliseconds(25))
        #expect(pending.deadline(settle: .milliseconds(20), maxDelay: .milliseconds(10)) == start + .milliseconds(10))
        let batch = pending.take()
        #expect(batch.changed == ["/r/removed-then-created"])
        #expect(batch.removed == ["/r/created-then-removed"])
        #expect(batch.firstEventTime == start)
        #expect(batch.eventCount == 2)
        #expect(pending.isEmpty)
    }

    @Test func decodesNamesAfterTheFixedHeader() {
        var bytes: [UInt8] = []
        func append(wd: Int32, mask: Int32, name: String, padTo length: Int) {
            var header = inotify_event()
            header.wd = wd
            header.mask = UInt32(bitPattern: mask)
            header.cookie = 7
            header.len = UInt32(length)
            withUnsafeBytes(of: &header) { bytes.append(contentsOf: $0) }
            var nameBytes = Array(name.utf8)
            nameBytes += Array(repeating: 0, count: length - nameBytes.count)
            bytes += nameBytes
        }
        append(wd: 1, mask: IN_CREATE, name: "page.md", padTo: 16)
        append(wd: 2, mask: IN_Q_OVERFLOW, name: "", padTo: 0)
        append(wd: 3, mask: IN_MOVED_TO | IN_ISDIR, name: "ünïcode dir", padTo: 32)
        let events = bytes.withUnsafeBytes { InotifyEvent.decode($0) }
        #expect(events.map(\.name) == ["page.md", "", "ünïcode dir"])
        #expect(events[0].has(IN_CREATE) && !events[0].isDirectory)
        #expect(events[1].has(IN_Q_OVERFLOW))
        #expect(events[2].isDirectory && events[2].cookie == 7 && events[2].watchDescriptor == 3)
    }

    @Test func filterMatchesPrefixesOnComponentBoundaries() {
        let filter = PathFilter(WatchConfiguration(roots: ["/site"], excludedPaths: ["/site/_site", "/site/a/../b/"]))
        #expect(filter.excludes("/site/_site"))
        #expect(filter.excludes("/site/_site/index.html"))
        #expect(!filter.excludes("/site/_site2/index.html"))
        #expect(filter.excludes("/site/b/x"))
        #expect(filter.skipsDirectory(named: ".git", at: "/site/.git"))
        #expect(filter.skipsDirectory(named: ".unjucksd", at: "/site/.unjucksd"))
        #expect(!filter.skipsDirectory(named: "posts", at: "/site/posts"))
    }
}

@Suite("Poll interval parsing")
struct PollIntervalTests {
    @Test(arguments: [("500ms", Duration.milliseconds(500)), ("2s", .seconds(2)), ("1.5s", .milliseconds(1500)),
                      ("3", .seconds(3)), ("1m", .seconds(60)), (" 250 ms ", .milliseconds(250))])
    func parses(text: String, expected: Duration) throws {
        #expect(try PollInterval.parse(text) == expected)
    }

    @Test(arguments: ["", "fast", "0", "-1s", "2h", "0.1ms", "1e9s"])
    func rejects(text: String) {
        #expect(throws: PollInterval.ParseError(text: text)) { try PollInterval.parse(text) }
    }
}
