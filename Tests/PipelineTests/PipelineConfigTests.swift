import Testing
@testable import Pipeline

@Suite struct PipelineConfigTests {
    private func errors(_ text: String) -> [String] {
        switch PipelineConfig.parse(file: "pipelines/x.yaml", text: text) {
        case .success: return []
        case .failure(let failure): return failure.errors.map(\.description)
        }
    }

    @Test func parsesAFullPipeline() throws {
        let text = """
        name: clients
        templates: client-tree
        output: { path: gen/clients }
        data:
          services: services.yaml
        vars:
          banner: generated
        autoescape: true
        steps:
          - generate: _templates/client
            each: services
            as: service
            force: true
          - name: barrel
            inject: _templates/barrel.njk
            each: services
            as: service
          - render: "**/*.njk"
            to: "{{ file.dir }}/{{ file.name }}.html"
            layout: base.njk
          - compress: ["**/*.ts", "**/*.html"]
            level: 6
            min_size: 10
        """
        let config = try PipelineConfig.parse(file: "pipelines/clients.yaml", text: text).get()
        #expect(config.name == "clients")
        #expect(config.templatesDirectory == "pipelines/client-tree")
        #expect(config.output?.value == "gen/clients")
        #expect(config.dataFiles.map(\.name) == ["services"])
        #expect(config.autoescape)
        #expect(config.steps.map(\.kind) == [.generate, .inject, .render, .compress])
        #expect(config.steps[0].itemName == "service" && config.steps[0].force)
        #expect(config.steps[1].label == "barrel")
        #expect(config.steps[2].to?.value == "{{ file.dir }}/{{ file.name }}.html")
        #expect(config.steps[2].to?.mark.line == 19)
        #expect(config.steps[3].patterns.map(\.value) == ["**/*.ts", "**/*.html"])
        #expect(config.steps[3].level == 6 && config.steps[3].minSize == 10)
    }

    @Test func defaultsComeFromTheFileName() throws {
        let config = try PipelineConfig.parse(file: "pipelines/news.yaml", text: "steps:\n  - copy: '**'\n").get()
        #expect(config.name == "news")
        #expect(config.templatesDirectory == "pipelines/news")
        #expect(!config.autoescape)
        #expect(config.output == nil)
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let found = errors("steps:\n  - copy: [a, b\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("pipelines/x.yaml:3:") == true)
    }

    @Test func everyBadNodeIsReportedAtItsPosition() {
        let text = """
        name: ok
        colour: blue
        autoescape: maybe
        steps:
          - render: "*.njk"
            levle: 3
          - {}
          - copy: a
            compress: b
          - compress: "*.html"
            level: 12
          - generate: t
            as: "not valid"
            each: "a..b"
        """
        let found = errors(text)
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:2:1: unknown key 'colour' in pipeline") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:3:13: autoescape must be true or false") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:6:5: unknown key 'levle' in a render step") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:7:5: a step needs exactly one of") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:9:5: a step has more than one kind") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:11:12: level must be a whole number in 1...9") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:13:9: as must be a variable name") })
        #expect(found.contains { $0.hasPrefix("pipelines/x.yaml:14:11: each must be a dotted variable path") })
        #expect(found.count == 8)
    }

    @Test func structuralMistakes() {
        #expect(errors("") == ["pipelines/x.yaml:1:1: empty pipeline: expected a mapping with at least 'steps'"])
        #expect(errors("- a\n- b\n").first?.contains("must be a mapping") == true)
        #expect(errors("name: x\n").first == "pipelines/x.yaml:1:1: a pipeline needs 'steps'")
        #expect(errors("steps: []\n").first == "pipelines/x.yaml:1:8: steps must be a non-empty list of steps")
        #expect(errors("name: a/b\nsteps:\n  - copy: x\n").first?.hasPrefix("pipelines/x.yaml:1:7: name must be a plain file name") == true)
        #expect(errors("data: [a]\nsteps:\n  - copy: x\n").first?.hasPrefix("pipelines/x.yaml:1:7: data must be a mapping") == true)
        #expect(errors("steps:\n  - copy: []\n").first?.hasPrefix("pipelines/x.yaml:2:11: copy must not be an empty list") == true)
    }

    @Test func malformedInputsGiveErrorsNotCrashes() {
        let inputs = [
            "steps:\n\t- copy: a\n", "{", "steps: *nope\n", "steps:\n  - copy: [[[]]]\n", "? [a]\n: b\n",
            "steps: !!binary aGk=\n", "steps:\n  - generate: t\n    each: 12\n", "name: ''\nsteps: [copy: a]\n",
            "\u{FEFF}steps:\n  - compress: x\n    level: -1\n", String(repeating: "[", count: 300),
            "steps:\n  - copy: a\n    to: {x: 1}\n", "steps:\n  - inject: t\n    force: true\n",
        ]
        for input in inputs {
            guard case .failure(let failure) = PipelineConfig.parse(file: "p.yaml", text: input) else {
                Issue.record("accepted: \(input)")
                continue
            }
            #expect(!failure.errors.isEmpty)
            #expect(failure.errors.allSatisfy { $0.file == "p.yaml" && $0.line >= 1 && $0.column >= 1 })
        }
    }
}
