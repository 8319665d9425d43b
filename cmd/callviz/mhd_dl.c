/*
 * libmicrohttpd opened at run time (mhd_dl.h says why): dlopen by the
 * SONAME the build found (CALLVIZ_MHD_SONAME, read from the library
 * pkg-config resolved), then every function of the table by name, once.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "callviz/error.h"
#include "mhd_dl.h"

#ifndef CALLVIZ_MHD_SONAME
#error "CALLVIZ_MHD_SONAME (the SONAME to dlopen) comes from CMakeLists.txt"
#endif

/* A table entry: the name libmicrohttpd exports, and where its address goes. */
typedef struct symbol {
	const char *name;
	size_t offset;
} symbol;

#define SYMBOL(field) {"MHD_" #field, offsetof(mhd_api, field)}

static const symbol symbols[] = {
	SYMBOL(lookup_connection_value), SYMBOL(create_response_from_buffer),
	SYMBOL(add_response_header), SYMBOL(queue_response), SYMBOL(destroy_response),
	SYMBOL(start_daemon), SYMBOL(get_daemon_info), SYMBOL(stop_daemon),
};

/* dlsym returns a function's address as a void * (POSIX allows it). */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "function addresses must fit a void *");

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static mhd_api api;
static bool loaded;
static char load_failure[256];   /* why not, when !loaded */

/* dlerror's reason for the last call; `name` when it has none. */
static void remember_failure(const char *name)
{
	const char *reason = dlerror();
	if (reason)
		snprintf(load_failure, sizeof(load_failure), "%s", reason);
	else
		snprintf(load_failure, sizeof(load_failure), "%s not found", name);
}

static bool resolve_symbols(void *lib)
{
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *address = dlsym(lib, symbols[i].name);
		if (!address) {
			remember_failure(symbols[i].name);
			return false;
		}
		memcpy((char *)&api + symbols[i].offset, &address, sizeof(address));
	}
	return true;
}

/* On success the library stays open for the rest of the process. */
static void load(void)
{
	void *lib = dlopen(CALLVIZ_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		remember_failure(CALLVIZ_MHD_SONAME);
		return;
	}
	loaded = resolve_symbols(lib);
	if (!loaded)
		dlclose(lib);
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
