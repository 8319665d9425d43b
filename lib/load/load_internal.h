#ifndef CV_LOAD_INTERNAL_H
#define CV_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/view.h"

/* One source to load, and what became of it. */
typedef struct load_grab {
	const char *source;        /* as given */
	cv_profile *p;             /* the profile, NULL if it failed */
	char *name;                /* malloc'd: the URL fetched or the file name */
	char error[1024];          /* why it failed */
	int code;                  /* and its CV_E* code */
	bool remote;               /* fetched over HTTP (not saved yet) */
} load_grab;

/*
 * Load one source into *out: a file, "-" for standard input, or a URL by
 * go tool pprof's rules (source.c). *name receives (malloc'd, even on
 * failure) what messages should call it. A URL's profile is saved when
 * `remote` is NULL; otherwise *remote is set and the caller saves what
 * it makes of several sources once, as pprof does.
 */
int load_source(cv_profile **out, char **name, const cv_load_options *o, const char *source,
		bool *remote);

/*
 * Load every g[i].source at the same time (grab.c), each with pprof's
 * empty mapping if it has none. Never fails as a whole: each entry says
 * how it went.
 */
void load_grab_all(load_grab *g, size_t n, const cv_load_options *o);

/* Load g->source into g, on the calling thread: g->p, or g->code and
 * g->error (copied, since cv_error_last() is per thread). */
void load_grab_one(load_grab *g, const cv_load_options *o);
void load_grab_free(load_grab *g, size_t n);

/*
 * Merge the sources as they load (fold.c): a source i with held_of[i] not
 * UINT32_MAX was loaded beforehand into held[held_of[i]] (and stays
 * there unless it becomes *out); the others are read on two threads as
 * the merge goes. Failures are reported in order, with pprof's "loaded M
 * of N" warning; *name is the first source that loaded, *remote whether
 * one came over HTTP.
 */
int load_fold_sources(cv_profile **out, char **name, bool *remote, const cv_load_options *o,
		      const char *const *sources, size_t n, load_grab *held,
		      const uint32_t *held_of);

/* Save a profile made of fetched sources, noting where (source.c). */
void load_save(const cv_load_options *o, const cv_profile *p, const void *data, size_t len,
	       const char *name);

#endif
