import Dispatch
import Foundation
import Glibc

/// SIGINT and SIGTERM as a blocking wait: the signals are ignored for the
/// default disposition and delivered to dispatch sources on a background
/// queue (never to a main-actor closure), which wake the waiting thread.
public final class TerminationSignals: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "unjucksd.signals")
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32 = 0

    /// Starts catching `signals` (default SIGINT and SIGTERM).
    public init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    private func deliver(_ number: Int32) {
        let first = lock.withLock { () -> Bool in
            defer { if received == 0 { received = number } }
            return received == 0
        }
        if first { semaphore.signal() }
    }

    /// Blocks until one of the signals arrives; returns its number.
    public func wait() -> Int32 {
        semaphore.wait()
        return lock.withLock { received }
    }

    /// Delivers `number` as if it had been received (tests, `stop` paths).
    public func simulate(_ number: Int32) {
        deliver(number)
    }
}
