/// Nunjucks's `lib.escape`: `& < > " '` and backslash become entities
/// (`&amp; &lt; &gt; &quot; &#39; &#92;`). Everything else, including `/`,
/// passes through.
public func escapeHTML(_ s: String) -> String {
    var needsWork = false
    for byte in s.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 || byte == 0x5C {
        needsWork = true
        break
    }
    guard needsWork else { return s }
    var out = [UInt8]()
    out.reserveCapacity(s.utf8.count + 16)
    for byte in s.utf8 {
        switch byte {
        case 0x26: out.append(contentsOf: "&amp;".utf8)
        case 0x3C: out.append(contentsOf: "&lt;".utf8)
        case 0x3E: out.append(contentsOf: "&gt;".utf8)
        case 0x22: out.append(contentsOf: "&quot;".utf8)
        case 0x27: out.append(contentsOf: "&#39;".utf8)
        case 0x5C: out.append(contentsOf: "&#92;".utf8)
        default: out.append(byte)
        }
    }
    return String(decoding: out, as: UTF8.self)
}
