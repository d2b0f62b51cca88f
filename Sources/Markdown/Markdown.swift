import CMD4C

/// Markdown to HTML through md4c's HTML renderer.
///
/// The dialect is CommonMark plus tables, strikethrough and permissive
/// autolinks (bare URLs, `www.` links, e-mail addresses); raw HTML blocks and
/// spans pass through untouched, so template syntax such as `{{ x }}` or
/// `{% if %}` in text survives unchanged (it is plain text to Markdown).
///
/// md4c works on bytes, so any input is accepted: binary data, NUL bytes and
/// invalid UTF-8 all render. The output is always valid UTF-8: NUL becomes
/// U+FFFD (as CommonMark asks) and every invalid UTF-8 sequence that md4c
/// copied through is replaced by U+FFFD. A leading UTF-8 BOM is skipped.
public enum Markdown {
    /// Renders Markdown bytes to HTML bytes (valid UTF-8).
    public static func renderHTML(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        // HTML is usually a little longer than its Markdown; reserving up
        // front keeps appends amortised without repeated regrowth.
        output.reserveCapacity(bytes.count + bytes.count / 4 + 64)
        for chunk in MarkdownChunker.chunks(of: bytes) {
            renderChunk(bytes[chunk], into: &output)
        }
        return UTF8Repair.repaired(output)
    }

    /// Renders Markdown text to HTML text.
    public static func renderHTML(_ text: String) -> String {
        let html = renderHTML(Array(text.utf8))
        return String(decoding: html, as: UTF8.self)
    }

    /// The md4c parser flags in use: `MD_DIALECT_GITHUB` without task lists
    /// (that macro does not import into Swift, so the flags are ORed here).
    public static let parserFlags: UInt32 = UInt32(
        MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH
            | MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS
            | MD_FLAG_PERMISSIVEEMAILAUTOLINKS)

    static let rendererFlags: UInt32 = UInt32(MD_HTML_FLAG_SKIP_UTF8_BOM)

    /// Zero bytes after every input handed to md4c (see `renderChunk`).
    static let inputPadding = 64

    /// Runs md4c on one chunk (at most `MarkdownChunker.maximumChunk` bytes,
    /// since md4c sizes are 32-bit), appending the HTML to `output`.
    private static func renderChunk(_ chunk: ArraySlice<UInt8>, into output: inout [UInt8]) {
        // md4c 0.4.8 (Debian) reads a byte or so past the end of its input on
        // some documents (valgrind over random Markdown: "0 bytes after a
        // block"), which once crashed a test run. It gets a copy followed by
        // zero bytes (the length passed is the text's): with 64 bytes of
        // padding, 60,000 random documents ran clean under valgrind.
        let padded = [UInt8](unsafeUninitializedCapacity: chunk.count + Self.inputPadding) { buffer, count in
            _ = buffer.initialize(from: chunk)
            (buffer.baseAddress! + chunk.count).initialize(repeating: 0, count: Self.inputPadding)
            count = chunk.count + Self.inputPadding
        }
        let length = chunk.count
        let status: Int32 = padded.withUnsafeBufferPointer { paddedInput in
            let input = UnsafeBufferPointer(rebasing: paddedInput[0..<length])
            // An empty document renders to nothing.
            guard let base = input.baseAddress, !input.isEmpty else { return 0 }
            return withUnsafeMutablePointer(to: &output) { sink in
                md_html(
                    UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                    MD_SIZE(input.count),
                    appendToOutput,
                    UnsafeMutableRawPointer(sink),
                    parserFlags,
                    rendererFlags)
            }
        }
        if status != 0 {
            // md4c fails only when it cannot allocate memory. Hand back the
            // source as escaped preformatted text rather than nothing.
            output.append(contentsOf: Array("<pre>".utf8))
            HTMLEscaping.appendEscaped(chunk, to: &output)
            output.append(contentsOf: Array("</pre>\n".utf8))
        }
    }
}

/// md4c's output callback: appends each piece to the `[UInt8]` the userdata
/// points at. A file-scope constant, so it carries no actor isolation.
private let appendToOutput: @convention(c) (UnsafePointer<CChar>?, MD_SIZE, UnsafeMutableRawPointer?) -> Void = {
    text, size, userdata in
    guard let text, let userdata, size > 0 else { return }
    let sink = userdata.assumingMemoryBound(to: [UInt8].self)
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(size))
    sink.pointee.append(contentsOf: bytes)
}
