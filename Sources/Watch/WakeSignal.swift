import CInotify
import Glibc

/// An eventfd that lets `stop()` wake a thread blocked in `poll()`.
final class WakeSignal: Sendable {
    let fileDescriptor: Int32

    init() throws {
        let fd = cinotify_eventfd_nonblocking()
        guard fd >= 0 else { throw WatchError.systemCall("eventfd", errno: errno) }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(fileDescriptor, $0.baseAddress, 8) }
    }

    /// True if `signal()` was called (consumes the signal).
    func consume() -> Bool {
        var value: UInt64 = 0
        return withUnsafeMutableBytes(of: &value) { read(fileDescriptor, $0.baseAddress, 8) } == 8
    }
}

/// Blocks in poll() on `descriptors` plus the wake signal; returns which
/// descriptors are readable (`[]` on timeout) or nil if woken for stop.
/// `timeout` nil waits indefinitely.
func waitReadable(_ descriptors: [Int32], wake: WakeSignal, timeout: Duration?) -> [Int32]? {
    var fds = ([wake.fileDescriptor] + descriptors).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let milliseconds: Int32
    if let timeout {
        let (seconds, attoseconds) = timeout.components
        let total = max(0, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        milliseconds = Int32(clamping: total)
    } else {
        milliseconds = -1
    }
    let count = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
    if count < 0 { return errno == EINTR ? [] : nil }
    if fds[0].revents != 0 { return nil }
    return fds.dropFirst().filter { $0.revents != 0 }.map(\.fd)
}
