import Cache
import Foundation
import Testing
@testable import Pipeline

/// Options of steps and of the engine, end to end on temporary trees.
@Suite struct PipelineOptionTests {
    private func run(_ tree: TemporaryTree) -> PipelineReport {
        PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out", jobs: 2).run()
    }

    private func messages(_ report: PipelineReport, _ tree: TemporaryTree) -> [String] {
        report.errors.map { $0.description.replacingOccurrences(of: tree.path + "/", with: "") }
    }

    @Test func engineOptionsApply() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/a.njk", "{% if true %}\n  <b>{{ text }}</b>\n{% endif %}\n")
        tree.write("pipelines/p.yaml", "vars: { text: '<&>' }\nsteps:\n  - render: a.njk\n")
        _ = run(tree)
        #expect(tree.read("out/p/a.html") == "\n  <b><&></b>\n\n")  // autoescape off by default
        tree.write("pipelines/p.yaml", "autoescape: true\ntrim_blocks: true\nlstrip_blocks: true\nvars: { text: '<&>' }\nsteps:\n  - render: a.njk\n")
        _ = run(tree)
        #expect(tree.read("out/p/a.html") == "  <b>&lt;&amp;&gt;</b>\n")
        tree.write("pipelines/p/b.njk", "{{ missing }}\n")
        tree.write("pipelines/p.yaml", "throw_on_undefined: true\nsteps:\n  - render: b.njk\n")
        let found = messages(run(tree), tree)
        #expect(found.count == 1 && found[0].hasPrefix("pipelines/p/b.njk:1:"))
    }

    @Test func markdownWithoutTemplatingAndCollectedPages() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/posts/b.md", "---\ntitle: Bee\n---\nLiteral {{ braces }}\n")
        tree.write("pipelines/p/posts/a.md", "---\ntitle: Ay\n---\n*a*\n")
        tree.write("pipelines/p/list.njk", "{% for p in posts %}{{ p.url }} {{ p.data.title }} {{ p.inputPath }};{% endfor %}")
        tree.write("pipelines/p.yaml", """
            steps:
              - markdown: "posts/*.md"
                template: false
                to: "{{ file.name }}/index.html"
                collect: posts
              - render: list.njk
            """)
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/b/index.html") == "<p>Literal {{ braces }}</p>\n")
        #expect(tree.read("out/p/list.html") == "/a/ Ay posts/a.md;/b/ Bee posts/b.md;")
    }

    @Test func dataFromJSONYAMLAndTheDataDirectory() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/data/info.json", "{\"version\": \"1.2.0\", \"tags\": [\"x\", \"y\"]}")
        tree.write("pipelines/p/_data/team/people.yaml", "- Ada\n- Grace\n")
        tree.write("pipelines/p/v.njk", "{{ info.version }} {{ info.tags | join('+') }} {{ team.people | join(',') }} {{ extra }}")
        tree.write("pipelines/p.yaml", "data: { info: data/info.json }\nvars: { extra: 42 }\nsteps:\n  - render: v.njk\n")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/v.html") == "1.2.0 x+y Ada,Grace 42")
    }

    @Test func eachOverAMappingBindsKeyAndStepVars() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/t.njk", "---\nto: \"{{ key }}.txt\"\n---\n{{ prefix }}{{ locale.hello }} #{{ index }}\n")
        tree.write("pipelines/p.yaml", """
            vars:
              locales: { en: { hello: Hello }, fr: { hello: Bonjour } }
            steps:
              - generate: t.njk
                each: locales
                as: locale
                vars: { prefix: "> " }
            """)
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/en.txt") == "> Hello #0\n")
        #expect(tree.read("out/p/fr.txt") == "> Bonjour #1\n")
    }

    @Test func injectionsMixWithFilesInOneGenerateStep() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/gen/1-model.njk", "---\nto: \"models/{{ item | snakeCase }}.py\"\n---\nclass {{ item | pascalCase }}: pass\n")
        tree.write("pipelines/p/gen/2-register.njk", """
            ---
            to: models/__init__.py
            inject: true
            after: "^# models$"
            skip_if: "import {{ item | pascalCase }}$"
            ---
            from .{{ item | snakeCase }} import {{ item | pascalCase }}

            """)
        tree.write("pipelines/p/models/__init__.py", "# models\n")
        tree.write("pipelines/p.yaml", "vars: { models: [UserAccount, order-line] }\nsteps:\n  - copy: models/__init__.py\n  - generate: gen\n    each: models\n")
        let report = run(tree)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(tree.read("out/p/models/order_line.py") == "class OrderLine: pass\n")
        #expect(tree.read("out/p/models/__init__.py") == "# models\nfrom .order_line import OrderLine\nfrom .user_account import UserAccount\n")
    }

    @Test func layoutProblemsPointAtTheLayoutKey() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/_layouts/a.njk", "---\nlayout: b.njk\n---\nA{{ content }}")
        tree.write("pipelines/p/_layouts/b.njk", "---\nlayout: a.njk\n---\nB{{ content }}")
        tree.write("pipelines/p/loop.njk", "---\nlayout: a.njk\n---\nx")
        tree.write("pipelines/p/lost.njk", "---\ntitle: t\nlayout: nowhere.njk\n---\nx")
        tree.write("pipelines/p/ok.njk", "plain")
        tree.write("pipelines/p.yaml", "steps:\n  - render: '*.njk'\n")
        let found = messages(run(tree), tree)
        #expect(found.contains { $0.hasPrefix("pipelines/p/lost.njk:3:9: layout 'nowhere.njk' not found") })
        #expect(found.contains { $0.contains("layout chain deeper than 32") })
        #expect(found.count == 2)
        #expect(tree.read("out/p/ok.html") == "plain")
    }

    @Test func twoInputsWritingOneOutputIsAnError() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/a.njk", "a")
        tree.write("pipelines/p/b.njk", "b")
        tree.write("pipelines/p.yaml", "steps:\n  - render: '*.njk'\n    to: same.html\n")
        let found = messages(run(tree), tree)
        #expect(found == ["pipelines/p/b.njk:1:1: writes same.html, which pipelines/p/a.njk already writes"])
        #expect(tree.read("out/p/same.html") == "a")
    }
}

/// Compression results kept in the build cache (a real SQLite-backed one).
@Suite struct PipelineCacheTests {
    @Test func compressedFilesComeFromTheCacheTheSecondTime() throws {
        let tree = TemporaryTree()
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: tree.path + "/cache.db"), memoryCapacity: 1 << 20))
        tree.write("pipelines/p/a.txt", String(repeating: "cache me ", count: 200))
        tree.write("pipelines/p.yaml", "steps:\n  - copy: a.txt\n  - compress: '*.txt'\n")
        let runner = PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out", jobs: 1, blobs: cache)
        #expect(runner.run().errors.isEmpty)
        let first = try #require(tree.bytes("out/p/a.txt.gz"))
        let hitsBefore = cache.stats().memory.hits + cache.stats().sqlite.hits
        try FileManager.default.removeItem(atPath: tree.path + "/out")
        let again = runner.run()
        #expect(again.errors.isEmpty && again.compressed == 1)
        #expect(tree.bytes("out/p/a.txt.gz") == first)
        #expect(cache.stats().memory.hits + cache.stats().sqlite.hits > hitsBefore)
        // Different level, different address: compressed anew, not served stale.
        tree.write("pipelines/p.yaml", "steps:\n  - copy: a.txt\n  - compress: '*.txt'\n    level: 1\n")
        #expect(runner.run().errors.isEmpty)
        #expect(tree.bytes("out/p/a.txt.gz") == (try Gzip.compress(Array(String(repeating: "cache me ", count: 200).utf8), level: 1)))
    }

    /// `cache gc` keeps what the last run compressed (the run records it) and
    /// drops what no run asks for any more.
    @Test func garbageCollectionKeepsTheLastRunsCompressedFiles() throws {
        let tree = TemporaryTree()
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: tree.path + "/cache.db"), memoryCapacity: 1 << 20))
        tree.write("pipelines/p/a.txt", String(repeating: "keep me ", count: 200))
        tree.write("pipelines/p/b.txt", String(repeating: "and me ", count: 200))
        tree.write("pipelines/p.yaml", "steps:\n  - copy: '*.txt'\n  - compress: '*.txt'\n")
        let runner = PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out", jobs: 1, blobs: cache)
        #expect(runner.run().errors.isEmpty)
        #expect(try cache.gc(maxSize: Int.max).unreferencedBlobsRemoved == 0)

        // A fresh process (empty memory tier) finds both in SQLite.
        let reopened = try Cache(CacheConfiguration(location: .sqlite(path: tree.path + "/cache.db"), memoryCapacity: 1 << 20))
        let again = PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out", jobs: 1, blobs: reopened)
        #expect(again.run().compressed == 2)
        #expect(reopened.stats().sqlite.hits == 2)

        // b.txt changes: its old compressed body is no longer referenced.
        tree.write("pipelines/p/b.txt", String(repeating: "changed ", count: 200))
        #expect(again.run().errors.isEmpty)
        #expect(try reopened.gc(maxSize: Int.max).unreferencedBlobsRemoved == 1)
    }
}

@Suite struct GeneratorLayoutTests {
    @Test func generatedPagesGoThroughLayouts() {
        let tree = TemporaryTree()
        tree.write("pipelines/p/_layouts/product.njk", "---\nlayout: shell.njk\n---\n<article>{{ content }}</article>")
        tree.write("pipelines/p/_layouts/shell.njk", "<title>{{ product.name }}</title>{{ content }}")
        tree.write("pipelines/p/_templates/page.njk", "---\nto: \"products/{{ product.name | kebabCase }}.html\"\nlayout: product.njk\n---\n<h1>{{ product.name }}</h1>")
        tree.write("pipelines/p/_templates/plain.njk", "---\nto: \"raw/{{ product.name | snakeCase }}.txt\"\n---\n{{ product.name }}")
        tree.write("pipelines/p/_templates/bad.njk", "---\nto: x\ninject: true\nappend: true\nlayout: product.njk\n---\n")
        tree.write("pipelines/p.yaml", """
            autoescape: true
            vars: { products: [{name: Blue & Chair}] }
            steps:
              - generate: "_templates/p*.njk"
                each: products
                as: product
              - generate: _templates/bad.njk
            """)
        let report = PipelineRunner(file: tree.path + "/pipelines/p.yaml", outputRoot: tree.path + "/out", jobs: 1).run()
        #expect(tree.read("out/p/products/blue-chair.html") == "<title>Blue &amp; Chair</title><article><h1>Blue &amp; Chair</h1></article>")
        #expect(tree.read("out/p/raw/blue_chair.txt") == "Blue &amp; Chair")
        let found = report.errors.map { $0.description.replacingOccurrences(of: tree.path + "/", with: "") }
        #expect(found == ["pipelines/p/_templates/bad.njk:5:9: 'layout' does not apply to an injection"])
    }
}
