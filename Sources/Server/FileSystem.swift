#if canImport(Glibc)
import Glibc
#endif

/// The few file-system calls the preview needs, without Foundation.
enum FileSystem {
    /// The canonical absolute path (symlinks resolved), or `nil` if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `stat(2)` of `path`, or `lstat(2)` when not following symlinks (a symlink is then neither file nor directory).
    static func identity(of path: String, followingSymlinks: Bool = true) -> FileIdentity? {
        var info = stat()
        guard (followingSymlinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        let mode = info.st_mode & S_IFMT
        return FileIdentity(
            inode: UInt64(info.st_ino), size: Int(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            isDirectory: mode == S_IFDIR, isRegularFile: mode == S_IFREG)
    }

    /// The whole file, or `nil` when it cannot be read.
    static func readFile(_ path: String, expectedSize: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: expectedSize)
        var offset = 0
        while offset < expectedSize {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, expectedSize - offset) }
            if n < 0 { return nil }
            if n == 0 { break }
            offset += n
        }
        if offset < expectedSize { bytes.removeSubrange(offset...) }
        return bytes
    }
}
