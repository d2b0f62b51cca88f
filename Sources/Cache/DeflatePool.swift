import CDeflate
import Synchronization

/// libdeflate compressors (one pool per level) and decompressors, kept for
/// reuse. Setting up a compressor allocates its hash tables (hundreds of
/// KiB), more than compressing a page of a few KiB costs; a decompressor is
/// smaller but is cleared on allocation, 3% of the instructions of a build
/// that inflates 4,000 fetched pages. A caller takes an idle one (or a new
/// one) and gives it back, so there are about as many as threads use at once.
final class DeflatePool: Sendable {
    /// Idle objects, as addresses (`OpaquePointer` is not `Sendable`).
    private let idle = Mutex<[UInt]>([])
    private let make: @Sendable () -> OpaquePointer?

    private init(make: @escaping @Sendable () -> OpaquePointer?) { self.make = make }

    private static let compressorsByLevel = Mutex<[Int32: DeflatePool]>([:])

    /// The pool of compressors of `level` (created on first use).
    static func compressors(level: Int32) -> DeflatePool {
        compressorsByLevel.withLock { pools in
            if let pool = pools[level] { return pool }
            let pool = DeflatePool { libdeflate_alloc_compressor(level) }
            pools[level] = pool
            return pool
        }
    }

    /// The pool of decompressors (they have no settings: one pool).
    static let decompressors = DeflatePool { libdeflate_alloc_decompressor() }

    /// Runs `body` with a pooled object; nil if none could be made.
    func withObject<T>(_ body: (OpaquePointer) -> T) -> T? {
        let taken = idle.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
        guard let object = taken ?? make() else { return nil }
        defer { idle.withLock { $0.append(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(object)))) } }
        return body(object)
    }
}
