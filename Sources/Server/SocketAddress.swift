#if canImport(Glibc)
import Glibc
#endif

/// Converts between host strings and socket addresses.
enum SocketAddress {
    /// The numeric text of an IPv4 or IPv6 address.
    static func text(of address: UnsafePointer<sockaddr>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var addr = v4.pointee.sin_addr
                guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count)) != nil else { return "" }
                return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var addr = v6.pointee.sin6_addr
                guard inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)) != nil else { return "" }
                let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                // IPv4-mapped peers on a dual-stack socket read better as plain IPv4.
                return text.hasPrefix("::ffff:") && text.contains(".") ? String(text.dropFirst(7)) : text
            }
        default:
            return ""
        }
    }

    /// A bindable address for `host` and `port`: numeric IPv4/IPv6 or `localhost`.
    static func make(host: String, port: Int) -> Storage? {
        let name = host == "localhost" ? "127.0.0.1"
            : (host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host)
        var storage = sockaddr_storage()
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    address.pointee.sin_family = sa_family_t(AF_INET)
                    address.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.pointee.sin_addr = v4
                }
            }
            return Storage(storage: storage, isIPv6: false)
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    address.pointee.sin6_family = sa_family_t(AF_INET6)
                    address.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                    address.pointee.sin6_addr = v6
                }
            }
            return Storage(storage: storage, isIPv6: true)
        }
        return nil
    }

    struct Storage {
        var storage: sockaddr_storage
        let isIPv6: Bool
    }
}
