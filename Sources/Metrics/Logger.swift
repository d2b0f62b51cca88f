#if canImport(Glibc)
import Glibc
#endif

/// A small structured logger in the style of swift-log.
///
/// Lines go to stderr as `TIMESTAMP LEVEL label: message key=value ...`.
/// The default threshold comes from `UNJUCKSD_LOG_LEVEL` (trace, debug, info,
/// notice, warning, error, critical; default `info`).
public struct Logger: Sendable {
    /// Where a finished line goes (stderr by default).
    public typealias Sink = @Sendable (String) -> Void

    /// Structured key/value context attached to a line.
    public typealias Metadata = [String: MetadataValue]

    /// Identifies the component, e.g. `unjucksd.server`.
    public let label: String
    /// Lines below this level are dropped without evaluating the message.
    public var logLevel: Level
    /// Metadata added to every line of this logger.
    public var metadata: Metadata
    private let sink: Sink

    /// A logger writing to stderr at the level given by `UNJUCKSD_LOG_LEVEL`.
    public init(label: String) {
        self.init(label: label, level: Level.fromEnvironment, sink: Logger.standardError)
    }

    /// A logger with an explicit level and sink.
    public init(label: String, level: Level, sink: @escaping Sink) {
        self.label = label
        self.logLevel = level
        self.metadata = [:]
        self.sink = sink
    }

    /// Reads or sets one key of the logger's own metadata.
    public subscript(metadataKey key: String) -> MetadataValue? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Logs `message` at `level` when the level is enabled.
    public func log(level: Level, _ message: @autoclosure () -> String,
                    metadata extra: @autoclosure () -> Metadata? = nil) {
        guard level >= logLevel else { return }
        var merged = metadata
        if let extra = extra() {
            merged.merge(extra) { _, new in new }
        }
        sink(LogLineFormatter.line(timestamp: LogLineFormatter.now(), level: level, label: label,
                                   message: message(), metadata: merged))
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .trace, message(), metadata: metadata())
    }
    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .debug, message(), metadata: metadata())
    }
    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .info, message(), metadata: metadata())
    }
    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .notice, message(), metadata: metadata())
    }
    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .warning, message(), metadata: metadata())
    }
    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .error, message(), metadata: metadata())
    }
    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .critical, message(), metadata: metadata())
    }

    /// Writes a line to stderr with one `write(2)`, so concurrent lines do not interleave.
    public static let standardError: Sink = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
