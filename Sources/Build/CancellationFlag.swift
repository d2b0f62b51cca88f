import Synchronization

/// A one-way flag one thread raises to stop work another started on the
/// chance that it would be needed (e.g. loading build state while a
/// no-op check runs).
final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .relaxed) }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
