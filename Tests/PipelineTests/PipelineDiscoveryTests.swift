import Testing
@testable import Pipeline

@Suite struct PipelineDiscoveryTests {
    @Test func findsYAMLFilesOfADirectoryInNameOrder() {
        let tree = TemporaryTree()
        tree.write("pipelines/b.yaml", "steps: []\n")
        tree.write("pipelines/a.yml", "steps: []\n")
        tree.write("pipelines/_shared.yaml", "x: 1\n")
        tree.write("pipelines/.hidden.yaml", "x: 1\n")
        tree.write("pipelines/a/services.yaml", "[]\n")
        tree.write("pipelines/README.md", "#\n")
        let found = PipelineDiscovery.pipelineFiles(at: tree.path + "/pipelines")
        #expect(found == [tree.path + "/pipelines/a.yml", tree.path + "/pipelines/b.yaml"])
        #expect(PipelineDiscovery.pipelineFiles(at: tree.path + "/pipelines/b.yaml") == [tree.path + "/pipelines/b.yaml"])
        #expect(PipelineDiscovery.pipelineFiles(at: tree.path + "/pipelines/README.md").isEmpty)
        #expect(PipelineDiscovery.pipelineFiles(at: tree.path + "/missing").isEmpty)
    }

    @Test func summaryLineCountsEverything() {
        var report = PipelineReport(name: "news", file: "pipelines/news.yaml")
        report.filesWritten = 3
        report.compressed = 2
        report.seconds = 0.5
        #expect(report.summaryLine == "news: 3 written, 0 unchanged, 0 removed, 0 skipped, 0 injected, 2 compressed, 0 errors in 0.50 s")
    }

    @Test func runAllBuildsEveryPipelineOfADirectory() {
        let tree = TemporaryTree()
        tree.write("pipelines/one.yaml", "steps:\n  - copy: a.txt\n")
        tree.write("pipelines/one/a.txt", "1")
        tree.write("pipelines/two.yaml", "steps:\n  - copy: b.txt\n")
        tree.write("pipelines/two/b.txt", "2")
        let reports = PipelineRunner.runAll(at: [tree.path + "/pipelines"], outputRoot: tree.path + "/out", jobs: 1)
        #expect(reports.map(\.name) == ["one", "two"])
        #expect(reports.allSatisfy { $0.errors.isEmpty && $0.filesWritten == 1 })
        #expect(tree.read("out/one/a.txt") == "1" && tree.read("out/two/b.txt") == "2")
    }
}
