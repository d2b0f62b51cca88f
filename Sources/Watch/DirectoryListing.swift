import Glibc

/// One entry of a directory, without following symbolic links.
struct DirectoryEntry {
    let name: String
    let isDirectory: Bool
}

enum DirectoryListing {
    /// The entries of `path` (without "." and ".."), or nil if it cannot be read.
    static func entries(of path: String) -> [DirectoryEntry]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let type = Int(entry.pointee.d_type)
            let isDirectory: Bool
            if type == Int(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            } else {
                isDirectory = type == Int(DT_DIR)
            }
            result.append(DirectoryEntry(name: name, isDirectory: isDirectory))
        }
        return result
    }

    /// True if `path` is a directory (symbolic links not followed).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
