#pragma once
#include <errno.h>
#include <hiredis/hiredis.h>

/// Seconds + microseconds as a `struct timeval` (hiredis takes timeouts by value).
static inline struct timeval unjucksd_timeval(long seconds, long microseconds) {
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = microseconds;
    return tv;
}
