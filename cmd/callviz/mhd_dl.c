/*
 * libmicrohttpd opened at run time (mhd_dl.h says why): dlopen by the
 * SONAME the build found (CALLVIZ_MHD_SONAME, read from the library
 * pkg-config resolved), then every function of the table by name, once.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "callviz/error.h"
#include "util/dl.h"
#include "mhd_dl.h"

#ifndef CALLVIZ_MHD_SONAME
#error "CALLVIZ_MHD_SONAME (the SONAME to dlopen) comes from CMakeLists.txt"
#endif

#define SYMBOL(field) {"MHD_" #field, offsetof(mhd_api, field)}

static const cv_dl_symbol symbols[] = {
	SYMBOL(lookup_connection_value), SYMBOL(create_response_from_buffer),
	SYMBOL(add_response_header), SYMBOL(queue_response), SYMBOL(destroy_response),
	SYMBOL(start_daemon), SYMBOL(get_daemon_info), SYMBOL(stop_daemon),
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static mhd_api api;
static bool loaded;
static char load_failure[256];   /* why not, when !loaded */

static void load(void)
{
	loaded = cv_dl_load(CALLVIZ_MHD_SONAME, symbols, sizeof(symbols) / sizeof(*symbols),
			    &api, load_failure, sizeof(load_failure));
}

const mhd_api *mhd_api_load(void)
{
	pthread_once(&load_once, load);
	if (!loaded) {
		cv_error_set(CV_ERROR, "cannot load %s: %s", CALLVIZ_MHD_SONAME, load_failure);
		return NULL;
	}
	return &api;
}
