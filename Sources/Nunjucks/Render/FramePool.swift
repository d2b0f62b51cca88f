/// Frames of loops and macro calls, reused within one render: a frame that
/// nothing else holds when its loop or call ends (no include, call body or
/// child frame kept it) goes back to the pool instead of being freed.
struct FramePool {
    private var frames: [Frame] = []

    @inline(__always)
    mutating func make(parent: Frame?, isolatesWrites: Bool) -> Frame {
        if let frame = frames.popLast() {
            frame.reset(parent: parent, isolatesWrites: isolatesWrites)
            return frame
        }
        return Frame(parent: parent, isolatesWrites: isolatesWrites)
    }

    /// Takes `frame` back if this is the only reference to it.
    @inline(__always)
    mutating func recycle(_ frame: inout Frame) {
        guard isKnownUniquelyReferenced(&frame), frames.count < 64 else { return }
        frame.clear()
        frames.append(frame)
    }
}

