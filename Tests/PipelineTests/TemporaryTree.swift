import Foundation

/// A temporary directory with helpers to write and read files in it;
/// removed when the test is done with it.
final class TemporaryTree {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "unjucksd-pipeline-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` at `relative`, creating directories.
    func write(_ relative: String, _ text: String) {
        let target = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func bytes(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path + "/" + relative).map { [UInt8]($0) }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relative)
    }

    /// Modification time in nanoseconds (to tell whether a file was rewritten).
    func mtime(_ relative: String) -> Int {
        var st = stat()
        guard stat(path + "/" + relative, &st) == 0 else { return -1 }
        return st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec
    }

    func inode(_ relative: String) -> UInt64 {
        var st = stat()
        guard stat(path + "/" + relative, &st) == 0 else { return 0 }
        return UInt64(st.st_ino)
    }
}
