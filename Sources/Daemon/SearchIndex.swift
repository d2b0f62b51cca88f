import Foundation
import Synchronization

/// A full-text index over built pages, in memory: words -> pages. Built
/// from each site's output HTML after the first build and updated after
/// every build for the pages that changed.
public final class SearchIndex: Sendable {
    /// One search result.
    public struct Hit: Sendable, Equatable, Codable {
        public var site: String
        public var title: String
        /// Where the daemon previews the page: `/sites/NAME/a/b/`.
        public var url: String
        /// The page's own URL within its site: `/a/b/`.
        public var path: String
        public var snippet: String
        public var score: Double
    }

    struct Document: Sendable {
        let site: String
        let path: String
        let title: String
        let text: String
        let lowercasedText: String
        /// Term -> occurrences (title words count three times).
        let terms: [String: Int]
    }

    private struct State: Sendable {
        var documents: [Int: Document] = [:]
        var idByKey: [String: Int] = [:]
        var postings: [String: [Int: Int]] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Pages indexed right now.
    public var count: Int { state.withLock { $0.documents.count } }

    /// Adds or replaces the page `path` (its URL within `site`).
    public func update(site: String, path: String, html: [UInt8]) {
        let text = HTMLText(html: html)
        var terms: [String: Int] = [:]
        for word in Self.words(in: text.text) { terms[word, default: 0] += 1 }
        for word in Self.words(in: text.title) { terms[word, default: 0] += 3 }
        let document = Document(site: site, path: path, title: text.title, text: text.text,
                                lowercasedText: text.text.lowercased(), terms: terms)
        state.withLock { state in
            let key = site + "\u{0}" + path
            if let old = state.idByKey[key] { Self.unlink(old, from: &state) }
            let id = state.nextID
            state.nextID += 1
            state.idByKey[key] = id
            state.documents[id] = document
            for (term, count) in terms { state.postings[term, default: [:]][id] = count }
        }
    }

    /// Removes the page `path` of `site`.
    public func remove(site: String, path: String) {
        state.withLock { state in
            if let id = state.idByKey.removeValue(forKey: site + "\u{0}" + path) { Self.unlink(id, from: &state) }
        }
    }

    /// Removes every page of `site`.
    public func removeSite(_ site: String) {
        state.withLock { state in
            for (key, id) in state.idByKey where key.hasPrefix(site + "\u{0}") {
                state.idByKey.removeValue(forKey: key)
                Self.unlink(id, from: &state)
            }
        }
    }

    /// Pages of `site` in the index.
    public func count(of site: String) -> Int {
        state.withLock { state in state.documents.values.reduce(0) { $0 + ($1.site == site ? 1 : 0) } }
    }

    /// Up to `sample` URLs (within the site) of the pages of `site`, sorted.
    public func paths(of site: String, sample: Int) -> [String] {
        let all = state.withLock { state in state.documents.values.filter { $0.site == site }.map(\.path) }
        return Array(all.sorted().prefix(sample))
    }

    /// Pages containing every word of `query` (the last word may be a
    /// prefix), best first: term frequency weighted by rarity.
    public func search(_ query: String, site: String? = nil, limit: Int = 20) -> (total: Int, hits: [Hit]) {
        let words = Self.words(in: query)
        guard !words.isEmpty else { return (0, []) }
        return state.withLock { state in
            let total = Double(max(state.documents.count, 1))
            var scores: [Int: Double]?
            for (position, word) in words.enumerated() {
                var matches: [Int: Double] = [:]
                let isLast = position == words.count - 1
                let terms = isLast && word.count >= 2 ? state.postings.keys.filter { $0.hasPrefix(word) } : [word]
                for term in terms {
                    guard let posting = state.postings[term] else { continue }
                    let rarity = log(1 + total / Double(posting.count))
                    let exact = term == word ? 1.0 : 0.5
                    for (id, count) in posting { matches[id, default: 0] += Double(count) * rarity * exact }
                }
                if let previous = scores {
                    var merged: [Int: Double] = [:]
                    for (id, score) in matches { if let before = previous[id] { merged[id] = before + score } }
                    scores = merged
                } else {
                    scores = matches
                }
                if scores?.isEmpty ?? true { return (0, []) }
            }
            var ranked = (scores ?? [:]).compactMap { id, score -> (Int, Double)? in
                guard let document = state.documents[id], site == nil || document.site == site else { return nil }
                return (id, score)
            }
            ranked.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let hits = ranked.prefix(max(0, limit)).compactMap { id, score -> Hit? in
                guard let document = state.documents[id] else { return nil }
                return Hit(site: document.site, title: document.title,
                           url: "/sites/\(document.site)" + document.path, path: document.path,
                           snippet: Self.snippet(document, words: words), score: (score * 1000).rounded() / 1000)
            }
            return (ranked.count, hits)
        }
    }

    private static func unlink(_ id: Int, from state: inout State) {
        guard let document = state.documents.removeValue(forKey: id) else { return }
        for term in document.terms.keys {
            state.postings[term]?.removeValue(forKey: id)
            if state.postings[term]?.isEmpty == true { state.postings.removeValue(forKey: term) }
        }
    }

    /// Lower-case words of letters and digits, at least two characters long.
    static func words(in text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(in: text) }
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                if current.unicodeScalars.count >= 2 { words.append(current.lowercased()) }
                current = ""
            }
        }
        if current.unicodeScalars.count >= 2 { words.append(current.lowercased()) }
        return words
    }

    /// `words(in:)` for ASCII text, on bytes.
    private static func asciiWords(in text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func flush() {
            if current.count >= 2 { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte | 0x20)
            default: flush()
            }
        }
        flush()
        return words
    }

    /// About 160 characters of the page around the first match.
    static func snippet(_ document: Document, words: [String]) -> String {
        let text = document.text
        guard !text.isEmpty else { return "" }
        var first: String.Index?
        for word in words {
            if let range = document.lowercasedText.range(of: word), first.map({ range.lowerBound < $0 }) ?? true {
                first = range.lowerBound
            }
        }
        // lowercasedText can differ in length from text for a few scalars; fall back to the start.
        let offset = first.map { document.lowercasedText.distance(from: document.lowercasedText.startIndex, to: $0) } ?? 0
        let characters = Array(text)
        let center = min(offset, characters.count)
        let start = max(0, center - 60)
        let end = min(characters.count, start + 160)
        var snippet = String(characters[start..<end])
        if start > 0 { snippet = "…" + snippet }
        if end < characters.count { snippet += "…" }
        return snippet
    }
}
