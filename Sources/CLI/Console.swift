import Glibc

/// Writes to stdout/stderr with plain `write(2)`: no buffering surprises
/// (`fputs(stderr)` is not allowed in Swift 6 strict concurrency), and no
/// `Data(text.utf8)`, whose generic initialiser looked up protocol
/// conformances across the whole binary on first use (~0.5 ms of every
/// command's start).
enum Console {
    static func out(_ text: String) { write(text, to: 1) }

    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0, to: 1) }
    }

    static func error(_ text: String) { write(text, to: 2) }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write($0, to: descriptor) }
    }

    private static func write(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(descriptor, base + offset, buffer.count - offset)
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}
