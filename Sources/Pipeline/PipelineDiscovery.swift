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

extension PipelineRunner {
    /// Runs every pipeline the PATHs name (see `PipelineDiscovery`), one
    /// after another, in PATH then name order.
    public static func runAll(at paths: [String], outputRoot: String,
                              jobs: Int = ProcessInfo.processInfo.activeProcessorCount) -> [PipelineReport] {
        paths.flatMap(PipelineDiscovery.pipelineFiles).map {
            PipelineRunner(file: $0, outputRoot: outputRoot, jobs: jobs).run()
        }
    }
}

extension PipelineReport {
    /// `api-clients: 18 written, 0 unchanged, 0 removed, 3 skipped, 6 injected, 9 compressed, 0 errors in 0.07 s`
    public var summaryLine: String {
        "\(name): \(filesWritten) written, \(filesUnchanged) unchanged, \(filesRemoved) removed, \(filesSkipped) skipped, "
            + "\(filesInjected) injected, \(compressed) compressed, \(errors.count) error\(errors.count == 1 ? "" : "s") in "
            + String(format: "%.2f s", seconds)
    }
}
