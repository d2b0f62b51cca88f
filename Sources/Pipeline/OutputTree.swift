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
    /// Files the pipeline owns: removed by a later run that no longer
    /// produces them. Files made with `unless_exists` (people edit them)
    /// and files that were only injected into are not owned.
    private(set) var owned: Set<String> = []

    /// Lists the owned files of the last run, one relative path a line.
    static let manifestName = ".unjucksd-pipeline-manifest"

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

    /// A produced file (owned).
    mutating func put(_ path: String, _ bytes: [UInt8]) {
        files[path] = bytes
        owned.insert(path)
    }

    /// New contents for a file, its ownership unchanged (injections).
    mutating func update(_ path: String, _ bytes: [UInt8]) {
        files[path] = bytes
    }

    /// Marks a file as not owned (created with `unless_exists`).
    mutating func disown(_ path: String) {
        owned.remove(path)
    }

    /// Adopts a file kept from an earlier run (`unless_exists`) so later
    /// steps (compress) see it; it is not rewritten.
    mutating func keep(_ path: String) {
        if files[path] == nil, let bytes = diskBytes(path) { files[path] = bytes }
    }

    struct FlushResult {
        var written = 0
        var unchanged = 0
        var removed = 0
        var errors: [SiteError] = []
    }

    /// Writes every file whose bytes differ from the disk, atomically.
    /// With `removeStale`, also removes files the previous run owned and
    /// this one did not produce, and records what this run owns.
    func flush(removeStale: Bool) -> FlushResult {
        var result = FlushResult()
        if removeStale { removeStaleFiles(into: &result) }
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

    /// Files listed in the previous manifest that this run did not produce.
    private func removeStaleFiles(into result: inout FlushResult) {
        let manifest = absolute(OutputTree.manifestName)
        let previous = FileManager.default.contents(atPath: manifest).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for line in previous.split(separator: "\n") {
            // Only plain relative paths inside the directory; never follow links.
            guard case .success(let path) = OutputPath.normalize(String(line)), path == String(line),
                  files[path] == nil, isInside(absolute((path as NSString).deletingLastPathComponent)) else { continue }
            var st = stat()
            guard lstat(absolute(path), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(absolute(path)) == 0 {
                result.removed += 1
                removeEmptyParents(of: path)
            } else {
                result.errors.append(SiteError(file: absolute(path), message: "cannot remove stale output: \(String(cString: strerror(errno)))"))
            }
        }
        let listing = owned.sorted().map { $0 + "\n" }.joined()
        if listing != previous {
            do {
                if listing.isEmpty { unlink(manifest) } else { try AtomicFileWriter.write(Array(listing.utf8), to: manifest) }
            } catch {
                result.errors.append(SiteError(file: error.path, message: error.reason))
            }
        }
    }

    /// rmdir the emptied directories between `path` and the output directory.
    private func removeEmptyParents(of path: String) {
        var parent = (path as NSString).deletingLastPathComponent
        while !parent.isEmpty, rmdir(absolute(parent)) == 0 {
            parent = (parent as NSString).deletingLastPathComponent
        }
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
