import CInotify

/// One decoded `struct inotify_event`.
struct InotifyEvent: Equatable {
    let watchDescriptor: Int32
    let mask: UInt32
    let cookie: UInt32
    /// The entry name inside the watched directory; empty for events on the directory itself.
    let name: String

    func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }
    var isDirectory: Bool { has(IN_ISDIR) }

    /// Decodes the events in a buffer filled by `read(2)` on an inotify fd.
    /// The variable-length name is not imported into Swift: it follows the
    /// fixed header, NUL-padded to `len` bytes.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
        let headerSize = MemoryLayout<inotify_event>.size
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + headerSize <= bytes.count {
            let header = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
            let nameLength = Int(header.len)
            let nameStart = offset + headerSize
            guard nameStart + nameLength <= bytes.count else { break }
            let nameBytes = bytes[nameStart..<(nameStart + nameLength)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            events.append(InotifyEvent(watchDescriptor: header.wd, mask: header.mask,
                                       cookie: header.cookie, name: name))
            offset = nameStart + nameLength
        }
        return events
    }
}
