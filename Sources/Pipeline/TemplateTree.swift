import Foundation

/// Lists files of a template tree as sorted relative paths. Hidden names
/// (`.x`) are never listed; directories starting with `_` (`_layouts`,
/// `_includes`, `_data`, `_templates`) only when asked for. Files starting
/// with `_` are listed (`__init__.py`, `_redirects`). Directory symlinks
/// are not followed, so a link loop cannot hang a build; links to files
/// are listed only when the file is inside the tree (nothing outside the
/// tree is read, as for sites).
enum TemplateTree {
    static func files(in root: String, under relative: String = "", includeUnderscored: Bool) -> [String] {
        var result: [String] = []
        let realRoot = OutputTree.realPath(root) ?? root
        walk(root: root, realRoot: realRoot, relative: relative, includeUnderscored: includeUnderscored, into: &result)
        return result.sorted()
    }

    private static func walk(root: String, realRoot: String, relative: String, includeUnderscored: Bool,
                             into result: inout [String]) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() {
            if name.hasPrefix(".") { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(root + "/" + child, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if !includeUnderscored && name.hasPrefix("_") { continue }
                walk(root: root, realRoot: realRoot, relative: child, includeUnderscored: includeUnderscored, into: &result)
            case S_IFREG: result.append(child)
            case S_IFLNK:
                // A link to a file inside the tree is a file; links to
                // directories, and to anything outside the tree, are skipped.
                var target = stat()
                if stat(root + "/" + child, &target) == 0, (target.st_mode & S_IFMT) == S_IFREG,
                   let real = OutputTree.realPath(root + "/" + child), real.hasPrefix(realRoot + "/") {
                    result.append(child)
                }
            default: break
            }
        }
    }

    /// Whether `relative` is a directory of the tree.
    static func isDirectory(_ root: String, _ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
