import Foundation
import Testing
@testable import Pipeline

/// Pipelines run end to end on temporary trees: real files, real engine.
@Suite struct PipelineRunnerTests {
    private func run(_ tree: TemporaryTree, _ name: String = "p", jobs: Int = 2) -> PipelineReport {
        PipelineRunner(file: tree.path + "/pipelines/\(name).yaml", outputRoot: tree.path + "/out", jobs: jobs).run()
    }

    private func messages(_ report: PipelineReport, relativeTo tree: TemporaryTree) -> [String] {
        report.errors.map { $0.description.replacingOccurrences(of: tree.path + "/", with: "") }
    }

    @Test func renderAppliesFrontMatterDataAndLayoutChains() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            vars: { siteTitle: Acme }
            steps:
              - render: "**/*.njk"
            """)
        tree.write("pipelines/p/_layouts/base.njk", "<title>{{ title }} | {{ siteTitle }}</title>{{ content }}")
        tree.write("pipelines/p/_layouts/page.njk", "---\nlayout: base.njk\n---\n<main>{{ content }}</main>")
        tree.write("pipelines/p/index.njk", "---\ntitle: Home\nlayout: page.njk\n---\n<p>{{ title | upper }} & co</p>")
        tree.write("pipelines/p/feed.xml.njk", "<feed>{{ pipeline.name }}</feed>")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/index.html") == "<title>Home | Acme</title><main><p>HOME & co</p></main>")
        #expect(tree.read("out/p/feed.xml") == "<feed>p</feed>")
        #expect(report.filesWritten == 2)
        #expect(!tree.exists("out/p/_layouts"))
    }

    @Test func markdownRendersThroughNunjucksMarkdownAndALayout() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            steps:
              - markdown: "issues/*.md"
                layout: issue.njk
                to: "{{ file.name }}/index.html"
            """)
        tree.write("pipelines/p/_layouts/issue.njk", "<article><h1>{{ title }}</h1>{{ content }}</article>\n")
        tree.write("pipelines/p/issues/001.md", "---\ntitle: First\n---\n# Hello {{ title }}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let html = tree.read("out/p/001/index.html") ?? ""
        #expect(html.hasPrefix("<article><h1>First</h1><h1>Hello First</h1>"))
        #expect(html.contains("<table>"))
    }

    @Test func copyKeepsBytesAndHonoursExclude() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            steps:
              - copy: "assets/**"
                exclude: "**/*.psd"
                to: "static/{{ file.path }}"
              - copy: "assets/css/*.css"
                to: "{{ file.stem }}.{{ file.base }}{{ file.ext }}"
            """)
        tree.write("pipelines/p/assets/css/site.css", "body { color: red }\n")
        tree.write("pipelines/p/assets/logo.psd", "binary")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/static/assets/css/site.css") == "body { color: red }\n")
        #expect(tree.exists("out/p/assets/css/site.site.css.css"))
        #expect(!tree.exists("out/p/static/assets/logo.psd"))
    }

    @Test func compressWritesDeterministicGzipSiblings() throws {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            steps:
              - copy: "*.txt"
              - compress: "**/*.txt"
                min_size: 10
            """)
        let text = String(repeating: "compress me please\n", count: 100)
        tree.write("pipelines/p/big.txt", text)
        tree.write("pipelines/p/tiny.txt", "x")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.compressed == 1)
        let gz = try #require(tree.bytes("out/p/big.txt.gz"))
        #expect(Array(gz[4..<8]) == [0, 0, 0, 0])
        #expect(try Gzip.decompress(gz) == Array(text.utf8))
        #expect(!tree.exists("out/p/tiny.txt.gz"))
        // A second run produces the same bytes and rewrites nothing.
        let inode = tree.inode("out/p/big.txt.gz")
        let again = run(tree)
        #expect(again.filesWritten == 0 && again.filesUnchanged == 3)
        #expect(tree.bytes("out/p/big.txt.gz") == gz)
        #expect(tree.inode("out/p/big.txt.gz") == inode)
    }

    @Test func generateWritesOneFilePerItemWithToTemplatesAndCaseFilters() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            data: { services: services.yaml }
            steps:
              - generate: _templates/client.ts.njk
                each: services
                as: service
            """)
        tree.write("pipelines/p/services.yaml", "- name: user profile\n  path: /users\n- name: billing-account\n  path: /billing\n")
        tree.write("pipelines/p/_templates/client.ts.njk", """
            ---
            to: src/{{ service.name | kebabCase }}.client.ts
            ---
            export class {{ service.name | pascalCase }}Client {
              readonly {{ service.name | camelCase }}Path = "{{ service.path }}"; // {{ index }} {{ service.name | constantCase }}
            }

            """)
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/src/user-profile.client.ts") == """
            export class UserProfileClient {
              readonly userProfilePath = "/users"; // 0 USER_PROFILE
            }

            """)
        #expect(tree.read("out/p/src/billing-account.client.ts")?.contains("BillingAccountClient") == true)
        #expect(report.filesWritten == 2)
    }

    @Test func emptyToSkipsTheFileAsHygenDoes() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "vars: { items: [{n: a, on: true}, {n: b, on: false}] }\nsteps:\n  - generate: t.njk\n    each: items\n")
        tree.write("pipelines/p/t.njk", "---\nto: \"{% if item.on %}{{ item.n }}.txt{% endif %}\"\n---\n{{ item.n }}\n")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/a.txt") == "a\n")
        #expect(!tree.exists("out/p/b.txt"))
        #expect(report.filesSkipped == 1)
    }

    /// The api-clients pattern: a barrel created once, each client injected
    /// after a marker; re-runs must change nothing.
    private func injectionTree() -> TemporaryTree {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            vars:
              services: [{name: users}, {name: orders}]
            steps:
              - generate: _templates/barrel.njk
              - inject: _templates/entry.njk
                each: services
                as: service
              - inject: _templates/footer.njk
              - inject: _templates/header.njk
            """)
        tree.write("pipelines/p/_templates/barrel.njk", """
            ---
            to: index.ts
            unless_exists: true
            ---
            // exports
            // end exports

            """)
        tree.write("pipelines/p/_templates/entry.njk", """
            ---
            to: index.ts
            before: ^// end exports
            skip_if: from './{{ service.name }}'
            ---
            export * from './{{ service.name }}';

            """)
        tree.write("pipelines/p/_templates/footer.njk", "---\nto: index.ts\nappend: true\nskip_if: ^// generated\n---\n// generated\n")
        tree.write("pipelines/p/_templates/header.njk", "---\nto: index.ts\nat_line: 0\nskip_if: eslint-disable\n---\n/* eslint-disable */\n")
        return tree
    }

    @Test func injectBeforeAfterAtLineAndAppendIntoAnExistingFile() {
        let tree = injectionTree()
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/index.ts") == """
            /* eslint-disable */
            // exports
            export * from './users';
            export * from './orders';
            // end exports
            // generated

            """)
        #expect(report.filesInjected == 4)
        #expect(report.filesWritten == 1)
    }

    @Test func reRunningInjectionsIsIdempotentAndWritesNothing() {
        let tree = injectionTree()
        _ = run(tree)
        let first = tree.read("out/p/index.ts")
        let stamp = tree.mtime("out/p/index.ts")
        let second = run(tree)
        #expect(second.errors.isEmpty, "\(second.errors)")
        #expect(tree.read("out/p/index.ts") == first)
        #expect(second.filesInjected == 0)
        // unless_exists (1) + skip_if on two entries, footer and header (4).
        #expect(second.filesSkipped == 5)
        #expect(second.filesWritten == 0)
        #expect(tree.mtime("out/p/index.ts") == stamp)
    }

    @Test func unlessExistsKeepsAHandEditedFileAndForceOverwrites() {
        let tree = injectionTree()
        _ = run(tree)
        tree.write("out/p/index.ts", "// exports\n// mine\n// end exports\n")
        _ = run(tree)
        #expect(tree.read("out/p/index.ts")?.contains("// mine") == true)
        #expect(tree.read("out/p/index.ts")?.contains("export * from './users';") == true)

        tree.write("pipelines/p.yaml", "steps:\n  - generate: _templates/barrel.njk\n    force: true\n")
        _ = run(tree)
        #expect(tree.read("out/p/index.ts") == "// exports\n// end exports\n")
    }

    @Test func injectionProblemsAreReportedAtTheTemplateKey() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "steps:\n  - copy: a.ts\n  - inject: _t\n")
        tree.write("pipelines/p/a.ts", "line\n")
        tree.write("pipelines/p/_t/1.njk", "---\nto: a.ts\nafter: nothing-like-this\n---\nx\n")
        tree.write("pipelines/p/_t/2.njk", "---\nto: missing.ts\nprepend: true\n---\nx\n")
        tree.write("pipelines/p/_t/3.njk", "---\nto: a.ts\n---\nx\n")
        tree.write("pipelines/p/_t/4.njk", "---\nto: a.ts\nbefore: a\nafter: b\nsikp_if: c\n---\nx\n")
        let found = messages(run(tree), relativeTo: tree)
        #expect(found.contains { $0.hasPrefix("pipelines/p/_t/1.njk:3:8: after: 'nothing-like-this' not found in a.ts") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/_t/2.njk:2:5: inject target 'missing.ts' does not exist") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/_t/3.njk:2:1: an injection needs one of before, after") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/_t/4.njk:4:8: an injection takes one position") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/_t/4.njk:5:1: unknown key 'sikp_if'") })
        #expect(found.count == 5, "\(found)")
    }

    @Test func refusesToWriteOutsideTheOutputDirectory() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", """
            vars: { names: [ok, ../../escape, /etc/evil] }
            steps:
              - generate: t.njk
                each: names
              - copy: a.txt
                to: ../a.txt
            """)
        tree.write("pipelines/p/t.njk", "---\nto: \"{{ item }}.txt\"\n---\nx\n")
        tree.write("pipelines/p/a.txt", "a")
        let report = run(tree)
        let found = messages(report, relativeTo: tree)
        #expect(found.filter { $0.hasPrefix("pipelines/p/t.njk:2:5: output path escapes the output directory") }.count == 2)
        #expect(found.contains { $0.hasPrefix("pipelines/p.yaml:6:9: output path escapes the output directory: ../a.txt") })
        #expect(found.count == 3)
        #expect(tree.exists("out/p/ok.txt"))
        #expect(!tree.exists("escape.txt") && !tree.exists("out/a.txt"))
    }

    @Test func refusesToWriteThroughASymlinkLeavingTheOutput() throws {
        let tree = TemporaryTree()
        let outside = TemporaryTree()
        tree.write("pipelines/p.yaml", "steps:\n  - copy: 'link/a.txt'\n")
        tree.write("pipelines/p/link/a.txt", "a")
        try FileManager.default.createDirectory(atPath: tree.path + "/out/p", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/out/p/link", withDestinationPath: outside.path)
        let report = run(tree)
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.message.contains("symbolic link") == true)
        #expect(!outside.exists("a.txt"))
    }

    @Test func outputDirectoryIsConfigurableButStaysUnderTheRootUnlessAllowed() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/a.txt", "a")
        tree.write("pipelines/p.yaml", "output: gen/here\nsteps:\n  - copy: a.txt\n")
        #expect(run(tree).errors.isEmpty)
        #expect(tree.exists("out/gen/here/a.txt"))

        tree.write("pipelines/p.yaml", "output: ../elsewhere\nsteps:\n  - copy: a.txt\n")
        let refused = messages(run(tree), relativeTo: tree)
        #expect(refused.count == 1 && refused[0].hasPrefix("pipelines/p.yaml:1:9: output '../elsewhere' is outside the output root"))
        #expect(!tree.exists("elsewhere"))

        tree.write("pipelines/p.yaml", "output: { path: ../elsewhere, outside_root: true }\nsteps:\n  - copy: a.txt\n")
        #expect(run(tree).errors.isEmpty)
        #expect(tree.exists("elsewhere/a.txt"))
    }

    @Test func templateErrorsNameFileLineAndColumnAndAllAreCollected() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "data: { d: d.json }\nsteps:\n  - render: '[abc].njk'\n  - generate: g.njk\n")
        tree.write("pipelines/p/d.json", "{\"a\": [1, 2,]}")
        tree.write("pipelines/p/a.njk", "---\ntitle: x\n---\nline one\n{{ title | nosuchfilter }}\n")
        tree.write("pipelines/p/b.njk", "{% if %}\n")
        tree.write("pipelines/p/c.njk", "fine\n")
        tree.write("pipelines/p/g.njk", "---\nto: [unclosed\n---\n")
        let report = run(tree)
        let found = messages(report, relativeTo: tree)
        #expect(found.contains { $0.hasPrefix("pipelines/p/d.json:1:") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/a.njk:5:") && $0.contains("nosuchfilter") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/b.njk:1:") })
        #expect(found.contains { $0.hasPrefix("pipelines/p/g.njk:3:1: front matter:") || $0.hasPrefix("pipelines/p/g.njk:2:") })
        #expect(found.count == 4, "\(found)")
        #expect(tree.read("out/p/c.html") == "fine\n")
    }

    @Test func badPipelineFilesReportEveryErrorWithPositions() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "steps:\n  - render: x\n    to: 3\n    each: y\n  - nope: 1\n")
        let found = messages(run(tree), relativeTo: tree)
        #expect(found == [
            "pipelines/p.yaml:4:5: unknown key 'each' in a render step (known: render, name, to, layout, exclude, collect)",
            "pipelines/p.yaml:5:5: a step needs exactly one of: render, markdown, copy, compress, generate, inject",
        ])
        let missing = PipelineRunner(file: tree.path + "/pipelines/none.yaml", outputRoot: tree.path + "/out").run()
        #expect(missing.errors.first?.message == "cannot read pipeline file")
    }

    @Test func eachMustNameAList() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "vars: { n: 3 }\nsteps:\n  - generate: t.njk\n    each: n\n  - generate: t.njk\n    each: missing.list\n")
        tree.write("pipelines/p/t.njk", "---\nto: x\n---\n")
        let found = messages(run(tree), relativeTo: tree)
        #expect(found == [
            "pipelines/p.yaml:4:11: each: 'n' is not a list; it must name a list (or mapping) in the data",
            "pipelines/p.yaml:6:11: each: 'missing.list' is undefined; it must name a list (or mapping) in the data",
        ])
    }

    @Test func outputIsByteIdenticalWithOneOrManyWorkers() {
        let tree = TemporaryTree()
        let items = (0..<60).map { "{id: \($0), name: item \($0)}" }.joined(separator: ", ")
        tree.write("pipelines/p.yaml", "vars: { items: [\(items)] }\nsteps:\n  - generate: t.njk\n    each: items\n  - inject: i.njk\n    each: items\n  - compress: '**'\n")
        tree.write("pipelines/p/t.njk", "---\nto: \"{{ item.name | snakeCase }}.txt\"\n---\n{{ item | dump }}\n")
        tree.write("pipelines/p/i.njk", "---\nto: item_0.txt\nappend: true\n---\n{{ item.id }}\n")
        let parallel = run(tree, jobs: 4)
        #expect(parallel.errors.isEmpty, "\(parallel.errors)")
        let snapshot = (0..<60).map { tree.bytes("out/p/item_\($0).txt.gz") }
        try? FileManager.default.removeItem(atPath: tree.path + "/out")
        let serial = run(tree, jobs: 1)
        #expect(serial.filesWritten == parallel.filesWritten)
        #expect((0..<60).map { tree.bytes("out/p/item_\($0).txt.gz") } == snapshot)
        #expect(tree.read("out/p/item_0.txt")?.hasSuffix("\n57\n58\n59\n") == true)
    }

    @Test func missingTreeAndWatchedPaths() {
        let tree = TemporaryTree()
        tree.write("pipelines/p.yaml", "templates: nowhere\nsteps:\n  - copy: a\n")
        let found = messages(run(tree), relativeTo: tree)
        #expect(found.count == 1 && found[0].hasPrefix("pipelines/p.yaml:1:12: template tree"))

        tree.write("pipelines/p.yaml", "data: { a: a.yaml, shared: ../shared.yaml }\nsteps:\n  - copy: a\n")
        let runner = PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out")
        #expect(runner.watchedPaths() == [tree.path + "/pipelines/p.yaml", tree.path + "/pipelines/p",
                                          tree.path + "/pipelines/p/../shared.yaml"])
    }

    @Test func outputsNoLongerProducedAreRemovedButHandEditedFilesStay() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/t.njk", "---\nto: \"gen/{{ item }}.txt\"\n---\n{{ item }}\n")
        tree.write("pipelines/p/keep.njk", "---\nto: \"mine/{{ item }}.txt\"\nunless_exists: true\n---\nedit me\n")
        tree.write("pipelines/p.yaml", "vars: { items: [a, b] }\nsteps:\n  - generate: [t.njk, keep.njk]\n    each: items\n  - compress: 'gen/*'\n")
        #expect(run(tree).filesWritten == 6)
        tree.write("out/p/unrelated.txt", "not ours")

        tree.write("pipelines/p.yaml", "vars: { items: [a] }\nsteps:\n  - generate: [t.njk, keep.njk]\n    each: items\n  - compress: 'gen/*'\n")
        let second = run(tree)
        #expect(second.errors.isEmpty, "\(second.errors)")
        #expect(second.filesRemoved == 2)  // gen/b.txt and gen/b.txt.gz
        #expect(!tree.exists("out/p/gen/b.txt") && !tree.exists("out/p/gen/b.txt.gz"))
        #expect(tree.exists("out/p/gen/a.txt") && tree.exists("out/p/mine/b.txt") && tree.exists("out/p/unrelated.txt"))

        // A run with errors removes nothing.
        tree.write("pipelines/p.yaml", "vars: { items: [] }\nsteps:\n  - generate: [t.njk, missing.njk]\n    each: items\n")
        let failed = run(tree)
        #expect(!failed.errors.isEmpty && failed.filesRemoved == 0)
        #expect(tree.exists("out/p/gen/a.txt"))

        tree.write("pipelines/p.yaml", "vars: { items: [] }\nsteps:\n  - generate: t.njk\n    each: items\n")
        #expect(run(tree).filesRemoved == 2)
        #expect(!tree.exists("out/p/gen"))  // emptied directories go too
        #expect(!tree.exists("out/p/.unjucksd-pipeline-manifest"))
    }

    @Test func linksLeadingOutOfTheTreeAreNotRead() throws {
        let tree = TemporaryTree()
        let outside = TemporaryTree()
        outside.write("secret.txt", "secret")
        tree.write("pipelines/p/inside.txt", "inside")
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/pipelines/p/leak.txt", withDestinationPath: outside.path + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/pipelines/p/alias.txt", withDestinationPath: tree.path + "/pipelines/p/inside.txt")
        tree.write("pipelines/p.yaml", "steps:\n  - copy: '*.txt'\n")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/alias.txt") == "inside")
        #expect(!tree.exists("out/p/leak.txt"))
    }
}
