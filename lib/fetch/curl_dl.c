/*
 * libcurl opened at run time (curl_dl.h says why): dlopen by the SONAME
 * the build found (CALLVIZ_CURL_SONAME, read from the library pkg-config
 * resolved), then every function of the table by name, once per process.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "callviz/error.h"
#include "fetch/curl_dl.h"

#ifndef CALLVIZ_CURL_SONAME
#error "CALLVIZ_CURL_SONAME (the SONAME to dlopen) comes from CMakeLists.txt"
#endif

/* A table entry: the name libcurl exports, and where its address goes. */
typedef struct symbol {
	const char *name;
	size_t offset;
} symbol;

#define SYMBOL(field) {"curl_" #field, offsetof(cv_curl_api, field)}

static const symbol symbols[] = {
	SYMBOL(global_init), SYMBOL(easy_init), SYMBOL(easy_setopt),
	SYMBOL(easy_perform), SYMBOL(easy_getinfo), SYMBOL(easy_cleanup),
	SYMBOL(easy_strerror), SYMBOL(url), SYMBOL(url_set), SYMBOL(url_get),
	SYMBOL(url_cleanup), SYMBOL(free),
};

/* dlsym returns a function's address as a void * (POSIX allows it). */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "function addresses must fit a void *");

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static cv_curl_api api;
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
	void *lib = dlopen(CALLVIZ_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		remember_failure(CALLVIZ_CURL_SONAME);
		return;
	}
	loaded = resolve_symbols(lib);
	if (!loaded)
		dlclose(lib);
}

const cv_curl_api *cv_curl_api_load(void)
{
	pthread_once(&load_once, load);
	if (!loaded) {
		cv_error_set(CV_ENET, "libcurl: cannot load %s: %s", CALLVIZ_CURL_SONAME,
			     load_failure);
		return NULL;
	}
	return &api;
}
