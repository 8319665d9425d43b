/*
 * libcurl opened at run time (curl_dl.h says why): dlopen by the SONAME
 * the build found (CALLVIZ_CURL_SONAME, read from the library pkg-config
 * resolved), then every function of the table by name, once per process.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "callviz/error.h"
#include "fetch/curl_dl.h"
#include "util/dl.h"

#ifndef CALLVIZ_CURL_SONAME
#error "CALLVIZ_CURL_SONAME (the SONAME to dlopen) comes from CMakeLists.txt"
#endif

#define SYMBOL(field) {"curl_" #field, offsetof(cv_curl_api, field)}

static const cv_dl_symbol symbols[] = {
	SYMBOL(global_init), SYMBOL(easy_init), SYMBOL(easy_setopt),
	SYMBOL(easy_perform), SYMBOL(easy_getinfo), SYMBOL(easy_cleanup),
	SYMBOL(easy_strerror), SYMBOL(url), SYMBOL(url_set), SYMBOL(url_get),
	SYMBOL(url_cleanup), SYMBOL(free),
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static cv_curl_api api;
static bool loaded;
static char load_failure[256];   /* why not, when !loaded */
static CURLcode init_rc;         /* curl_global_init's, once loaded */

/* Loaded, libcurl is initialised at once, in the same once-only call. */
static void load(void)
{
	loaded = cv_dl_load(CALLVIZ_CURL_SONAME, symbols, sizeof(symbols) / sizeof(*symbols),
			    &api, load_failure, sizeof(load_failure));
	if (loaded)
		init_rc = api.global_init(CURL_GLOBAL_DEFAULT);
}

const cv_curl_api *cv_curl_api_load(void)
{
	pthread_once(&load_once, load);
	if (!loaded) {
		cv_error_set(CV_ENET, "libcurl: cannot load %s: %s", CALLVIZ_CURL_SONAME,
			     load_failure);
		return NULL;
	}
	if (init_rc != CURLE_OK) {
		cv_error_set(CV_ENET, "libcurl: %s", api.easy_strerror(init_rc));
		return NULL;
	}
	return &api;
}
