#ifndef CALLVIZ_CLI_MHD_DL_H
#define CALLVIZ_CLI_MHD_DL_H

#include <microhttpd.h>

/*
 * libmicrohttpd, opened with dlopen by `callviz -http` instead of linked:
 * linked, it and its TLS libraries (gnutls, nettle, p11-kit, ...) are
 * shared objects the dynamic loader maps at every start of callviz,
 * though only the web UI serves anything. microhttpd.h still gives the
 * types and constants.
 *
 * The functions web.c calls, each named as libmicrohttpd's without "MHD_"
 * (start_daemon is MHD_start_daemon).
 */
typedef struct mhd_api {
	const char *(*lookup_connection_value)(struct MHD_Connection *c,
					       enum MHD_ValueKind kind, const char *key);
	struct MHD_Response *(*create_response_from_buffer)(size_t size, void *buffer,
							     enum MHD_ResponseMemoryMode mode);
	enum MHD_Result (*add_response_header)(struct MHD_Response *r, const char *header,
					       const char *content);
	enum MHD_Result (*queue_response)(struct MHD_Connection *c, unsigned int status,
					  struct MHD_Response *r);
	void (*destroy_response)(struct MHD_Response *r);
	struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port,
					   MHD_AcceptPolicyCallback apc, void *apc_cls,
					   MHD_AccessHandlerCallback dh, void *dh_cls, ...);
	const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *d,
						       enum MHD_DaemonInfoType type, ...);
	void (*stop_daemon)(struct MHD_Daemon *d);
} mhd_api;

/*
 * libmicrohttpd's functions, loaded by the first call (later calls return
 * the same table). NULL when the library or one of the functions cannot
 * be found, with cv_error_last() set to "cannot load SONAME: reason".
 */
const mhd_api *mhd_api_load(void);

#endif
