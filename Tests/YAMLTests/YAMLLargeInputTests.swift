import Foundation
import Testing
@testable import YAML

@Suite struct YAMLLargeInputTests {
    @Test(.timeLimit(.minutes(1))) func largeDataFile() throws {
        var yaml = "posts:\n"
        for index in 0..<20_000 {
            yaml += "  - title: \"Post number \(index)\"\n    date: 2024-01-\(String(format: "%02d", index % 28 + 1))\n"
            yaml += "    tags: [news, item\(index % 10)]\n    views: \(index * 3)\n    score: \(Double(index) / 4)\n"
        }
        let started = Date()
        let node = try YAML.parse(yaml)
        let seconds = Date().timeIntervalSince(started)
        #expect(node["posts"]?.sequence?.count == 20_000)
        #expect(node["posts"]?[19_999]?["views"]?.value == .int(59_997))
        #expect(node["posts"]?[3]?["score"]?.value == .float(0.75))
        print("parsed \(yaml.utf8.count) bytes of YAML (140k nodes) in \(String(format: "%.3f", seconds)) s")
    }
}
