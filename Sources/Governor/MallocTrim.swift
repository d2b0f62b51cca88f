import Glibc

/// glibc's `malloc_trim(0)`: returns freed heap pages to the OS.
///
/// `<malloc.h>` is not part of the Glibc module and Governor has no C shim,
/// so the symbol is looked up once in the already-loaded C library.
enum MallocTrim {
    private typealias Function = @convention(c) (Int) -> Int32

    private static let function: Function? = {
        // RTLD_DEFAULT is the null handle: search the global symbol scope.
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// Trims the heap; true if memory was released, false if none was (or no glibc).
    @discardableResult
    static func trim() -> Bool {
        (function?(0) ?? 0) != 0
    }

    static var isAvailable: Bool { function != nil }
}
