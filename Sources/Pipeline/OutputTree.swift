import Build
import Foundation
import Site

/// The output directory of one run as the steps see it: files produced so
/// far in memory, over what is on disk from earlier runs. Steps read and
/// replace files here (an injection reads its target, a compress step
/// reads outputs); only `flush()` touches the disk, writing just the files
/// whose bytes differ from what is there, so a re-run with nothing changed
/// writes nothing.
struct OutputTree {
    let directory: String
    private(set) var files: [String: [UInt8]] = [:]

    init(directory: String) {
        self.directory = directory
    }

    var paths: [String] { files.keys.sorted() }

    func absolute(_ path: String) -> String { directory + "/" + path }

    /// Produced in this run, or a regular file on disk.
    func contains(_ path: String) -> Bool {
        files[path] != nil || diskBytes(path) != nil
    }

    /// The current bytes: produced in this run, else on disk.
    func read(_ path: String) -> [UInt8]? {
        files[path] ?? diskBytes(path)
    }

    mutating func put(_ path: String, _ bytes: [UInt8]) {
        files[path] = bytes
    }

    /// Adopts a file kept from an earlier run (`unless_exists`) so later
    /// steps (compress) see it; it is not rewritten.
    mutating func keep(_ path: String) {
        if files[path] == nil, let bytes = diskBytes(path) { files[path] = bytes }
    }

    struct FlushResult {
        var written = 0
        var unchanged = 0
        var errors: [SiteError] = []
    }

    /// Writes every file whose bytes differ from the disk, atomically.
    func flush() -> FlushResult {
        var result = FlushResult()
        if files.isEmpty { return result }
        do {
            try AtomicFileWriter.makeDirectories(directory)
        } catch {
            result.errors.append(SiteError(file: error.path, message: error.reason))
            return result
        }
        for path in paths {
            let bytes = files[path]!
            let target = absolute(path)
            if diskBytes(path) == bytes {
                result.unchanged += 1
                continue
            }
            guard isInside(target) else {
                result.errors.append(SiteError(file: target, message: "refusing to write through a symbolic link that leaves the output directory"))
                continue
            }
            do {
                try AtomicFileWriter.write(bytes, to: target)
                result.written += 1
            } catch {
                result.errors.append(SiteError(file: error.path, message: error.reason))
            }
        }
        return result
    }

    private func diskBytes(_ path: String) -> [UInt8]? {
        let target = absolute(path)
        var st = stat()
        guard stat(target, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, isInside(target),
              let data = FileManager.default.contents(atPath: target) else { return nil }
        return [UInt8](data)
    }

    /// Whether the deepest existing ancestor of `path` (or `path` itself)
    /// resolves inside the output directory, symbolic links followed.
    private func isInside(_ path: String) -> Bool {
        // No output directory yet: nothing of it exists to read or to follow.
        guard let realDirectory = OutputTree.realPath(directory) else { return true }
        var candidate = path
        while !candidate.isEmpty && candidate != "/" {
            if let real = OutputTree.realPath(candidate) {
                return real == realDirectory || real.hasPrefix(realDirectory + "/")
            }
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate { break }
            candidate = parent
        }
        // Nothing of it exists yet: it will be created under `directory`.
        return true
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
