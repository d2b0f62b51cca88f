#pragma once
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <stdint.h>

/// Flags for inotify_init1, as plain integers (glibc declares them in an enum).
static inline int cinotify_init_nonblocking_cloexec(void) {
    return inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

/// A non-blocking, close-on-exec eventfd used to wake a reader blocked in poll().
static inline int cinotify_eventfd_nonblocking(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
