import Cache
import Foundation
import Site

/// The record that lets a no-op `unjucksd build` finish without loading the
/// build state: a digest of every input's stat (and the options), the stat
/// of every output, and the counts to report. Written by a build that ended
/// without errors; deleted before any build writes an output, so a build
/// that crashes half-way never leaves a fingerprint that claims it finished.
extension BuildState {
    public struct Fingerprint: Sendable, Equatable {
        /// Options and every input file's path and stat (see `inputsDigest`).
        public var inputs: ContentHash
        /// Output paths (relative to the site's output directory) and the
        /// size and mtime they had when written.
        public var outputs: [(path: String, size: Int64, mtimeNanoseconds: Int64)]
        public var pages: Int
        public var assets: Int

        public static func == (a: Fingerprint, b: Fingerprint) -> Bool {
            a.inputs == b.inputs && a.pages == b.pages && a.assets == b.assets && a.outputs.count == b.outputs.count
                && zip(a.outputs, b.outputs).allSatisfy { $0.path == $1.path && $0.size == $1.size && $0.mtimeNanoseconds == $1.mtimeNanoseconds }
        }

        /// What the inputs digest covers: the build options and, in path
        /// order, each file's path, size, mtime and inode.
        public static func inputsDigest(options: ContentHash, files: [SiteFile]) -> ContentHash {
            // One buffer, hashed once: thousands of small hasher updates cost more.
            var record = Record(capacity: files.count * 64)
            record.bytes.append(contentsOf: options.bytes)
            for file in files {
                record.append(file.path)
                record.append(file.stat.size)
                record.append(file.stat.mtimeNanoseconds)
                record.append(file.stat.inode)
            }
            return ContentHash.of(record.bytes)
        }

        /// Outputs as one blob: per output a little-endian UInt32 path
        /// length, the path's UTF-8, then size and mtime as Int64.
        func encodedOutputs() -> [UInt8] {
            var record = Record(capacity: outputs.count * 48)
            for output in outputs {
                record.append(output.path)
                record.append(output.size)
                record.append(output.mtimeNanoseconds)
            }
            return record.bytes
        }

        /// Little-endian integers and length-prefixed paths, appended.
        struct Record {
            var bytes: [UInt8] = []

            init(capacity: Int) { bytes.reserveCapacity(capacity) }

            mutating func append<T: FixedWidthInteger>(_ value: T) {
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            }

            /// A UInt32 length, then the UTF-8.
            mutating func append(_ path: String) {
                append(UInt32(path.utf8.count))
                bytes.append(contentsOf: path.utf8)
            }
        }

        static func decodeOutputs(_ bytes: [UInt8]) -> [(path: String, size: Int64, mtimeNanoseconds: Int64)]? {
            var outputs: [(path: String, size: Int64, mtimeNanoseconds: Int64)] = []
            var offset = 0
            func read<T: FixedWidthInteger>(_: T.Type) -> T? {
                let width = MemoryLayout<T>.size
                guard offset + width <= bytes.count else { return nil }
                var value: T = 0
                for index in (offset..<offset + width).reversed() { value = value << 8 | T(bytes[index]) }
                offset += width
                return value
            }
            while offset < bytes.count {
                guard let length = read(UInt32.self), offset + Int(length) <= bytes.count else { return nil }
                let path = String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
                offset += Int(length)
                guard let size = read(Int64.self), let mtime = read(Int64.self) else { return nil }
                outputs.append((path, size, mtime))
            }
            return outputs
        }
    }

    static let fingerprintSchema = """
        CREATE TABLE IF NOT EXISTS build_fingerprints(
            site TEXT PRIMARY KEY, inputs BLOB NOT NULL, outputs BLOB NOT NULL,
            pages INTEGER NOT NULL, assets INTEGER NOT NULL);
        """

    /// The fingerprint the last error-free full build of `site` left, if any.
    public func fingerprint(site: String) -> Fingerprint? {
        let row = try? database.read {
            try $0.queryFirst("SELECT inputs, outputs, pages, assets FROM build_fingerprints WHERE site = ?", [.text(site)])
        }
        guard let row = row ?? nil, let inputs = BuildState.hash(row[0]), let blob = row[1].blob,
              let outputs = Fingerprint.decodeOutputs(blob), let pages = row[2].integer, let assets = row[3].integer
        else { return nil }
        return Fingerprint(inputs: inputs, outputs: outputs, pages: Int(pages), assets: Int(assets))
    }

    /// Deletes `site`'s fingerprint: called before a build may change outputs.
    public func forgetFingerprint(site: String) throws {
        try database.write { try $0.execute("DELETE FROM build_fingerprints WHERE site = ?", [.text(site)]) }
    }

    static func store(_ fingerprint: Fingerprint, site: String, _ connection: SQLiteConnection) throws {
        try connection.execute(
            "INSERT OR REPLACE INTO build_fingerprints(site, inputs, outputs, pages, assets) VALUES (?, ?, ?, ?, ?)",
            [.text(site), .blob(fingerprint.inputs.bytes), .blob(fingerprint.encodedOutputs()),
             .int(fingerprint.pages), .int(fingerprint.assets)])
    }
}
