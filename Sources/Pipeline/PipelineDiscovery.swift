import Foundation

/// Finds pipeline files for `unjucksd build [PATH...]`: a PATH that is a
/// `.yaml`/`.yml` file is one pipeline; a directory holds one pipeline per
/// `.yaml`/`.yml` file directly in it (`./pipelines`), in name order.
/// Hidden files and names starting with `_` are not pipelines.
public enum PipelineDiscovery {
    public static func isPipelineFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        guard !name.hasPrefix("."), !name.hasPrefix("_"), name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public static func pipelineFiles(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return isPipelineFile(path) ? [path] : [] }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.sorted().map { base + "/" + $0 }.filter(isPipelineFile)
    }
}
