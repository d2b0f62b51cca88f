#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes a render writes: a growable buffer filled by `memcpy`, without
/// the per-append bookkeeping of `[UInt8]`. It grows with `realloc`, which
/// moves large blocks by remapping pages rather than copying them.
final class OutputBuffer {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        guard let memory = malloc(self.capacity) else { fatalError("out of memory for render output") }
        base = memory.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0 else { return }
        if count &+ n > capacity { grow(toHold: count + n) }
        (base + count).update(from: bytes.baseAddress!, count: n)
        count &+= n
    }

    @inline(__always)
    func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Drops everything after the first `mark` bytes.
    func truncate(to mark: Int) {
        count = Swift.min(count, mark)
    }

    /// The output as text (the engine writes only valid UTF-8).
    var string: String { string(from: 0) }

    /// The text written since `mark`.
    func string(from mark: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + mark, count: count - mark), as: UTF8.self)
    }

    private func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        guard let memory = realloc(base, newCapacity) else { fatalError("out of memory for render output") }
        base = memory.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }
}
