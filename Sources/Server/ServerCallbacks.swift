import CMicroHTTPD
import Metrics
import Synchronization

// The C callbacks handed to libmicrohttpd. They are file-scope constants in a
// non-main file, so they carry no actor isolation (a main-actor closure called
// from a C thread traps); all state travels through the userdata pointers.

let accessHandlerCallback: MHD_AccessHandlerCallback = { cls, connection, url, method, version, uploadData, uploadDataSize, requestSlot in
    guard let cls, let url, let method, let uploadDataSize, let requestSlot else { return .NO }
    let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
    return context.handleAccess(connection: connection, url: url, method: method, version: version,
                                uploadData: uploadData, uploadDataSize: uploadDataSize, requestSlot: requestSlot)
}

let requestCompletedCallback: MHD_RequestCompletedCallback = { cls, _, requestSlot, _ in
    guard let requestSlot, let pointer = requestSlot.pointee else { return }
    let state = Unmanaged<RequestState>.fromOpaque(pointer)
    if let cls {
        Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
            .releaseBackgroundSlot(of: state.takeUnretainedValue())
    }
    state.release()
    requestSlot.pointee = nil
}

let headerIteratorCallback: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return .YES }
    let pairs = cls.assumingMemoryBound(to: [(String, String)].self)
    pairs.pointee.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
    return .YES
}

let streamReaderCallback: MHD_ContentReaderCallback = { cls, _, buffer, capacity in
    guard let cls, let buffer else { return StreamReaderResult.endWithError }
    let context = Unmanaged<StreamCallbackContext>.fromOpaque(cls).takeUnretainedValue()
    // Once stopping, never park a connection again: the daemon must not stop with suspended ones.
    if context.server.isStopping.load(ordering: .acquiring) { context.stream.abort() }
    return context.stream.read(into: buffer, capacity: capacity, connection: context.connection)
}

let streamFreeCallback: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    let context = Unmanaged<StreamCallbackContext>.fromOpaque(cls).takeRetainedValue()
    context.server.liveStreams.remove(context.stream)
    context.stream.detach()
}

/// libmicrohttpd's own messages: rejected requests at debug level, the rest (bind failures, ...) as warnings.
let libraryLogCallback: unjucksd_mhd_log_sink = { message in
    guard let message else { return }
    let text = String(cString: message).trimmingSpaces().trimmingTrailingNewlines()
    let logger = Logger(label: "unjucksd.http")
    if text.hasPrefix("Error processing request") || text.hasPrefix("Closing connection")
        || text.hasPrefix("Failed to send") || text.contains("connection reset") {
        logger.debug("libmicrohttpd: \(text)")
    } else {
        logger.warning("libmicrohttpd: \(text)")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var slice = self[...]
        while slice.last == "\n" || slice.last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
