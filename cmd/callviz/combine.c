/*
 * Several sources and a base profile on one command line, combined as go
 * tool pprof combines them: the sources are loaded and merged, then the
 * base is subtracted (-base) or kept apart as the reference of a
 * comparison (-diff_base), the source scaled to it first with -normalize.
 * As in pprof all of them load at once (grab.c), a source that fails to
 * load is reported and left out as long as another one loads, and
 * profiles fetched from URLs are saved once, combined.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "grab.h"

/* The loaded profiles of one role (sources or bases), with their names. */
typedef struct loaded {
	cv_profile **ps;
	char **names;
	size_t n;
	bool remote;
} loaded;

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

static void warn(const char *name, const char *msg)
{
	fprintf(stderr, "callviz: %s: %s\n", name, msg);
}

/*
 * Take the profiles that loaded out of g[0..n) into l, reporting the
 * others; as in pprof, fail only if none of them loaded.
 */
static int collect(loaded *l, cli_grab *g, size_t n, const char *role)
{
	memset(l, 0, sizeof(*l));
	l->ps = calloc(n + 1, sizeof(*l->ps));
	l->names = calloc(n + 1, sizeof(*l->names));
	if (!l->ps || !l->names) {
		warn(role, "out of memory");
		return EXIT_FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		if (!g[i].p) {
			warn(g[i].name ? g[i].name : g[i].source, g[i].error);
			continue;
		}
		l->remote = l->remote || g[i].remote;
		l->ps[l->n] = g[i].p;
		l->names[l->n++] = g[i].name;
		g[i].p = NULL;
		g[i].name = NULL;
	}
	if (l->n == 0) {
		if (n > 1)
			fprintf(stderr, "callviz: none of the %zu %s profiles could be loaded\n", n, role);
		return EXIT_FAILED;
	}
	if (l->n != n)
		fprintf(stderr, "callviz: warning: loaded %zu of %zu %s profiles\n", l->n, n, role);
	return 0;
}

/* One profile of the loaded ones, merged; *out is taken from l when single. */
static int merge_loaded(cv_profile **out, loaded *l)
{
	if (l->n == 1) {
		*out = l->ps[0];
		l->ps[0] = NULL;
		return 0;
	}
	/* Say which source does not fit, before merging them all. */
	for (size_t i = 1; i < l->n; i++) {
		if (cv_profile_compatible(l->ps[0], l->ps[i])) {
			fprintf(stderr, "callviz: %s: cannot merge with %s: %s\n", l->names[i],
				l->names[0], cv_error_last());
			return EXIT_FAILED;
		}
	}
	if (cv_profile_merge(out, (const cv_profile *const *)l->ps, l->n)) {
		warn(l->names[0], cv_error_last());
		return EXIT_FAILED;
	}
	return 0;
}

/* The base source, NULL for none; pprof ignores an empty -base=. */
static const char *base_of(const cli_options *o, bool *diff)
{
	*diff = o->diff_base && o->diff_base[0];
	if (*diff)
		return o->diff_base;
	return o->base && o->base[0] ? o->base : NULL;
}

static int check_flags(const cli_options *o, const char **base, bool *diff)
{
	*base = base_of(o, diff);
	if (*diff && o->base && o->base[0]) {
		fprintf(stderr, "callviz: -base and -diff_base cannot both be given\n");
		return EXIT_USAGE;
	}
	if (o->normalize && !*base) {
		fprintf(stderr, "callviz: -normalize needs a base profile (-base or -diff_base)\n");
		return EXIT_USAGE;
	}
	return 0;
}

/* Subtract the base from *p (replacing it) as -base / -diff_base say. */
static int apply_base(cv_profile **p, const char *name, const cli_options *o, cli_grab *g,
		      bool diff, bool *remote)
{
	loaded l;
	cv_profile *out = NULL;
	int rc = collect(&l, g, 1, "base");
	if (!rc) {
		*remote = *remote || l.remote;
		cv_base_options bo;
		cv_base_options_init(&bo);
		bo.diff_base = diff;
		bo.normalize = o->normalize;
		if (cv_profile_subtract_base(&out, *p, l.ps[0], &bo)) {
			fprintf(stderr, "callviz: %s: cannot compare with %s: %s\n", l.names[0], name,
				cv_error_last());
			rc = EXIT_FAILED;
		}
	}
	if (!rc) {
		cv_profile_free(*p);
		*p = out;
	}
	loaded_free(&l);
	return rc;
}

/* pprof saves what it made of remote sources once, as one profile. */
static void save_combined(const cv_profile *p, const char *name)
{
	char *path;
	if (cv_fetch_save(&path, p, NULL, 0, NULL)) {
		fprintf(stderr, "callviz: %s: could not save profile: %s\n", name, cv_error_last());
		return;
	}
	fprintf(stderr, "Saved profile in %s\n", path);
	free(path);
}

/* Sources (and the base, last) loaded at once, then merged and compared. */
static int combine(cv_profile **out, char **name, const cli_options *o, cli_grab *g,
		   const char *base, bool diff)
{
	size_t ns = (size_t)o->n_sources;
	loaded l;
	int rc = collect(&l, g, ns, "source");
	if (!rc)
		rc = merge_loaded(out, &l);
	bool remote = l.remote;
	if (!rc && !(*name = strdup(l.names[0])))
		rc = EXIT_FAILED;
	loaded_free(&l);
	if (!rc && base)
		rc = apply_base(out, *name, o, &g[ns], diff, &remote);
	if (!rc && remote)
		save_combined(*out, *name);
	return rc;
}

int cli_load_profiles(cv_profile **out, char **name, const cli_options *o)
{
	*out = NULL;
	*name = NULL;
	const char *base;
	bool diff;
	int rc = check_flags(o, &base, &diff);
	if (rc)
		return rc;
	/* One source and no base: exactly what cli_source_load does (and saves). */
	if (o->n_sources == 1 && !base) {
		if (cli_source_load(out, name, o, o->sources[0]) == 0)
			return 0;
		warn(*name ? *name : o->sources[0], cv_error_last());
		return EXIT_FAILED;
	}
	size_t n = (size_t)o->n_sources + (base ? 1 : 0);
	cli_grab *g = calloc(n, sizeof(*g));
	if (!g) {
		warn(o->sources[0], "out of memory");
		return EXIT_FAILED;
	}
	for (int i = 0; i < o->n_sources; i++)
		g[i].source = o->sources[i];
	if (base)
		g[n - 1].source = base;
	cli_grab_all(g, n, o);
	rc = combine(out, name, o, g, base, diff);
	cli_grab_free(g, n);
	free(g);
	if (rc) {
		cv_profile_free(*out);
		*out = NULL;
	}
	return rc;
}
