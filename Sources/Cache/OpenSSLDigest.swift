import COpenSSL

/// SHA-256 as fetched from OpenSSL's default provider, once per process.
///
/// Passing `EVP_sha256()` instead makes every `EVP_DigestInit_ex` look the
/// algorithm up again (a lock and a table lookup per hash). The system's
/// openssl.cnf is not read: nothing in it can change SHA-256, and reading
/// it took 0.4 ms of every process start.
enum OpenSSLDigest {
    /// Immutable once fetched, and OpenSSL documents fetched methods as
    /// safe to share between threads.
    nonisolated(unsafe) static let sha256: OpaquePointer = {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_LOAD_CONFIG), nil)
        guard let digest = EVP_MD_fetch(nil, "SHA2-256", nil) else { fatalError("OpenSSL has no SHA2-256") }
        return digest
    }()
}
