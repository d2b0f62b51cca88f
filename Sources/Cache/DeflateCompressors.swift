import CDeflate
import Synchronization

/// libdeflate compressors of one level, kept for reuse: setting one up
/// allocates its hash tables (hundreds of KiB), more than compressing a
/// page of a few KiB costs. A caller takes an idle one (or a new one) and
/// gives it back, so there are about as many as threads compress at once.
final class DeflateCompressors: Sendable {
    let level: Int32
    /// Idle compressors, as addresses (`OpaquePointer` is not `Sendable`).
    private let idle = Mutex<[UInt]>([])

    private init(level: Int32) { self.level = level }

    private static let byLevel = Mutex<[Int32: DeflateCompressors]>([:])

    /// The pool for `level` (created on first use).
    static func shared(level: Int32) -> DeflateCompressors {
        byLevel.withLock { pools in
            if let pool = pools[level] { return pool }
            let pool = DeflateCompressors(level: level)
            pools[level] = pool
            return pool
        }
    }

    /// Runs `body` with a compressor of this level; nil if none could be made.
    func withCompressor<T>(_ body: (OpaquePointer) -> T) -> T? {
        let taken = idle.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
        guard let compressor = taken ?? libdeflate_alloc_compressor(level) else { return nil }
        defer { idle.withLock { $0.append(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(compressor)))) } }
        return body(compressor)
    }
}
