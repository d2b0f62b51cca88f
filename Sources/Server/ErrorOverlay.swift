/// A fixed panel listing build errors, injected into preview pages while the last build failed.
public enum ErrorOverlay {
    /// The overlay markup for `messages` (each `file:line:column: message`), HTML-escaped;
    /// empty when there are no messages. Clicking the panel hides it.
    public static func snippet(messages: [String]) -> String {
        guard !messages.isEmpty else { return "" }
        let items = messages.map { "<li>\(escapeHTML($0))</li>" }.joined()
        let title = messages.count == 1 ? "Build failed: 1 error" : "Build failed: \(messages.count) errors"
        return """
            <div data-unjucksd-error-overlay onclick="this.remove()" style="position:fixed;inset:auto 0 0 0;\
            max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:12px 16px;background:#1e1e1e;\
            color:#ff8a80;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;border-top:3px solid #ff5252;\
            white-space:pre-wrap"><strong style="color:#fff">\(title)</strong>\
            <ul style="margin:6px 0 0;padding-left:18px">\(items)</ul></div>
            """
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
