import Foundation

/// Interned variable names: frames compare small integers, not strings.
enum SymbolTable {
    /// `loop` and `caller` have fixed ids, so hot paths compare against
    /// constants instead of lazily initialized globals.
    nonisolated(unsafe) private static var ids: [String: Int] = ["loop": 1, "caller": 2]
    private static let lock = NSLock()

    static func id(_ name: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[name] { return id }
        let id = ids.count + 1
        ids[name] = id
        return id
    }

    static let loop = 1
    static let caller = 2
}

/// State of the innermost `for` loop, materialized as the `loop` object on demand.
struct LoopState {
    var index0: Int
    var length: Int

    func field(_ name: String) -> Value? {
        switch name {
        case "index": return .number(Double(index0 + 1))
        case "index0": return .number(Double(index0))
        case "revindex": return .number(Double(length - index0))
        case "revindex0": return .number(Double(length - index0 - 1))
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .number(Double(length))
        default: return nil
        }
    }

    var object: JSObject {
        JSObject(["index", "index0", "revindex", "revindex0", "first", "last", "length"].map { ($0, field($0)!) })
    }
}

/// A frame binding that lives in a local slot: loop variables and macro
/// parameters are written to their slot only, and the frame reads them
/// from there when something looks them up by name.
struct SlotBinding: Sendable {
    let id: Int
    let slot: Int
}

/// Nunjucks's runtime `Frame`: a scope of variables with a parent. Sets
/// resolve upward unless the frame isolates writes (includes, blocks,
/// call bodies); lookups always walk every parent.
final class Frame {
    @exclusivity(unchecked) private var names: [Int] = []
    @exclusivity(unchecked) private var values: [Value] = []
    @exclusivity(unchecked) private var slotBindings: [SlotBinding] = []
    @exclusivity(unchecked) private var slotLocals: Locals?
    @exclusivity(unchecked) private(set) var parent: Frame?
    @exclusivity(unchecked) private(set) var isolatesWrites: Bool
    @exclusivity(unchecked) var isTopLevel = false
    @exclusivity(unchecked) var loop: LoopState?

    init(parent: Frame? = nil, isolatesWrites: Bool = false) {
        self.parent = parent
        self.isolatesWrites = isolatesWrites
    }

    func push(isolatesWrites: Bool = false) -> Frame {
        Frame(parent: self, isolatesWrites: isolatesWrites)
    }

    /// Makes a recycled frame fresh (see `FramePool`).
    func reset(parent: Frame?, isolatesWrites: Bool) {
        self.parent = parent
        self.isolatesWrites = isolatesWrites
    }

    /// Drops everything a frame holds before it is pooled.
    func clear() {
        parent = nil
        if !names.isEmpty {
            names.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
        }
        slotBindings = []
        slotLocals = nil
        isTopLevel = false
        loop = nil
    }

    /// Makes `bindings` visible by name, read from `locals`.
    @inline(__always)
    func bindSlots(_ bindings: [SlotBinding], in locals: Locals) {
        slotBindings = bindings
        slotLocals = locals
    }

    /// Whether this frame binds `id` itself (even to undefined).
    func binds(_ id: Int) -> Bool {
        names.contains(id) || slotBindings.contains { $0.id == id }
    }

    /// This frame's own binding (even an undefined one).
    @inline(__always)
    func own(_ id: Int) -> Value? {
        var i = 0
        let n = names.count
        while i < n {
            if names[i] == id { return values[i] }
            i += 1
        }
        if let slotLocals {
            for binding in slotBindings where binding.id == id { return slotLocals[binding.slot] }
        }
        if id == SymbolTable.loop, let loop { return .object(loop.object) }
        return nil
    }

    /// `frame.lookup`: the nearest binding that is not undefined.
    func lookup(_ id: Int) -> Value? {
        // Parents are kept alive by `self`; walking them needs no retains.
        var current = Unmanaged.passUnretained(self)
        while true {
            var found: Value?
            let next: Unmanaged<Frame>? = current._withUnsafeGuaranteedRef { f in
                if let v = f.own(id), !v.isUndefined {
                    found = v
                    return nil
                }
                return f.parentReference
            }
            if let found { return found }
            guard let next else { return nil }
            current = next
        }
    }

    /// The parent, unretained (for walks that `self` keeps alive).
    @inline(__always)
    private var parentReference: Unmanaged<Frame>? {
        guard let parent else { return nil }
        return Unmanaged.passUnretained(parent)
    }

    /// `loop.<field>` without building the loop object.
    func lookupLoopField(_ field: String) -> Value? {
        unowned(unsafe) var f = self
        while true {
            if f.binds(SymbolTable.loop) {
                return f.own(SymbolTable.loop).map { $0.member(.string(field)) }
            }
            if let loop = f.loop { return loop.field(field) ?? .undefined }
            guard let parent = f.parent else { return nil }
            f = parent
        }
    }

    /// Binds in this frame.
    func set(_ id: Int, _ value: Value) {
        if let i = names.firstIndex(of: id) {
            values[i] = value
        } else {
            if names.isEmpty {
                names.reserveCapacity(4)
                values.reserveCapacity(4)
            }
            names.append(id)
            values.append(value)
        }
    }

    /// `frame.set(name, value, true)`: assigns where the name already lives
    /// (only this frame if it isolates writes), else here.
    func assign(_ id: Int, _ value: Value) {
        if let v = own(id), !v.isUndefined {
            set(id, value)
            return
        }
        if !isolatesWrites, let found = parent?.resolve(id) {
            found.set(id, value)
            return
        }
        set(id, value)
    }

    private func resolve(_ id: Int) -> Frame? {
        var frame: Frame? = self
        while let f = frame {
            if let v = f.own(id), !v.isUndefined { return f }
            frame = f.parent
        }
        return nil
    }
}

/// Header of `Locals`: slot count and the definer's locals.
struct LocalsHeader {
    let count: Int
    let parent: Locals?
}

/// The local slots of one running function (root, block, macro, call body):
/// names the compiler bound (loop variables, macro parameters, imports,
/// macros) are read by index. Call bodies see their definer's slots.
/// The slots are tail-allocated: one allocation per function call.
final class Locals: ManagedBuffer<LocalsHeader, Value> {
    static func make(count: Int, parent: Locals?) -> Locals {
        let buffer = Locals.create(minimumCapacity: count) { _ in LocalsHeader(count: count, parent: parent) }
        let locals = unsafeDowncast(buffer, to: Locals.self)
        locals.withUnsafeMutablePointerToElements { $0.initialize(repeating: .undefined, count: count) }
        return locals
    }

    deinit {
        withUnsafeMutablePointers { header, elements in _ = elements.deinitialize(count: header.pointee.count) }
    }

    var parent: Locals? { header.parent }

    @inline(__always)
    subscript(slot: Int) -> Value {
        get { withUnsafeMutablePointerToElements { $0[slot] } }
        set { withUnsafeMutablePointerToElements { $0[slot] = newValue } }
    }
}
