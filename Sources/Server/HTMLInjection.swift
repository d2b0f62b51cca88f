/// Rewrites an HTML body before it is sent (the preview's live-reload script, the error overlay).
/// Gets the body and the request; returns the body to send.
public typealias HTMLInjector = @Sendable (_ body: [UInt8], _ request: HTTPRequest) -> [UInt8]

/// Helpers for inserting snippets into HTML.
public enum HTMLInjection {
    /// Inserts `snippet` before the last `</body>` (any case), or appends it when there is none.
    public static func insertBeforeBodyClose(_ snippet: String, into html: [UInt8]) -> [UInt8] {
        let marker = Array("</body".utf8)
        var index = html.count - marker.count
        while index >= 0 {
            if matchesCaseInsensitive(html, at: index, marker) {
                var result = [UInt8]()
                result.reserveCapacity(html.count + snippet.utf8.count)
                result.append(contentsOf: html[..<index])
                result.append(contentsOf: snippet.utf8)
                result.append(contentsOf: html[index...])
                return result
            }
            index -= 1
        }
        return html + Array(snippet.utf8)
    }

    /// An injector that inserts `snippet` into every HTML page.
    public static func injecting(_ snippet: String) -> HTMLInjector {
        { body, _ in insertBeforeBodyClose(snippet, into: body) }
    }

    private static func matchesCaseInsensitive(_ bytes: [UInt8], at offset: Int, _ lowerMarker: [UInt8]) -> Bool {
        for (index, expected) in lowerMarker.enumerated() {
            let byte = bytes[offset + index]
            let lower = (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
            if lower != expected { return false }
        }
        return true
    }
}
