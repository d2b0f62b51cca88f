// swift-tools-version:6.0
// unjucksd: a Nunjucks static-site daemon. One library module per concern,
// dependencies pointing one way (see docs/ARCHITECTURE.md); C libraries come
// from Debian through one `.systemLibrary` target each.
import PackageDescription

func system(_ name: String, _ apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", providers: [.apt(apt)])
}

let package = Package(
    name: "unjucksd",
    products: [
        .executable(name: "unjucksd", targets: ["unjucksd"]),
    ],
    targets: [
        // C libraries (Debian packages).
        system("CSQLite", ["libsqlite3-dev"]),
        system("CHiredis", ["libhiredis-dev"]),
        system("CZlib", ["zlib1g-dev"]),
        system("CDeflate", ["libdeflate-dev"]),
        system("CMicroHTTPD", ["libmicrohttpd-dev"]),
        system("CYAML", ["libyaml-dev"]),
        system("CMD4C", ["libmd4c-dev", "libmd4c-html0-dev"]),
        system("COpenSSL", ["libssl-dev"]),
        system("CInotify", []),

        // Leaf modules: import nothing of ours but Metrics.
        .target(name: "Metrics"),
        .target(name: "Nunjucks"),
        .target(name: "Markdown", dependencies: ["CMD4C"]),
        .target(name: "YAML", dependencies: ["CYAML"]),
        .target(name: "Cache", dependencies: ["CSQLite", "CHiredis", "CDeflate", "COpenSSL", "Metrics"]),
        .target(name: "Watch", dependencies: ["CInotify", "Metrics"]),
        .target(name: "Governor", dependencies: ["Metrics"]),
        .target(name: "Server", dependencies: ["CMicroHTTPD", "Metrics"]),

        // The build engine and what stands on it.
        .target(name: "Site", dependencies: ["Nunjucks", "Markdown", "YAML"]),
        .target(name: "Build", dependencies: ["Site", "Nunjucks", "YAML", "Cache", "Governor", "Metrics"]),
        .target(name: "Pipeline", dependencies: ["Build", "Site", "Nunjucks", "YAML", "Cache", "CZlib"]),
        .target(name: "Daemon", dependencies: ["Build", "Pipeline", "Watch", "Server", "Governor", "Cache", "Metrics"]),
        .target(name: "CLI", dependencies: ["Nunjucks", "Site", "Build", "Pipeline", "Cache", "Daemon", "Governor", "Metrics"]),
        .executableTarget(name: "unjucksd", dependencies: ["CLI"]),

        // Tests: one target per module, and helpers they share.
        .target(name: "TestSupport", dependencies: ["Cache"], path: "Tests/TestSupport"),
        .testTarget(name: "NunjucksTests", dependencies: ["Nunjucks"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
        .testTarget(name: "CacheTests", dependencies: ["Cache", "TestSupport"]),
        .testTarget(name: "WatchTests", dependencies: ["Watch"]),
        .testTarget(name: "GovernorTests", dependencies: ["Governor"]),
        .testTarget(name: "ServerTests", dependencies: ["Server"]),
        .testTarget(name: "SiteTests", dependencies: ["Site"]),
        .testTarget(name: "BuildTests", dependencies: ["Build", "Site", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Cache"]),
    ]
)
