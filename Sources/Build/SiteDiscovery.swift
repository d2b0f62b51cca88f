import Foundation
import Site

/// Finds the sites a PATH names: a site directory itself, or a directory
/// whose subdirectories are sites (contract: "a directory of sites (each
/// subdirectory is a site), one site directory, or a pipeline file").
public enum SiteDiscovery {
    public struct FoundSite: Sendable, Equatable {
        public let name: String
        public let root: String

        public init(name: String, root: String) {
            self.name = name
            self.root = root
        }
    }

    /// Marks of a site directory: `site.yaml`, one of the `_` folders, or a
    /// page at its top level.
    public static func isSite(_ directory: String) -> Bool {
        let manager = FileManager.default
        for mark in ["site.yaml", "site.yml", "_layouts", "_includes", "_data"] where manager.fileExists(atPath: directory + "/" + mark) {
            return true
        }
        let entries = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        return entries.contains { name in
            !name.hasPrefix(".") && !name.hasPrefix("_")
                && [".njk", ".md", ".html", ".markdown"].contains { name.hasSuffix($0) }
        }
    }

    public static func sites(at path: String) -> [FoundSite] {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        if isSite(trimmed) {
            let name = RelativePath.absolute(trimmed).split(separator: "/").last.map(String.init) ?? "/"
            return [FoundSite(name: name, root: trimmed)]
        }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: trimmed)) ?? []).sorted()
        return entries.compactMap { name in
            guard !name.hasPrefix("."), !name.hasPrefix("_") else { return nil }
            var isDirectory: ObjCBool = false
            let child = trimmed + "/" + name
            guard FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            return FoundSite(name: name, root: child)
        }
    }
}
