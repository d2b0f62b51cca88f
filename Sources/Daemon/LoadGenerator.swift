import Foundation
import Synchronization

/// A bounded load generator against a running daemon on this machine:
/// `users` concurrent keep-alive connections for `duration`, each request
/// drawn from the mix (browse preview pages, render through the API, read
/// status/metrics, search).
public struct LoadGenerator: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case browse, generate, api, search
    }

    /// Request weights by kind, e.g. `browse=40,generate=30,api=20,search=10`.
    public struct Mix: Sendable, Equatable {
        public var weights: [Kind: Int]

        public init(_ weights: [Kind: Int]) { self.weights = weights }

        public static let standard = Mix([.browse: 40, .generate: 30, .api: 20, .search: 10])

        public struct ParseError: Error, CustomStringConvertible {
            public let description: String
        }

        public init(parsing text: String) throws {
            var weights: [Kind: Int] = [:]
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, let kind = Kind(rawValue: pair[0]) else {
                    throw ParseError(description: "mix entries look like browse=40 (kinds: browse, generate, api, search); got '\(part)'")
                }
                guard let weight = Int(pair[1]), weight >= 0 else {
                    throw ParseError(description: "weight of \(pair[0]) must be a whole number of at least 0")
                }
                weights[kind] = weight
            }
            guard weights.values.reduce(0, +) > 0 else { throw ParseError(description: "the mix must give some kind a weight above 0") }
            self.weights = weights
        }

        func pick(_ random: Int) -> Kind {
            var remaining = random % max(1, total)
            for kind in Kind.allCases {
                let weight = weights[kind] ?? 0
                if remaining < weight { return kind }
                remaining -= weight
            }
            return .api
        }

        var total: Int { weights.values.reduce(0, +) }
    }

    /// Figures of one kind of request.
    public struct KindReport: Sendable, Codable {
        public var kind: Kind
        public var requests: Int
        public var errors: Int
        public var p50: Double
        public var p95: Double
        public var p99: Double
        public var mean: Double
    }

    public struct Report: Sendable, Codable {
        public var users: Int
        public var seconds: Double
        public var requests: Int
        public var errors: Int
        public var requestsPerSecond: Double
        /// Latencies in milliseconds.
        public var kinds: [KindReport]
        /// A few error descriptions (status codes, connection failures).
        public var sampleErrors: [String]
    }

    public var address: String
    public var users: Int
    public var duration: Duration
    public var mix: Mix

    public init(address: String, users: Int, duration: Duration, mix: Mix = .standard) {
        self.address = address
        self.users = users
        self.duration = duration
        self.mix = mix
    }

    /// What the users request: page URLs, a site for rendering, search words.
    struct Targets: Sendable {
        var pages: [String]
        var site: String?
        var words: [String]
    }

    /// Finds pages and words from `/status`; throws if the daemon cannot be reached.
    func discover() throws -> Targets {
        let client = try LoopbackHTTPClient(address: address, timeoutSeconds: 10)
        let response = try client.get("/status")
        guard response.status == 200, let status = try? JSONDecoder().decode(StatusReport.self, from: Data(response.body)) else {
            throw LoopbackHTTPClient.ClientError.malformed("/status answered \(response.status)")
        }
        var pages: [String] = []
        for site in status.sites {
            pages += site.sampleURLs.map { "/sites/\(site.name)" + $0 }
            if site.sampleURLs.isEmpty { pages.append(site.url) }
        }
        var counts: [String: Int] = [:]
        for page in pages.prefix(5) {
            guard let answer = try? client.get(page), answer.status == 200 else { continue }
            for word in SearchIndex.words(in: HTMLText(html: answer.body).text) where word.count >= 4 {
                counts[word, default: 0] += 1
            }
        }
        var words = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(40).map(\.key)
        if words.isEmpty { words = ["page", "post", "the"] }
        return Targets(pages: pages.isEmpty ? ["/health"] : pages, site: status.sites.first?.name, words: words)
    }

    /// Runs the load and returns the figures; blocks for about `duration`.
    public func run() throws -> Report {
        let targets = try discover()
        let users = max(1, min(self.users, 5000))
        let deadline = Date().addingTimeInterval(duration.secondsValue)
        let results = Mutex<[UserResult]>([])
        let group = DispatchGroup()
        let started = Date()
        for index in 0..<users {
            group.enter()
            let thread = Thread { [self] in
                let result = runUser(index: index, targets: targets, deadline: deadline)
                results.withLock { $0.append(result) }
                group.leave()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(started)
        let all = results.withLock { $0 }
        var kinds: [KindReport] = []
        var totalRequests = 0
        var totalErrors = 0
        for kind in Kind.allCases {
            var latencies = all.flatMap { $0.latencies[kind] ?? [] }
            let errors = all.reduce(0) { $0 + ($1.errors[kind] ?? 0) }
            guard !latencies.isEmpty || errors > 0 else { continue }
            latencies.sort()
            func quantile(_ q: Double) -> Double {
                latencies.isEmpty ? 0 : (latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] * 1000 * 1000).rounded() / 1000
            }
            let mean = latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count) * 1000
            kinds.append(KindReport(kind: kind, requests: latencies.count + errors, errors: errors,
                                    p50: quantile(0.50), p95: quantile(0.95), p99: quantile(0.99), mean: (mean * 1000).rounded() / 1000))
            totalRequests += latencies.count + errors
            totalErrors += errors
        }
        return Report(users: users, seconds: (elapsed * 1000).rounded() / 1000, requests: totalRequests, errors: totalErrors,
                      requestsPerSecond: (Double(totalRequests) / max(elapsed, 0.001) * 10).rounded() / 10, kinds: kinds,
                      sampleErrors: Array(Set(all.flatMap(\.sampleErrors))).sorted().prefix(10).map { $0 })
    }

    struct UserResult: Sendable {
        var latencies: [Kind: [Double]] = [:]
        var errors: [Kind: Int] = [:]
        var sampleErrors: [String] = []
    }

    private func runUser(index: Int, targets: Targets, deadline: Date) -> UserResult {
        var result = UserResult()
        var random = SystemRandomNumberGenerator()
        guard let client = try? LoopbackHTTPClient(address: address, timeoutSeconds: 10) else { return result }
        let renderBody = """
        {"template": "<h1>{{ title | upper }}</h1>{% for i in range(0, count) %}<p>{{ i }} {{ title | replace('load', 'LOAD') }}</p>{% endfor %}", \
        "site": \(targets.site.map { "\"\($0)\"" } ?? "null"), "context": {"title": "load test", "count": 3}}
        """
        while Date() < deadline {
            let kind = mix.pick(Int.random(in: 0..<Int.max, using: &random))
            let begin = ContinuousClock.now
            var failure: String?
            do {
                let response: LoopbackHTTPClient.Response
                switch kind {
                case .browse:
                    response = try client.get(targets.pages[Int.random(in: 0..<targets.pages.count, using: &random)])
                case .generate:
                    response = try client.post("/api/render", json: renderBody)
                case .api:
                    response = try client.get(Bool.random(using: &random) ? "/status" : "/metrics")
                case .search:
                    let word = targets.words[Int.random(in: 0..<targets.words.count, using: &random)]
                    response = try client.get("/api/search?q=" + (word.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? word))
                }
                if response.status >= 400 { failure = "\(kind.rawValue): HTTP \(response.status)" }
            } catch {
                failure = "\(kind.rawValue): \(error)"
                client.close()
            }
            let seconds = (ContinuousClock.now - begin).secondsValue
            if let failure {
                result.errors[kind, default: 0] += 1
                if result.sampleErrors.count < 3 { result.sampleErrors.append(failure) }
            } else {
                result.latencies[kind, default: []].append(seconds)
            }
        }
        return result
    }
}

extension Duration {
    /// Seconds as a Double (without relying on another module's extension).
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
