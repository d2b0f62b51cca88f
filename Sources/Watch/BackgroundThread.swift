import Foundation
import Synchronization

/// A dedicated thread that can be joined, and knows whether the caller is itself.
final class BackgroundThread: Sendable {
    private final class Tracking: Sendable {
        let finished = DispatchSemaphore(value: 0)
        let threadID = Mutex<pthread_t?>(nil)
    }

    private let tracking = Tracking()

    /// Starts `body` on a new thread named `name`.
    init(name: String, body: @escaping @Sendable () -> Void) {
        let thread = Thread { [tracking] in
            tracking.threadID.withLock { $0 = pthread_self() }
            body()
            tracking.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// True when called from the background thread itself.
    var isCurrent: Bool {
        tracking.threadID.withLock { id in id.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    /// Waits for `body` to return (no-op when called from the thread itself).
    func join() {
        guard !isCurrent else { return }
        tracking.finished.wait()
        tracking.finished.signal()  // later joins return at once
    }
}
