import Foundation

/// Walks a site directory and lists its files with their stat. Follows
/// symlinks to files and directories but never leaves a cycle: a directory
/// already on the walk (same device and inode) or a dangling/looping link is
/// reported as a problem instead of recursed into.
public struct SiteScanner: Sendable {
    public struct Problem: Sendable, Equatable {
        public let path: String
        public let message: String
    }

    public struct Result: Sendable {
        public var files: [SiteFile] = []
        public var problems: [Problem] = []
    }

    public let root: String
    /// Absolute paths never descended into (e.g. the output directory).
    public let excluded: Set<String>
    /// `node_modules` and what `.eleventyignore` names: not listed at all.
    public let ignore: IgnoreRules

    /// `ignore` defaults to the rules of the site at `root`.
    public init(root: String, excluded: Set<String> = [], ignore: IgnoreRules? = nil) {
        self.root = root
        self.excluded = excluded
        self.ignore = ignore ?? IgnoreRules(root: root)
    }

    public func scan() -> Result {
        var result = Result()
        var st = stat()
        guard stat(root, &st) == 0 else {
            result.problems.append(Problem(path: root, message: "cannot read site directory: \(String(cString: strerror(errno)))"))
            return result
        }
        // The directories from the root down to the one being listed (a
        // path, so a short array: no set to hash into).
        var ancestors = [DirectoryID(st)]
        walk(absolute: root, relative: "", ancestors: &ancestors, into: &result)
        result.files.sort { $0.path < $1.path }
        return result
    }

    private struct DirectoryID: Equatable {
        let device: UInt64
        let inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    /// Lists one directory and recurses. Entries are stat'ed relative to
    /// the directory's descriptor (`fstatat`): no path walk from the root
    /// for each of thousands of files.
    private func walk(absolute: String, relative: String, ancestors: inout [DirectoryID], into result: inout Result) {
        let fd = open(absolute, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let dir = fdopendir(fd) else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            result.problems.append(Problem(path: relative.isEmpty ? "." : relative, message: "cannot open directory: \(reason)"))
            return
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        names.sort()
        let prefix = relative.isEmpty ? "" : relative + "/"
        for name in names {
            if relative.isEmpty && name == ".unjucksd" { continue }
            let childRelative = prefix + name
            var st = stat()
            let failed = fstatat(fd, name, &st, 0) != 0
            let failure = failed ? errno : 0
            // Excluded paths are directories (the output roots): the full
            // path is only built for those, not for every file.
            if failed || (st.st_mode & S_IFMT) == S_IFDIR, !excluded.isEmpty, excluded.contains(absolute + "/" + name) { continue }
            if failed {
                let reason = failure == ELOOP ? "symlink loop" : String(cString: strerror(failure))
                result.problems.append(Problem(path: childRelative, message: "cannot read: \(reason)"))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if ignore.ignoresDirectory(childRelative) { continue }
                let id = DirectoryID(st)
                if ancestors.contains(id) {
                    result.problems.append(Problem(path: childRelative, message: "symlink loop: directory links back to one of its parents"))
                    continue
                }
                ancestors.append(id)
                walk(absolute: absolute + "/" + name, relative: childRelative, ancestors: &ancestors, into: &result)
                ancestors.removeLast()
            } else if (st.st_mode & S_IFMT) == S_IFREG, !ignore.namesFile(childRelative) {
                result.files.append(SiteFile(path: childRelative, kind: SiteFile.classify(childRelative), stat: FileStat(st)))
            }
        }
    }
}
