import Foundation
import Testing
@testable import Pipeline

/// The pipelines shipped in `pipelines/` build without errors, and a
/// second build changes nothing.
@Suite struct ExamplePipelineTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func build(_ name: String, into out: TemporaryTree) -> PipelineReport {
        PipelineRunner(file: ExamplePipelineTests.repositoryRoot + "/pipelines/\(name).yaml", outputRoot: out.path, jobs: 2).run()
    }

    @Test func apiClientsGeneratesInjectsAndCompresses() throws {
        let out = TemporaryTree()
        let first = build("api-clients", into: out)
        #expect(first.errors.isEmpty, "\(first.errors)")
        #expect(first.filesInjected == 6)
        #expect(first.compressed > 0)
        let barrel = try #require(out.read("api-clients/src/index.ts"))
        #expect(barrel.contains("export { BillingAccountClient };\nimport { SearchIndexClient } from \"./clients/search-index\";"))
        #expect(barrel.contains("    searchIndex: new SearchIndexClient(transport),\n    // </registry>"))
        let client = try #require(out.read("api-clients/src/clients/billing-account.ts"))
        #expect(client.contains("addPaymentMethod(accountId: string, body: T.PaymentMethod): Promise<T.PaymentMethod>"))
        #expect(try Gzip.decompress(try #require(out.bytes("api-clients/src/index.ts.gz"))) == Array(barrel.utf8))

        let second = build("api-clients", into: out)
        #expect(second.errors.isEmpty && second.filesWritten == 0)
        #expect(second.filesSkipped == 3)  // the unless_exists extension files
        #expect(out.read("api-clients/src/index.ts") == barrel)
    }

    @Test func newsletterRendersIssuesIndexAndFeed() throws {
        let out = TemporaryTree()
        let first = build("newsletter", into: out)
        #expect(first.errors.isEmpty, "\(first.errors)")
        let issue = try #require(out.read("newsletter/issues/002-pipelines/index.html"))
        #expect(issue.contains("<h1>Issue 2: Pipelines &amp; generators</h1>"))
        #expect(issue.contains("<table>"))
        #expect(issue.contains("by <a href=\"https://example.com/grace\">Grace Hopper</a>"))
        let index = try #require(out.read("newsletter/index.html"))
        let newer = try #require(index.range(of: "#2 Pipelines"))
        let older = try #require(index.range(of: "#1 Hello"))
        #expect(newer.lowerBound < older.lowerBound)
        #expect(out.read("newsletter/feed.xml")?.contains("<updated>2026-10-01T00:00:00Z</updated>") == true)
        #expect(first.compressed == 5)

        let second = build("newsletter", into: out)
        #expect(second.errors.isEmpty && second.filesWritten == 0 && second.filesUnchanged == first.filesWritten)
    }
}
