import Foundation
import Testing
@testable import Daemon

@Suite("API parsing, client and load generator")
struct APIParsingTests {
    @Test func renderRequestsAreCheckedStrictly() throws {
        func parse(_ text: String) -> Result<RenderAPIRequest, RenderAPIError> { RenderAPIRequest.parse(Array(text.utf8)) }
        guard case .success(let inline) = parse(#"{"template": "{{ a }}", "site": "blog", "context": {"a": 1, "b": true, "c": [null, "x"]}}"#) else {
            Issue.record("inline request refused")
            return
        }
        #expect(inline.source == .inline("{{ a }}"))
        #expect(inline.site == "blog")
        #expect(inline.context["a"] == .number(1))
        #expect(inline.context["b"] == .bool(true))  // stays a boolean
        #expect(inline.context["c"] == .array([.null, .string("x")]))
        guard case .success(let named) = parse(#"{"name": "nav.njk"}"#) else {
            Issue.record("named request refused")
            return
        }
        #expect(named.source == .named("nav.njk"))
        #expect(named.site == nil)
        for bad in ["", "[]", "{}", #"{"template": 1}"#, #"{"name": ""}"#, #"{"template": "x", "context": 3}"#,
                    #"{"template": "x", "site": 4}"#, "{\"template\": \"x\""] {
            guard case .failure(.badRequest) = parse(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
    }

    @Test func mixParsesAndPicksByWeight() throws {
        let mix = try LoadGenerator.Mix(parsing: "browse=40,generate=30,api=20,search=10")
        #expect(mix == .standard)
        var counts: [LoadGenerator.Kind: Int] = [:]
        for value in 0..<100 { counts[mix.pick(value), default: 0] += 1 }
        #expect(counts == [.browse: 40, .generate: 30, .api: 20, .search: 10])
        #expect(try LoadGenerator.Mix(parsing: "search=1").pick(12345) == .search)
        #expect(throws: LoadGenerator.Mix.ParseError.self) { try LoadGenerator.Mix(parsing: "browse=x") }
        #expect(throws: LoadGenerator.Mix.ParseError.self) { try LoadGenerator.Mix(parsing: "shop=3") }
        #expect(throws: LoadGenerator.Mix.ParseError.self) { try LoadGenerator.Mix(parsing: "browse=0") }
    }

    @Test func clientRefusesAddressesBeyondLoopback() throws {
        #expect(LoopbackHTTPClient.isLoopback("127.0.0.1"))
        #expect(LoopbackHTTPClient.isLoopback("127.9.8.7"))
        #expect(LoopbackHTTPClient.isLoopback("localhost"))
        #expect(LoopbackHTTPClient.isLoopback("::1"))
        #expect(!LoopbackHTTPClient.isLoopback("10.0.0.1"))
        #expect(!LoopbackHTTPClient.isLoopback("192.168.1.1"))
        #expect(!LoopbackHTTPClient.isLoopback("example.com"))
        #expect(throws: LoopbackHTTPClient.ClientError.notLoopback("10.1.2.3")) { try LoopbackHTTPClient(address: "10.1.2.3:8383") }
        #expect(try LoopbackHTTPClient.split("[::1]:9000") == ("::1", 9000))
        #expect(try LoopbackHTTPClient.split("http://127.0.0.1:8383/") == ("127.0.0.1", 8383))
        #expect(throws: LoopbackHTTPClient.ClientError.self) { try LoopbackHTTPClient.split("127.0.0.1") }
    }

    @Test func clientReportsAnUnreachableDaemon() throws {
        // A port nobody listens on: bind one, note it, close it.
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        close(probe)
        let client = try LoopbackHTTPClient(host: "127.0.0.1", port: port, timeoutSeconds: 2)
        #expect(throws: LoopbackHTTPClient.ClientError.self) { try client.get("/status") }
    }

    @Test func loadGeneratorRunsAMixAgainstADaemon() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 6)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let generator = LoadGenerator(address: "127.0.0.1:\(fixture.daemon.port)", users: 4, duration: .milliseconds(1500))
        let report = try generator.run()
        #expect(report.requests > 20)
        #expect(report.errors == 0, "\(report.sampleErrors)")
        #expect(Set(report.kinds.map(\.kind)) == Set(LoadGenerator.Kind.allCases))
        for kind in report.kinds {
            #expect(kind.p50 > 0 && kind.p50 <= kind.p95 && kind.p95 <= kind.p99)
        }
        #expect(report.requestsPerSecond > 0)
    }
}
