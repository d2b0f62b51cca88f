/// Splits inputs too large for md4c's 32-bit sizes into pieces that end at a
/// blank line (a block boundary), so each piece renders on its own.
enum MarkdownChunker {
    /// md4c's `MD_SIZE` is `unsigned`; stay well inside it.
    static let maximumChunk = Int(UInt32.max / 2)

    static func chunks(of bytes: [UInt8], maximum: Int = maximumChunk) -> [Range<Int>] {
        guard bytes.count > maximum else { return [0..<bytes.count] }
        var ranges: [Range<Int>] = []
        var start = 0
        while bytes.count - start > maximum {
            var end = start + maximum
            // Walk back to just after a "\n\n"; without one, cut at a newline,
            // and without that, cut anywhere.
            if let blank = lastBoundary(in: bytes, from: start, to: end, blankLine: true)
                ?? lastBoundary(in: bytes, from: start, to: end, blankLine: false) {
                end = blank
            }
            ranges.append(start..<end)
            start = end
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    private static func lastBoundary(in bytes: [UInt8], from start: Int, to end: Int, blankLine: Bool) -> Int? {
        var index = end - 1
        while index > start {
            if bytes[index] == 0x0A && (!blankLine || bytes[index - 1] == 0x0A) {
                return index + 1
            }
            index -= 1
        }
        return nil
    }
}
