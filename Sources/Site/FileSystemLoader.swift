import Foundation
import Nunjucks

/// Loads templates from directories. Names resolve from the roots in
/// order; names starting with `./` or `../` resolve against the directory
/// of the template that contains the tag. Nothing outside the roots is
/// ever read, including through symbolic links.
public struct FileSystemLoader: TemplateLoader {
    /// The roots as given.
    public let roots: [String]
    private let realRoots: [String]

    /// A name that would leave the roots, or a file that cannot be read.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(roots: [String]) {
        self.roots = roots
        self.realRoots = roots.map { RelativePath.realPath($0) ?? $0 }
    }

    public func load(_ name: String, relativeTo parent: String?) throws -> TemplateSource? {
        let relative: String
        if name.hasPrefix("./") || name.hasPrefix("../"), let parent {
            let directory = parent.split(separator: "/", omittingEmptySubsequences: true).dropLast().joined(separator: "/")
            relative = directory.isEmpty ? name : directory + "/" + name
        } else {
            relative = name
        }
        guard !name.hasPrefix("/"), let normalized = RelativePath.normalize(relative) else {
            throw LoadError(description: "template name \"\(name)\" resolves outside the template roots")
        }
        for root in realRoots {
            let path = root + "/" + normalized
            guard let real = RelativePath.realPath(path) else { continue }
            guard real.hasPrefix(root + "/") else {
                throw LoadError(description: "template \"\(name)\" is a link to outside the template roots")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: real) else {
                throw LoadError(description: "cannot read template \"\(name)\"")
            }
            return TemplateSource(name: normalized, source: String(decoding: data, as: UTF8.self))
        }
        return nil
    }
}
