#ifndef CALLVIZ_FETCH_H
#define CALLVIZ_FETCH_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Profiles from live services: net/http/pprof endpoints over HTTP(S),
 * resolved, fetched and saved the way go tool pprof does it.
 *
 * Ownership: cv_fetch_target and cv_fetch_result are the caller's structs
 * (on its stack, say); what the library puts in them is malloc'd and
 * released with cv_fetch_target_free / cv_fetch_result_free, which free
 * the contents, not the struct, and accept a zeroed struct.
 * cv_fetch_save's *path is malloc'd: the caller free()s it.
 *
 *   cv_fetch_target t;
 *   if (cv_fetch_resolve(&t, "localhost:6060", 5, 0) == 1) {
 *           cv_fetch_options fo;
 *           cv_fetch_options_init(&fo);
 *           fo.timeout = t.timeout;
 *           cv_fetch_result r;
 *           if (cv_fetch_url(&r, t.url, &fo) == 0)
 *                   cv_profile_parse(&p, r.data, r.len);
 *   }
 */

/* Where a source points once go tool pprof's URL rules are applied. */
typedef struct cv_fetch_target {
	char *url;          /* the URL to request (malloc'd) */
	int seconds;        /* how long the server collects; 0 if not timed */
	int timeout;        /* seconds the whole request may take */
	bool insecure;      /* "https+insecure://": skip certificate checks */
} cv_fetch_target;

/*
 * Decide whether `source` names an HTTP endpoint and complete it:
 * "host:port" means http://host:port/debug/pprof/profile, "host:port/path"
 * gets "http://"; `seconds` > 0 sets ?seconds=N (replacing one in the URL),
 * otherwise the URL's own seconds= makes the profile timed. `timeout` > 0
 * bounds the request; otherwise it is seconds + 30 for timed profiles and
 * 60 for the rest. Returns 1 and fills *t for a URL (free it with
 * cv_fetch_target_free), 0 when `source` is a file name, or a negative
 * CV_E* code (unsupported scheme, out of memory).
 */
CV_EXTERN int cv_fetch_resolve(cv_fetch_target *t, const char *source, int seconds,
		     int timeout);

/* Release what cv_fetch_resolve allocated. NULL is allowed. */
CV_EXTERN void cv_fetch_target_free(cv_fetch_target *t);

/*
 * Called about once a second while a request runs, with the seconds since
 * it started and the body bytes received so far. A nonzero return aborts
 * the request.
 */
typedef int (*cv_fetch_progress_fn)(void *data, double elapsed,
				    uint64_t received);

/* How cv_fetch_url requests. Zeroed: the defaults of cv_fetch_options_init. */
#define CV_FETCH_OPTIONS_VERSION 1
typedef struct cv_fetch_options {
	unsigned int version;   /* CV_FETCH_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	int timeout;                /* seconds for the whole request; 0: none */
	bool insecure;              /* skip TLS certificate verification */
	size_t max_bytes;           /* refuse larger bodies; 0: 1 GiB */
	cv_fetch_progress_fn progress;  /* NULL for none */
	void *progress_data;
} cv_fetch_options;

/*
 * Fill `o` with the defaults: no timeout, verified TLS, no progress, and
 * the current version.
 */
CV_EXTERN void cv_fetch_options_init(cv_fetch_options *o);

/* A response body, kept byte for byte as the server sent it. */
typedef struct cv_fetch_result {
	uint8_t *data;              /* malloc'd body, NUL-terminated */
	size_t len;
	char *content_type;         /* "" if the server sent none */
} cv_fetch_result;

/*
 * GET `url` into memory. Anything but HTTP 200 fails with CV_ENET and a
 * one-line message carrying the status and the first line of a text body
 * (where net/http/pprof explains, e.g. "profile duration exceeds server's
 * WriteTimeout"); so do refused connections, unknown hosts and timeouts.
 * On success *res owns the body; free it with cv_fetch_result_free.
 */
CV_EXTERN int cv_fetch_url(cv_fetch_result *res, const char *url,
		 const cv_fetch_options *o);

/* Release a result. NULL is allowed. */
CV_EXTERN void cv_fetch_result_free(cv_fetch_result *res);

/*
 * Save a fetched profile as go tool pprof does: in `dir`, or when NULL in
 * $PPROF_TMPDIR, else $HOME/pprof, else the temp directory (created as
 * needed), named pprof.<binary>.<sample types>.NNN.pb.gz with the first
 * free NNN from 001, where <binary> is the base name of the first
 * mapping's file (left out when empty). `data` is the body `p` was
 * decoded from: kept byte for byte when gzipped (profile.proto), else `p`
 * is encoded as gzipped profile.proto. *path receives the malloc'd name.
 */
CV_EXTERN int cv_fetch_save(char **path, const cv_profile *p, const void *data,
		  size_t len, const char *dir);

#ifdef __cplusplus
}
#endif

#endif
