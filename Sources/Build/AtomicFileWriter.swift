import Foundation
import Synchronization

/// Writes files so that a reader (or a crash) never sees a half-written one:
/// the bytes go to a temporary sibling, are flushed, and the temporary is
/// renamed over the target. Parent directories are created as needed.
public enum AtomicFileWriter {
    /// Suffix of temporary files; a crash may leave one, the next build removes it.
    public static let temporarySuffix = ".unjucksd-tmp"

    /// Unique temporary names without a syscall per file.
    private static let sequence = Atomic<UInt64>(0)
    private static let processID = getpid()

    /// When the parent directories of a written file are made.
    public enum DirectoryCreation: Sendable {
        /// Before the file is opened (`mkdir -p` first: for new files).
        case first
        /// Only when opening fails because one is missing (for files
        /// written before, whose directory is almost always there).
        case whenMissing
    }

    /// Writes `bytes` to `path` atomically and returns the file's stat (taken
    /// before the rename, which does not change it).
    @discardableResult
    public static func write(_ bytes: some Collection<UInt8>, to path: String, durable: Bool = false,
                             directories: DirectoryCreation = .first) throws(OutputError) -> stat {
        if directories == .first { try makeDirectories(parentDirectory(of: path)) }
        let number = sequence.add(1, ordering: .relaxed).newValue
        let temporary = "\(path).\(processID).\(number)\(temporarySuffix)"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT && directories == .whenMissing {
            try makeDirectories(parentDirectory(of: path))
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw OutputError(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        let ok = bytes.withContiguousStorageIfAvailable { buffer in writeAll(fd, buffer) } ?? writeAll(fd, Array(bytes))
        if ok && durable { fsync(fd) }
        var info = stat()
        fstat(fd, &info)
        close(fd)
        guard ok else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(path: path, reason: "cannot write: \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(path: path, reason: "cannot rename into place: \(reason)")
        }
        return info
    }

    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { writeAll(fd, $0) }
    }

    /// `mkdir -p`. Tries `mkdir` first: one syscall for the usual case of a
    /// new directory in an existing parent.
    public static func makeDirectories(_ path: String) throws(OutputError) {
        if path.isEmpty || path == "/" { return }
        if mkdir(path, 0o755) == 0 { return }
        switch errno {
        case EEXIST:
            // Usually a directory; if it is a file, opening a file inside
            // it fails with ENOTDIR, which names the problem.
            return
        case ENOENT:
            try makeDirectories(parentDirectory(of: path))
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        default:
            break
        }
        throw OutputError(path: path, reason: "cannot create directory: \(String(cString: strerror(errno)))")
    }

    /// `path` without its last component ("a/b/c" -> "a/b", "c" -> "",
    /// "/c" -> "/"): `NSString.deletingLastPathComponent` without its
    /// slash normalisation, which showed in profiles of writing 4,000 files.
    public static func parentDirectory(of path: String) -> String {
        var utf8 = path.utf8[...]
        while utf8.count > 1, utf8.last == UInt8(ascii: "/") { utf8 = utf8.dropLast() }
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == utf8.startIndex { return "/" }
        return String(Substring(utf8[..<slash]))
    }
}

/// A failure writing or removing an output file.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
