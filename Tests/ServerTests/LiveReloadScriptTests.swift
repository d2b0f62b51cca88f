import Foundation
import Testing
@testable import Server

/// Runs the live-reload snippet in Node with a fake browser (EventSource, location, document)
/// and counts reloads per scenario.
let nodeExecutable = ["/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.enabled(if: nodeExecutable != nil, "needs node to run the browser script"))
struct LiveReloadScriptTests {

    /// Reload counts for each (page path, overlay shown, events) scenario, in order.
    func reloads(_ scenarios: [(path: String, overlay: Bool, events: [(String, String)])]) throws -> [Int] {
        let html = LiveReloadScript.snippet(eventsPath: "/events")
        let body = html.replacingOccurrences(of: #"<script[^>]*>"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "</script>", with: "")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unjucksd-lr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenarioJSON = try String(decoding: JSONSerialization.data(withJSONObject: scenarios.map { scenario in
            ["path": scenario.path, "overlay": scenario.overlay, "events": scenario.events.map { [$0.0, $0.1] }] as [String: Any]
        }), as: UTF8.self)
        try body.write(to: directory.appendingPathComponent("snippet.js"), atomically: true, encoding: .utf8)
        let harness = """
            const vm = require("vm"), fs = require("fs");
            const script = fs.readFileSync(\(LiveReloadScript.jsString(directory.appendingPathComponent("snippet.js").path)), "utf8");
            const results = \(scenarioJSON).map(({ path, overlay, events }) => {
              let reloads = 0; const listeners = {}; let url = null;
              function EventSource(u) { url = u; this.addEventListener = (n, f) => { listeners[n] = f; }; this.close = () => {}; }
              const context = { window: { EventSource }, EventSource, JSON, String,
                location: { pathname: path, reload() { reloads++; } },
                document: { body: { hasAttribute() { return false; } }, getElementById(id) { return overlay && id === "unjucksd-error-overlay" ? {} : null; } } };
              vm.runInNewContext(script, context);
              if (url !== "/events") throw new Error("subscribed to " + url);
              for (const [name, data] of events) if (listeners[name]) listeners[name]({ data });
              return reloads;
            });
            console.log(JSON.stringify(results));
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nodeExecutable!)
        process.arguments = ["-e", harness]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "node: \(text)")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Int]
        return try #require(parsed, "node printed: \(text)")
    }

    @Test func reloadsOnlyWhenItsPageOrAnAssetChanged() throws {
        let changed = { (urls: String) in ("changed", "{\"site\":\"blog\",\"urls\":\(urls)}") }
        let counts = try reloads([
            ("/sites/blog/posts/a/", false, [changed("[\"/posts/a/\"]")]),
            ("/sites/blog/posts/a/", false, [changed("[\"/posts/b/\"]")]),
            ("/sites/blog/posts/a/", false, [changed("[\"/style.css\"]")]),
            ("/sites/blog/index.html", false, [changed("[\"/\"]")]),
            ("/sites/blog/", false, [changed("[]")]),
            ("/sites/blog/", false, [("reload", "")]),
        ])
        #expect(counts == [1, 0, 1, 1, 1, 1])
    }

    @Test func buildEventsShowAndClearTheErrorOverlay() throws {
        let counts = try reloads([
            ("/sites/blog/", false, [("build-failed", "{\"sites\":[\"blog\"]}")]),
            ("/sites/blog/", false, [("build-failed", "{\"sites\":[\"docs\"]}")]),
            ("/sites/blog/", false, [("build-finished", "{}")]),
            ("/sites/blog/", true, [("build-finished", "{}")]),
        ])
        #expect(counts == [1, 0, 0, 1])
    }
}
