/*
 * Several sources and a base profile, combined as go tool pprof combines
 * them: the sources are loaded and merged, then the base is subtracted
 * (-base) or kept apart as the reference of a comparison (-diff_base),
 * the source scaled to it first with -normalize. Files are merged as they
 * load, in bounded memory (fold.c); URLs and the base load at once
 * (grab.c). As in pprof a source that fails to load is reported and left
 * out as long as another one loads, and profiles fetched from URLs are
 * saved once, combined.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load_internal.h"
#include "util/alloc.h"
#include "util/message.h"

/* The loaded profiles of one role (sources or bases), with their names. */
typedef struct loaded {
	cv_profile **ps;
	char **names;
	size_t n;
	bool remote;
} loaded;

void cv_load_options_init(cv_load_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_LOAD_OPTIONS_VERSION;
	o->save_fetched = true;
}

static void loaded_free(loaded *l)
{
	for (size_t i = 0; i < l->n; i++) {
		cv_profile_free(l->ps[i]);
		free(l->names[i]);
	}
	free(l->ps);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

/* Fail with an error about `subject` (NULL: about nothing in particular). */
static int fail_about(char **name, const char *subject, int code)
{
	free(*name);
	*name = subject ? strdup(subject) : NULL;
	return code;
}

/*
 * Take the profiles that loaded out of g[0..n) into l, reporting the
 * others; as in pprof, fail only if none of them loaded. A lone source
 * that failed is the error itself, about that source.
 */
static int collect(loaded *l, char **name, load_grab *g, size_t n, const char *role,
		   const cv_load_options *o)
{
	memset(l, 0, sizeof(*l));
	l->ps = calloc(n + 1, sizeof(*l->ps));
	l->names = calloc(n + 1, sizeof(*l->names));
	if (!l->ps || !l->names)
		return fail_about(name, role, cv_error_nomem());
	for (size_t i = 0; i < n; i++) {
		const char *who = g[i].name ? g[i].name : g[i].source;
		if (!g[i].p && n == 1)
			return fail_about(name, who, cv_error_set(g[i].code, "%s", g[i].error));
		if (!g[i].p) {
			cv_message(o->message, o->message_data, CV_MSG_ERROR, who, "%s", g[i].error);
			continue;
		}
		l->remote = l->remote || g[i].remote;
		l->ps[l->n] = g[i].p;
		l->names[l->n++] = g[i].name;
		g[i].p = NULL;
		g[i].name = NULL;
	}
	if (l->n == 0)
		return fail_about(name, NULL, cv_error_set(CV_ERROR,
			"none of the %zu %s profiles could be loaded", n, role));
	if (l->n != n)
		cv_message(o->message, o->message_data, CV_MSG_WARNING, NULL,
			   "loaded %zu of %zu %s profiles", l->n, n, role);
	return 0;
}

/* Subtract the base from *p (replacing it) as o->base and o->diff_base say. */
static int apply_base(cv_profile **p, char **name, const cv_load_options *o, load_grab *g,
		      bool *remote)
{
	loaded l;
	cv_profile *out = NULL;
	int rc = collect(&l, name, g, 1, "base", o);
	if (!rc) {
		*remote = *remote || l.remote;
		cv_base_options bo;
		cv_base_options_init(&bo);
		bo.diff_base = o->diff_base;
		bo.normalize = o->normalize;
		rc = cv_profile_subtract_base(&out, *p, l.ps[0], &bo);
		if (rc)
			rc = fail_about(name, l.names[0], cv_error_set(rc, "cannot compare with %s: %s",
								      *name, cv_error_last()));
	}
	if (!rc) {
		cv_profile_free(*p);
		*p = out;
	}
	loaded_free(&l);
	return rc;
}

/* Is this source one to load beforehand (see fold.c)? A URL or standard input. */
static bool held_source(const char *source, const cv_load_options *o)
{
	if (strcmp(source, "-") == 0)
		return true;
	cv_fetch_target t;
	int rc = cv_fetch_resolve(&t, source, o->seconds, o->timeout);
	if (rc == 1)
		cv_fetch_target_free(&t);
	return rc == 1;
}

/* The sources merged as they load, then compared with the base. */
static int combine(cv_profile **out, char **name, const cv_load_options *o,
		   const char *const *sources, size_t n, load_grab *held, const uint32_t *held_of,
		   size_t n_held)
{
	bool remote = false;
	int rc = load_fold_sources(out, name, &remote, o, sources, n, held, held_of);
	if (!rc && o->base)
		rc = apply_base(out, name, o, &held[n_held], &remote);
	/* pprof saves what it made of remote sources once, as one profile. */
	if (!rc && remote && o->save_fetched)
		load_save(o, *out, NULL, 0, *name);
	return rc;
}

static int check_options(const cv_load_options *o, size_t n)
{
	/* As cv_view_options: zeroed refused, newer refused (common.h). */
	if (o->version == 0 || o->version > CV_LOAD_OPTIONS_VERSION)
		return cv_error_set(CV_EINVAL, "cv_load_options: version %u, this library knows %u",
				    o->version, CV_LOAD_OPTIONS_VERSION);
	if (n == 0)
		return cv_error_set(CV_EINVAL, "no profile given");
	if (o->normalize && !o->base)
		return cv_error_set(CV_EINVAL, "normalize needs a base profile");
	return 0;
}

int cv_load_sources(cv_profile **out, char **name, const char *const *sources, size_t n,
		    const cv_load_options *opts)
{
	cv_load_options defaults;
	cv_load_options_init(&defaults);
	const cv_load_options *o = opts ? opts : &defaults;
	*out = NULL;
	*name = NULL;
	int rc = check_options(o, n);
	if (rc)
		return rc;
	/* One source and no base: loaded (and saved) as it is. */
	if (n == 1 && !o->base) {
		rc = load_source(out, name, o, sources[0], NULL);
		if (rc && !*name)
			*name = strdup(sources[0]);
		return rc;
	}
	/* URLs (fetched together, as pprof does) and standard input are loaded
	 * at once, with the base; files one after another as they merge. */
	uint32_t *held_of = calloc(n + 1, sizeof(*held_of));
	load_grab *g = calloc(n + 2, sizeof(*g));
	if (!held_of || !g) {
		free(held_of);
		free(g);
		return fail_about(name, sources[0], cv_error_nomem());
	}
	size_t n_held = 0;
	for (size_t i = 0; i < n; i++) {
		held_of[i] = held_source(sources[i], o) ? (uint32_t)n_held : UINT32_MAX;
		if (held_of[i] != UINT32_MAX)
			g[n_held++].source = sources[i];
	}
	if (o->base)
		g[n_held].source = o->base;
	size_t total = n_held + (o->base ? 1 : 0);
	load_grab_all(g, total, o);
	rc = combine(out, name, o, sources, n, g, held_of, n_held);
	load_grab_free(g, total);
	free(g);
	free(held_of);
	if (rc) {
		cv_profile_free(*out);
		*out = NULL;
	}
	return rc;
}
