#pragma once
#include <microhttpd.h>
#include <dlfcn.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>

/* libmicrohttpd is loaded when a server first starts, not when the program
   does: it brings gnutls and eight more shared objects, whose loading took
   1.5 ms of every process start (a quarter of `unjucksd build`'s, which
   never serves HTTP). The entry points are looked up into this table, typed
   from the header's own declarations. */
struct unjucksd_mhd_api {
    __typeof__(&MHD_start_daemon) start_daemon;
    __typeof__(&MHD_stop_daemon) stop_daemon;
    __typeof__(&MHD_quiesce_daemon) quiesce_daemon;
    __typeof__(&MHD_get_daemon_info) get_daemon_info;
    __typeof__(&MHD_get_connection_info) get_connection_info;
    __typeof__(&MHD_set_connection_option) set_connection_option;
    __typeof__(&MHD_suspend_connection) suspend_connection;
    __typeof__(&MHD_resume_connection) resume_connection;
    __typeof__(&MHD_lookup_connection_value) lookup_connection_value;
    __typeof__(&MHD_get_connection_values) get_connection_values;
    __typeof__(&MHD_create_response_from_buffer) create_response_from_buffer;
    __typeof__(&MHD_create_response_from_fd_at_offset64) create_response_from_fd_at_offset64;
    __typeof__(&MHD_create_response_from_callback) create_response_from_callback;
    __typeof__(&MHD_add_response_header) add_response_header;
    __typeof__(&MHD_queue_response) queue_response;
    __typeof__(&MHD_destroy_response) destroy_response;
};

/* Loads the library and fills `api`; NULL on success, else why not. */
static inline const char *unjucksd_mhd_load(struct unjucksd_mhd_api *api) {
    void *library = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libmicrohttpd.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define UNJUCKSD_MHD_LOOKUP(field, symbol) \
    if ((api->field = (__typeof__(api->field)) dlsym(library, #symbol)) == NULL) return "libmicrohttpd has no " #symbol;
    UNJUCKSD_MHD_LOOKUP(start_daemon, MHD_start_daemon)
    UNJUCKSD_MHD_LOOKUP(stop_daemon, MHD_stop_daemon)
    UNJUCKSD_MHD_LOOKUP(quiesce_daemon, MHD_quiesce_daemon)
    UNJUCKSD_MHD_LOOKUP(get_daemon_info, MHD_get_daemon_info)
    UNJUCKSD_MHD_LOOKUP(get_connection_info, MHD_get_connection_info)
    UNJUCKSD_MHD_LOOKUP(set_connection_option, MHD_set_connection_option)
    UNJUCKSD_MHD_LOOKUP(suspend_connection, MHD_suspend_connection)
    UNJUCKSD_MHD_LOOKUP(resume_connection, MHD_resume_connection)
    UNJUCKSD_MHD_LOOKUP(lookup_connection_value, MHD_lookup_connection_value)
    UNJUCKSD_MHD_LOOKUP(get_connection_values, MHD_get_connection_values)
    UNJUCKSD_MHD_LOOKUP(create_response_from_buffer, MHD_create_response_from_buffer)
    UNJUCKSD_MHD_LOOKUP(create_response_from_fd_at_offset64, MHD_create_response_from_fd_at_offset64)
    UNJUCKSD_MHD_LOOKUP(create_response_from_callback, MHD_create_response_from_callback)
    UNJUCKSD_MHD_LOOKUP(add_response_header, MHD_add_response_header)
    UNJUCKSD_MHD_LOOKUP(queue_response, MHD_queue_response)
    UNJUCKSD_MHD_LOOKUP(destroy_response, MHD_destroy_response)
#undef UNJUCKSD_MHD_LOOKUP
    return NULL;
}

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
    const struct unjucksd_mhd_api *api, unsigned int flags, const struct sockaddr *address,
    MHD_AccessHandlerCallback handler, void *handler_cls,
    MHD_RequestCompletedCallback completed, void *completed_cls,
    unsigned int thread_pool_size, unsigned int connection_limit,
    size_t connection_memory_limit, unsigned int connection_timeout_seconds,
    unsigned int listen_backlog, unjucksd_mhd_log_sink log_sink)
{
    if (thread_pool_size < 2) {
        return api->start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
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
    return api->start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
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
static inline unsigned int unjucksd_mhd_bound_port(const struct unjucksd_mhd_api *api, struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = api->get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* Open connections right now. */
static inline unsigned int unjucksd_mhd_current_connections(const struct unjucksd_mhd_api *api, struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = api->get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

/* The peer's socket address, or NULL. */
static inline const struct sockaddr *unjucksd_mhd_client_address(const struct unjucksd_mhd_api *api, struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = api->get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

/* Per-connection idle timeout (MHD_set_connection_option is variadic). */
static inline void unjucksd_mhd_set_connection_timeout(const struct unjucksd_mhd_api *api, struct MHD_Connection *connection, unsigned int seconds) {
    api->set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, seconds);
}
