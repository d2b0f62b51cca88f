import Foundation
import Site

/// The HTML shown over a previewed page when the last build of its site
/// failed: every error as `file:line:col: message` with the source line and
/// a caret, so nobody mistakes stale output for the current state.
enum ErrorOverlay {
    /// How many errors the overlay lists in full.
    static let maxShown = 20

    static func html(site: String, errors: [SiteError]) -> String {
        var items = ""
        for error in errors.prefix(maxShown) {
            let location = "\(error.file):\(error.line):\(error.column)"
            var excerpt = error.detail
            if excerpt.isEmpty { excerpt = sourceExcerpt(file: error.file, line: error.line, column: error.column) }
            items += "<li><div class=\"unjucksd-loc\">\(escape(location))</div><div class=\"unjucksd-msg\">\(escape(error.message))</div>"
            if !excerpt.isEmpty { items += "<pre>\(escape(excerpt))</pre>" }
            items += "</li>"
        }
        if errors.count > maxShown { items += "<li>… and \(errors.count - maxShown) more (see /status)</li>" }
        return """
        <div id="unjucksd-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;\
        background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;padding:32px">
        <style>#unjucksd-error-overlay ol{padding-left:20px}#unjucksd-error-overlay li{margin:0 0 18px}\
        #unjucksd-error-overlay .unjucksd-loc{color:#fda4af;font-weight:bold}\
        #unjucksd-error-overlay pre{background:#000;color:#e4e4e7;padding:10px;border-radius:6px;overflow:auto}</style>
        <h2 style="margin:0 0 6px;color:#fb7185;font-size:18px">Build of site “\(escape(site))” failed — this page is stale</h2>
        <p style="margin:0 0 16px;color:#a1a1aa">Fix the source; the page reloads when the next build succeeds.</p>
        <ol>\(items)</ol></div>
        """
    }

    /// The offending line of the source with a caret under the column.
    static func sourceExcerpt(file: String, line: Int, column: Int) -> String {
        guard line >= 1, let data = FileManager.default.contents(atPath: file) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return "" }
        let text = String(lines[line - 1]).replacingOccurrences(of: "\t", with: " ")
        let gutter = "\(line) | "
        let caret = String(repeating: " ", count: gutter.count + max(0, column - 1)) + "^"
        return gutter + text + "\n" + caret
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
