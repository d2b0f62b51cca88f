import Cache
import Foundation
import Site

/// The record that lets a no-op `unjucksd build` finish without loading the
/// build state: a digest of every input's stat (and the options), the stat
/// of every output, and the counts to report. Written by a build that ended
/// without errors; deleted before any build writes an output, so a build
/// that crashes half-way never leaves a fingerprint that claims it finished.
extension BuildState {
    public struct Fingerprint: Sendable {
        /// Options and every input file's path and stat (see `inputsDigest`).
        public var inputs: ContentHash
        /// Output paths (relative to the site's output directory) and the
        /// size and mtime they had when written.
        public var outputs: [(path: String, size: Int64, mtimeNanoseconds: Int64)]
        public var pages: Int
        public var assets: Int

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
    }

    /// A fingerprint as stored: the outputs stay in their encoded form and
    /// are checked against the disk straight from it (no string per output).
    public struct StoredFingerprint: Sendable {
        public var inputs: ContentHash
        public var pages: Int
        public var assets: Int
        let encodedOutputs: [UInt8]

        /// Whether every output has the size and mtime it was written with
        /// (paths relative to the open directory `directory`). False also
        /// for a damaged record.
        func outputsMatch(in directory: Int32) -> Bool {
            encodedOutputs.withUnsafeBytes { raw -> Bool in
                var path = [CChar](repeating: 0, count: 512)
                var offset = 0
                while offset < raw.count {
                    guard offset + 4 <= raw.count else { return false }
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    offset += 4
                    guard offset + length + 16 <= raw.count else { return false }
                    if path.count <= length { path = [CChar](repeating: 0, count: length + 1) }
                    path.withUnsafeMutableBytes { destination in
                        destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
                        destination[length] = 0
                    }
                    offset += length
                    let size = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                    let mtime = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self))
                    offset += 16
                    var st = stat()
                    guard fstatat(directory, path, &st, 0) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                          case let found = FileStat(st), found.size == size, found.mtimeNanoseconds == mtime
                    else { return false }
                }
                return true
            }
        }
    }

    static let fingerprintSchema = """
        CREATE TABLE IF NOT EXISTS build_fingerprints(
            site TEXT PRIMARY KEY, inputs BLOB NOT NULL, outputs BLOB NOT NULL,
            pages INTEGER NOT NULL, assets INTEGER NOT NULL);
        """

    /// The fingerprint the last error-free full build of `site` left, if any.
    public func fingerprint(site: String) -> StoredFingerprint? {
        let row = try? database.read {
            try $0.queryFirst("SELECT inputs, outputs, pages, assets FROM build_fingerprints WHERE site = ?", [.text(site)])
        }
        guard let row = row ?? nil, let inputs = BuildState.hash(row[0]), let blob = row[1].blob,
              let pages = row[2].integer, let assets = row[3].integer
        else { return nil }
        return StoredFingerprint(inputs: inputs, pages: Int(pages), assets: Int(assets), encodedOutputs: blob)
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
