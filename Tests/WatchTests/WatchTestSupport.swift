import Foundation
import Synchronization
@testable import Watch

/// A scratch directory tree under /tmp, removed when the value goes away.
final class TemporaryTree: Sendable {
    let root: String

    init() throws {
        var template = Array("/tmp/unjucksd-watch-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw WatchError.systemCall("mkdtemp", errno: errno) }
        root = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Opens (creating or truncating) and writes in place, like most editors' plain save.
    func write(_ relative: String, _ text: String = "content \(UInt64.random(in: 0...UInt64.max))") {
        let fd = open(path(relative), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(relative): \(errno)")
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    func mkdir(_ relative: String) {
        try! FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func rename(_ from: String, _ to: String) {
        precondition(Glibc.rename(path(from), path(to)) == 0, "rename \(from) \(to): \(errno)")
    }

    func remove(_ relative: String) {
        try! FileManager.default.removeItem(atPath: path(relative))
    }

    func chmod(_ relative: String, _ mode: mode_t) {
        precondition(Glibc.chmod(path(relative), mode) == 0)
    }
}

/// Collects delivered batches and waits for conditions with deadlines.
final class BatchRecorder: Sendable {
    private let batches = Mutex<[WatchBatch]>([])

    var all: [WatchBatch] { batches.withLock { $0 } }

    func record(_ batch: WatchBatch) { batches.withLock { $0.append(batch) } }

    /// The net effect of all batches so far, in order: path -> true if changed, false if removed.
    var net: [String: Bool] {
        var result: [String: Bool] = [:]
        for batch in all {
            for path in batch.removed { result[path] = false }
            for path in batch.changed { result[path] = true }
        }
        return result
    }

    var allChanged: Set<String> { all.reduce(into: []) { $0.formUnion($1.changed) } }
    var allRemoved: Set<String> { all.reduce(into: []) { $0.formUnion($1.removed) } }

    /// Waits until `condition` holds or `timeout` passes; returns whether it held.
    @discardableResult
    func wait(timeout: Duration = .seconds(5), until condition: (BatchRecorder) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            usleep(2_000)
        }
        return condition(self)
    }

    /// Waits until every path in `changed` is net-changed and every one in `removed` is net-removed.
    @discardableResult
    func waitFor(changed: [String] = [], removed: [String] = [], timeout: Duration = .seconds(5)) -> Bool {
        wait(timeout: timeout) { recorder in
            let net = recorder.net
            return changed.allSatisfy { net[$0] == true } && removed.allSatisfy { net[$0] == false }
        }
    }
}

/// Log lines captured from a watcher.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: WatchLogger { { [self] line in lines.withLock { $0.append(line) } } }
}

/// Starts `watcher` recording into a fresh recorder.
func startRecording(_ watcher: any FileWatcher) throws -> BatchRecorder {
    let recorder = BatchRecorder()
    try watcher.start { recorder.record($0) }
    return recorder
}
