#pragma once
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a function-like cast macro and does not import:
/// binding with it makes SQLite copy the bytes before the call returns.
static inline sqlite3_destructor_type unjucksd_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// sqlite3_bind_blob64 with SQLITE_TRANSIENT (zero-length blobs stay blobs, not NULL).
static inline int unjucksd_sqlite_bind_blob(sqlite3_stmt *stmt, int index, const void *bytes, sqlite3_uint64 length) {
    static const char empty = 0;
    return sqlite3_bind_blob64(stmt, index, length ? bytes : &empty, length, SQLITE_TRANSIENT);
}

/// sqlite3_bind_text64 with SQLITE_TRANSIENT and UTF-8 encoding.
static inline int unjucksd_sqlite_bind_text(sqlite3_stmt *stmt, int index, const char *text, sqlite3_uint64 length) {
    return sqlite3_bind_text64(stmt, index, text, length, SQLITE_TRANSIENT, SQLITE_UTF8);
}
