/*
 * Several sources and a base profile on one command line, combined as go
 * tool pprof combines them: the sources are loaded and merged, then the
 * base is subtracted (-base) or kept apart as the reference of a
 * comparison (-diff_base), the source scaled to it first with -normalize. As in pprof a source that fails to load is reported
 * and left out as long as another one loads, and profiles fetched from
 * URLs are saved once, combined.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"

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

/* Load one source and give it pprof's fake mapping; report a failure. */
static int load_one(loaded *l, const cli_options *o, const char *src)
{
	cv_profile *p = NULL;
	char *name = NULL;
	if (cli_source_load_ext(&p, &name, o, src, &l->remote) || cv_profile_ensure_mapping(p)) {
		warn(name ? name : src, cv_error_last());
		cv_profile_free(p);
		free(name);
		return -1;
	}
	l->ps[l->n] = p;
	l->names[l->n++] = name;
	return 0;
}

/* Every non-empty entry of srcs (pprof ignores -base=""), as many as load. */
static int load_all(loaded *l, const cli_options *o, const char *const *srcs, int n,
		    const char *role)
{
	memset(l, 0, sizeof(*l));
	l->ps = calloc((size_t)n + 1, sizeof(*l->ps));
	l->names = calloc((size_t)n + 1, sizeof(*l->names));
	if (!l->ps || !l->names) {
		warn(role, "out of memory");
		return EXIT_FAILED;
	}
	int wanted = 0;
	for (int i = 0; i < n; i++) {
		if (!srcs[i][0])
			continue;
		wanted++;
		load_one(l, o, srcs[i]);
	}
	if (l->n == 0) {
		if (wanted > 1)
			fprintf(stderr, "callviz: none of the %d %s profiles could be loaded\n",
				wanted, role);
		return EXIT_FAILED;
	}
	if ((int)l->n != wanted)
		fprintf(stderr, "callviz: warning: loaded %zu of %d %s profiles\n", l->n, wanted,
			role);
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
static int apply_base(cv_profile **p, const char *name, const cli_options *o,
		      const char *src, bool diff, bool *remote)
{
	loaded l;
	cv_profile *base = NULL, *out = NULL;
	int rc = load_all(&l, o, &src, 1, "base");
	if (!rc)
		rc = merge_loaded(&base, &l);
	*remote = *remote || l.remote;
	const char *base_name = l.n ? l.names[0] : "base";
	if (!rc) {
		cv_base_options bo;
		cv_base_options_init(&bo);
		bo.diff_base = diff;
		bo.normalize = o->normalize;
		if (cv_profile_subtract_base(&out, *p, base, &bo)) {
			fprintf(stderr, "callviz: %s: cannot compare with %s: %s\n", base_name, name,
				cv_error_last());
			rc = EXIT_FAILED;
		}
	}
	if (!rc) {
		cv_profile_free(*p);
		*p = out;
	}
	cv_profile_free(base);
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
	loaded l;
	rc = load_all(&l, o, o->sources, o->n_sources, "source");
	if (!rc)
		rc = merge_loaded(out, &l);
	bool remote = l.remote;
	if (!rc) {
		*name = strdup(l.names[0]);
		if (!*name)
			rc = EXIT_FAILED;
	}
	loaded_free(&l);
	if (!rc && base)
		rc = apply_base(out, *name, o, base, diff, &remote);
	if (!rc && remote)
		save_combined(*out, *name);
	if (rc) {
		cv_profile_free(*out);
		*out = NULL;
	}
	return rc;
}
