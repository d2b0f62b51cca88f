import Build
import Foundation
import Site

/// Runs one pipeline file: reads it, runs its steps in order, and writes
/// what they produced into the output directory (default `OUTPUT_ROOT/NAME/`).
/// Every error is collected, each with file, line and column; outputs that
/// did succeed are still written. Output is deterministic: a re-run with
/// the same inputs produces the same bytes and writes nothing.
public struct PipelineRunner: Sendable {
    /// The pipeline file (`pipelines/NAME.yaml`), as messages should name it.
    public let file: String
    /// `--out`: pipelines write to `outputRoot/NAME/` unless `output:` says otherwise.
    public let outputRoot: String
    /// Worker threads for rendering and compressing within a step.
    public let jobs: Int
    /// Where compressed results are kept by content address (the build's
    /// cache), so unchanged files are not compressed again; nil: always compress.
    public let blobs: (any BlobStore)?

    public init(file: String, outputRoot: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                blobs: (any BlobStore)? = nil) {
        self.file = file
        self.outputRoot = outputRoot
        self.jobs = max(1, jobs)
        self.blobs = blobs
    }

    public func run() -> PipelineReport {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = execute()
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    private func execute() -> PipelineReport {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var report = PipelineReport(name: stem, file: file)
        guard let bytes = FileManager.default.contents(atPath: file) else {
            report.errors.append(SiteError(file: file, message: "cannot read pipeline file"))
            return report
        }
        guard let text = String(validating: [UInt8](bytes), as: UTF8.self) else {
            report.errors.append(SiteError(file: file, message: "pipeline file is not valid UTF-8"))
            return report
        }
        let config: PipelineConfig
        switch PipelineConfig.parse(file: file, text: text) {
        case .success(let parsed): config = parsed
        case .failure(let failure):
            report.errors = failure.errors
            return report
        }
        report.name = config.name
        let directory: String
        switch outputDirectory(for: config) {
        case .success(let resolved): directory = resolved
        case .failure(let error):
            report.errors.append(error)
            return report
        }
        report.outputDirectory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config.templatesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            report.errors.append(SiteError(file: file, line: config.templatesMark.line, column: config.templatesMark.column,
                                           message: "template tree '\(config.templatesDirectory)' is not a directory (set 'templates:')"))
            return report
        }
        let run = PipelineRun(config: config, outputDirectory: directory, jobs: jobs, blobs: blobs)
        return run.execute(into: report)
    }

    /// What a watcher should watch to rebuild this pipeline when its inputs
    /// change: the pipeline file, its template tree, and data files outside
    /// the tree. Just the file when it cannot be parsed.
    public func watchedPaths() -> [String] {
        guard let bytes = FileManager.default.contents(atPath: file),
              case .success(let config) = PipelineConfig.parse(file: file, text: String(decoding: bytes, as: UTF8.self)) else {
            return [file]
        }
        var paths = [file, config.templatesDirectory]
        for entry in config.dataFiles {
            let path = config.templatesDirectory + "/" + entry.path.value
            let standardized = (path as NSString).standardizingPath
            if !standardized.hasPrefix((config.templatesDirectory as NSString).standardizingPath + "/") { paths.append(path) }
        }
        return paths
    }

    /// `output:` under the output root; leaving it needs `outside_root: true`.
    func outputDirectory(for config: PipelineConfig) -> Result<String, SiteError> {
        let root = outputRoot.hasSuffix("/") && outputRoot.count > 1 ? String(outputRoot.dropLast()) : outputRoot
        guard let output = config.output else { return .success(root + "/" + config.name) }
        if config.outputOutsideRoot {
            let raw = output.value.trimmingWhitespace()
            return .success(raw.hasPrefix("/") ? raw : root + "/" + raw)
        }
        switch OutputPath.normalize(output.value) {
        case .success(let relative):
            return .success(root + "/" + relative)
        case .failure(let refusal):
            let message: String
            if case .escapes = refusal {
                message = "output '\(output.value)' is outside the output root '\(root)' (add 'outside_root: true' under 'output' to allow it)"
            } else {
                message = "output: \(refusal)"
            }
            return .failure(SiteError(file: config.file, line: output.mark.line, column: output.mark.column, message: message))
        }
    }
}
