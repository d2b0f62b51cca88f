import Glibc

/// Reads one environment variable. `ProcessInfo.environment` builds a
/// dictionary of the whole environment on first use (0.1 ms of a start
/// that looks up two names).
enum EnvironmentVariable {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
