import Foundation

/// Calls `tick` every `interval` on its own thread until stopped; `stop()` wakes and joins it.
final class SamplingLoop: Sendable {
    private let stopRequested = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(interval: Duration, tick: @escaping @Sendable () -> Void) {
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000
            + Int(interval.components.attoseconds / 1_000_000_000)
        let thread = Thread { [stopRequested, finished] in
            while stopRequested.wait(timeout: .now() + .nanoseconds(max(1_000_000, nanoseconds))) == .timedOut {
                tick()
            }
            finished.signal()
        }
        thread.name = "unjucksd.governor"
        thread.start()
    }

    func stop() {
        stopRequested.signal()
        finished.wait()
        finished.signal()  // a second stop() returns at once
        stopRequested.signal()
    }
}
