#pragma once
#include <microhttpd.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>

/* Receives libmicrohttpd's log lines already formatted (va_list does not cross into Swift). */
typedef void (*unjucksd_mhd_log_sink)(const char *message);

static void unjucksd_mhd_log_trampoline(void *cls, const char *format, va_list arguments) {
    char message[1024];
    vsnprintf(message, sizeof message, format, arguments);
    ((unjucksd_mhd_log_sink) cls)(message);
}

/* Leaves the request path and query arguments exactly as sent, so Swift can
   decode them itself and see `%2e%2e`, `%2f` and `%00` for what they are. */
static size_t unjucksd_mhd_identity_unescape(void *cls, struct MHD_Connection *connection, char *s) {
    (void) cls; (void) connection;
    return strlen(s);
}

/* MHD_start_daemon is variadic (the logger must be the first option), which Swift cannot call: this fixes the option list.
   A thread pool size below 2 means "no pool" (the internal polling thread alone). */
static inline struct MHD_Daemon *unjucksd_mhd_start(
    unsigned int flags, const struct sockaddr *address,
    MHD_AccessHandlerCallback handler, void *handler_cls,
    MHD_RequestCompletedCallback completed, void *completed_cls,
    unsigned int thread_pool_size, unsigned int connection_limit,
    size_t connection_memory_limit, unsigned int connection_timeout_seconds,
    unsigned int listen_backlog, unjucksd_mhd_log_sink log_sink)
{
    if (thread_pool_size < 2) {
        return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
            MHD_OPTION_EXTERNAL_LOGGER, unjucksd_mhd_log_trampoline, (void *) log_sink,
            MHD_OPTION_SOCK_ADDR, address,
            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
            MHD_OPTION_UNESCAPE_CALLBACK, unjucksd_mhd_identity_unescape, (void *) NULL,
            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
            MHD_OPTION_LISTEN_BACKLOG_SIZE, listen_backlog,
            MHD_OPTION_END);
    }
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
        MHD_OPTION_EXTERNAL_LOGGER, unjucksd_mhd_log_trampoline, (void *) log_sink,
        MHD_OPTION_SOCK_ADDR, address,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
        MHD_OPTION_UNESCAPE_CALLBACK, unjucksd_mhd_identity_unescape, (void *) NULL,
        MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, listen_backlog,
        MHD_OPTION_END);
}

/* The port the daemon listens on (useful after binding port 0). */
static inline unsigned int unjucksd_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* Open connections right now. */
static inline unsigned int unjucksd_mhd_current_connections(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

/* The peer's socket address, or NULL. */
static inline const struct sockaddr *unjucksd_mhd_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

/* Per-connection idle timeout (MHD_set_connection_option is variadic). */
static inline void unjucksd_mhd_set_connection_timeout(struct MHD_Connection *connection, unsigned int seconds) {
    MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, seconds);
}
