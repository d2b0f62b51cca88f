import Foundation

extension PipelineReport {
    /// `api-clients: 18 written, 0 unchanged, 0 removed, 3 skipped, 6 injected, 9 compressed, 0 errors in 0.07 s`
    public var summaryLine: String {
        "\(name): \(filesWritten) written, \(filesUnchanged) unchanged, \(filesRemoved) removed, \(filesSkipped) skipped, "
            + "\(filesInjected) injected, \(compressed) compressed, \(errors.count) error\(errors.count == 1 ? "" : "s") in "
            + String(format: "%.2f s", seconds)
    }
}
