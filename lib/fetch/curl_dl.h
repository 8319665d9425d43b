#ifndef CV_FETCH_CURL_DL_H
#define CV_FETCH_CURL_DL_H

#include <curl/curl.h>

/*
 * libcurl, opened with dlopen on the first fetch instead of linked.
 * Linked, it and what it needs (gnutls, nettle, krb5, ldap, ssh2, ...)
 * are some thirty shared objects the dynamic loader maps at every start
 * of every program built on callviz, milliseconds each time, though few
 * runs fetch a URL. curl.h still gives the types and constants.
 *
 * The functions http.c calls, each named as libcurl's without "curl_"
 * (easy_setopt is curl_easy_setopt).
 */
typedef struct cv_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart what, const char *part, unsigned int flags);
	CURLUcode (*url_get)(CURLU *u, CURLUPart what, char **part, unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
} cv_curl_api;

/*
 * libcurl's functions, loaded and curl_global_init'ed by the first call
 * (from any thread; later calls return the same table). NULL when the
 * library or one of the functions cannot be found, with cv_error_last()
 * set to "libcurl: cannot load SONAME: reason" (CV_ENET), or when the
 * initialisation failed ("libcurl: reason").
 */
const cv_curl_api *cv_curl_api_load(void);

#endif
