import Foundation

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
