/*
 * Many sources merged in bounded memory. Two threads decode the files in
 * order, a few ahead of the one being merged, and each profile is folded
 * into the running merge (lib/profile/merge_stream.c) and freed before
 * the next is taken: memory holds the merged profile and a few sources,
 * not every source. Sources that cannot be read twice or must be fetched
 * together (URLs, which cover the same window with -seconds, and
 * standard input) were loaded beforehand, all at once (grab.c), and are
 * folded in their places.
 *
 * The result is go tool pprof's merge of every source that loaded: a
 * source that fails is reported in order and left out, and its values
 * are brought to the finest unit of each sample type among all of them.
 * That unit is known only at the end; the merge assumes the first
 * source's and, should a later source bring a finer one after two have
 * been merged, goes over the sources once more with the units known
 * (a second decode of every file, only when the units differ).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/units.h"
#include "load/load_internal.h"
#include "profile/merge_internal.h"
#include "util/arena.h"
#include "util/message.h"

#define WORKERS 2
/* Sources decoded ahead of the one being merged, at most. */
#define WINDOW 4

/* ---- the decoding pool ---- */

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const cv_load_options *o;
	const char *const *sources;
	size_t n;
	const uint32_t *held_of;   /* per source: index in held, or UINT32_MAX */
	load_grab ring[WINDOW];
	size_t ready[WINDOW];      /* source index + 1 of the finished load */
	size_t next;               /* next source to take */
	size_t consumed;           /* sources before this one are merged */
	bool stop;
	pthread_t tid[WORKERS];
	int n_threads;
} pool;

static void *worker(void *arg)
{
	pool *pl = arg;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->next < pl->n && pl->held_of[pl->next] != UINT32_MAX)
			pl->next++;
		if (pl->stop || pl->next >= pl->n)
			break;
		if (pl->next >= pl->consumed + WINDOW) {
			pthread_cond_wait(&pl->cv, &pl->mu);
			continue;
		}
		size_t i = pl->next++;
		load_grab *g = &pl->ring[i % WINDOW];
		pthread_mutex_unlock(&pl->mu);
		g->source = pl->sources[i];
		load_grab_one(g, pl->o);
		pthread_mutex_lock(&pl->mu);
		pl->ready[i % WINDOW] = i + 1;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

static void pool_start(pool *pl, const cv_load_options *o, const char *const *sources, size_t n,
		       const uint32_t *held_of)
{
	memset(pl, 0, sizeof(*pl));
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	pl->o = o;
	pl->sources = sources;
	pl->n = n;
	pl->held_of = held_of;
	size_t streamed = 0;
	for (size_t i = 0; i < n; i++)
		streamed += held_of[i] == UINT32_MAX;
	for (int t = 0; t < WORKERS && (size_t)t < streamed; t++)
		if (pthread_create(&pl->tid[pl->n_threads], NULL, worker, pl) == 0)
			pl->n_threads++;
}

/* Source i's load (a streamed one), waiting for it; loaded here when no
 * thread could be made. */
static load_grab *pool_get(pool *pl, size_t i)
{
	load_grab *g = &pl->ring[i % WINDOW];
	if (pl->n_threads == 0) {
		g->source = pl->sources[i];
		load_grab_one(g, pl->o);
		return g;
	}
	pthread_mutex_lock(&pl->mu);
	while (pl->ready[i % WINDOW] != i + 1)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	return g;
}

/* Done with sources up to i: their slots may be reused. */
static void pool_release(pool *pl, size_t i)
{
	load_grab *g = &pl->ring[i % WINDOW];
	cv_profile_free(g->p);
	free(g->name);
	g->p = NULL;
	g->name = NULL;
	pthread_mutex_lock(&pl->mu);
	pl->consumed = i + 1;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

static void pool_stop(pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	for (int t = 0; t < pl->n_threads; t++)
		pthread_join(pl->tid[t], NULL);
	for (size_t k = 0; k < WINDOW; k++) {
		cv_profile_free(pl->ring[k].p);
		free(pl->ring[k].name);
	}
	pthread_cond_destroy(&pl->cv);
	pthread_mutex_destroy(&pl->mu);
}

/* ---- one pass over the sources ---- */

typedef struct pass {
	const cv_load_options *o;
	size_t n;
	bool report;               /* say what failed (the first pass only) */
	bool known;                /* the common units are the final ones */
	size_t n_loaded;
	char *first_name;
	bool remote;
	cv_profile *first;         /* the first loaded, until a second comes */
	bool first_held;           /* first belongs to the held loads */
	uint32_t first_hi;
	cv_arena *ha;              /* the first's types, and the common units */
	cv_profile shell;          /* the first's types, for compatibility */
	const char **units;        /* per sample type: the finest unit so far */
	const char *period_unit;
	double *ratios;
	cv_merge_stream *ms;
	int err;                   /* the merge cannot be made: this error */
	char *err_about;
	bool restart;              /* the units changed after merging began */
} pass;

static int pass_fail(pass *ps, const char *about, int code)
{
	if (ps->err)
		return ps->err;
	ps->err = code;
	ps->err_about = about ? strdup(about) : NULL;
	return code;
}

/* The first profile's types, copied: the reference of compatibility. */
static int keep_types(pass *ps, const cv_profile *p)
{
	cv_arena *a = ps->ha;
	size_t nt = p->n_sample_types;
	ps->shell.n_sample_types = nt;
	ps->shell.sample_types = cv_arena_calloc(a, nt + 1, sizeof(cv_value_type));
	if (!ps->shell.sample_types)
		return CV_ENOMEM;
	for (size_t i = 0; i < nt; i++) {
		ps->shell.sample_types[i].type = cv_arena_strdup(a, p->sample_types[i].type);
		ps->shell.sample_types[i].unit = cv_arena_strdup(a, p->sample_types[i].unit);
		if (!ps->shell.sample_types[i].type || !ps->shell.sample_types[i].unit)
			return CV_ENOMEM;
	}
	ps->shell.period_type.type = cv_arena_strdup(a, p->period_type.type);
	ps->shell.period_type.unit = cv_arena_strdup(a, p->period_type.unit);
	ps->ratios = cv_arena_calloc(a, nt + 1, sizeof(*ps->ratios));
	if (!ps->shell.period_type.type || !ps->shell.period_type.unit || !ps->ratios)
		return CV_ENOMEM;
	if (ps->known)
		return 0;
	ps->units = cv_arena_calloc(a, nt + 1, sizeof(*ps->units));
	if (!ps->units)
		return CV_ENOMEM;
	for (size_t i = 0; i < nt; i++)
		ps->units[i] = ps->shell.sample_types[i].unit;
	ps->period_unit = ps->shell.period_type.unit;
	return 0;
}

/* A finer unit than *cur, as pprof's ScaleProfiles picks: the first of
 * the finest. Returns whether it changed; -1 when out of memory. */
static int finer(pass *ps, const char **cur, const char *unit)
{
	if (strcmp(*cur, unit) == 0 || !(cv_unit_scale(1, unit, *cur, NULL) < 1))
		return 0;
	if (!(*cur = cv_arena_strdup(ps->ha, unit)))
		return -1;
	return 1;
}

static int fold(pass *ps, const cv_profile *p)
{
	cv_merge_stream_units u = {.types = ps->units, .period = ps->period_unit};
	for (size_t i = 0; i < p->n_sample_types; i++)
		ps->ratios[i] = cv_unit_scale(1, p->sample_types[i].unit, ps->units[i], NULL);
	return cv_merge_stream_add(ps->ms, p, ps->ratios, &u);
}

/* One loaded profile, in order of the sources. *keep is set when the
 * pass holds on to it (the first one, not yet merged). */
static int take(pass *ps, cv_profile *p, const char *name, bool remote, bool *keep)
{
	*keep = false;
	ps->n_loaded++;
	if (ps->err || ps->restart)
		return 0;	/* only counted, and checked below for the error */
	ps->remote = ps->remote || remote;
	if (ps->n_loaded == 1) {
		if (!(ps->first_name = strdup(name)) || keep_types(ps, p))
			return pass_fail(ps, name, cv_error_set(CV_ENOMEM, "out of memory"));
		ps->first = p;
		*keep = true;
		return 0;
	}
	int rc = cv_profile_compatible(&ps->shell, p);
	if (rc)
		return pass_fail(ps, name, cv_error_set(rc, "cannot merge with %s: %s",
							  ps->first_name, cv_error_last()));
	int changed = 0;
	for (size_t i = 0; !ps->known && changed >= 0 && i < p->n_sample_types; i++) {
		int c = finer(ps, &ps->units[i], p->sample_types[i].unit);
		changed = c < 0 ? c : changed | c;
	}
	if (!ps->known && changed >= 0) {
		int c = finer(ps, &ps->period_unit, p->period_type.unit);
		changed = c < 0 ? c : changed | c;
	}
	if (changed < 0)
		return pass_fail(ps, ps->first_name, cv_error_set(CV_ENOMEM, "out of memory"));
	if (changed && ps->ms) {
		/* merged in units that are not the finest: go over them again */
		ps->restart = true;
		return 0;
	}
	if (!ps->ms) {
		rc = cv_merge_stream_new(&ps->ms);
		if (!rc)
			rc = fold(ps, ps->first);
		if (!ps->first_held)
			cv_profile_free(ps->first);
		ps->first = NULL;
		if (rc)
			return pass_fail(ps, ps->first_name, rc);
	}
	rc = fold(ps, p);
	return rc ? pass_fail(ps, ps->first_name, rc) : 0;
}

/* A source that failed to load, in order. */
static void failed(pass *ps, const load_grab *g)
{
	if (!ps->report || ps->n == 1)
		return;
	cv_message(ps->o->message, ps->o->message_data, CV_MSG_ERROR,
		   g->name ? g->name : g->source, "%s", g->error);
}

static void run_pass(pass *ps, const char *const *sources, size_t n, load_grab *held,
		     const uint32_t *held_of, load_grab *lone_failure)
{
	pool pl;
	pool_start(&pl, ps->o, sources, n, held_of);
	for (size_t i = 0; i < n && !(ps->err == CV_ENOMEM); i++) {
		uint32_t hi = held_of[i];
		load_grab *g = hi != UINT32_MAX ? &held[hi] : pool_get(&pl, i);
		if (!g->p) {
			failed(ps, g);
			if (n == 1) {
				*lone_failure = *g;
				lone_failure->name = g->name ? strdup(g->name) : NULL;
			}
		} else {
			bool keep;
			take(ps, g->p, g->name ? g->name : g->source, g->remote, &keep);
			if (keep) {
				ps->first_held = hi != UINT32_MAX;
				ps->first_hi = hi;
				if (!ps->first_held)
					g->p = NULL;	/* the pass has it now */
			}
		}
		if (hi == UINT32_MAX)
			pool_release(&pl, i);
	}
	pool_stop(&pl);
}

static void pass_free(pass *ps)
{
	if (ps->first && !ps->first_held)
		cv_profile_free(ps->first);
	cv_merge_stream_free(ps->ms);
	cv_arena_free(ps->ha);
	free(ps->first_name);
	free(ps->err_about);
}

static int fail_about(char **name, const char *subject, int code)
{
	free(*name);
	*name = subject ? strdup(subject) : NULL;
	return code;
}

/* What a pass made: the profile, or the error go tool pprof gives. */
static int pass_result(pass *ps, cv_profile **out, char **name, load_grab *held,
		       const load_grab *lone)
{
	if (ps->n_loaded == 0) {
		if (ps->n == 1)
			return fail_about(name, lone->name ? lone->name : lone->source,
					  cv_error_set(lone->code, "%s", lone->error));
		return fail_about(name, NULL, cv_error_set(CV_ERROR,
			"none of the %zu source profiles could be loaded", ps->n));
	}
	if (ps->n_loaded != ps->n && ps->report)
		cv_message(ps->o->message, ps->o->message_data, CV_MSG_WARNING, NULL,
			   "loaded %zu of %zu source profiles", ps->n_loaded, ps->n);
	if (ps->err)
		return fail_about(name, ps->err_about, ps->err);
	if (ps->first) {
		*out = ps->first;
		if (ps->first_held)
			held[ps->first_hi].p = NULL;
		ps->first = NULL;
	} else {
		int rc = cv_merge_stream_finish(ps->ms, out);
		if (rc)
			return fail_about(name, ps->first_name, rc);
	}
	*name = ps->first_name;
	ps->first_name = NULL;
	return 0;
}

int load_fold_sources(cv_profile **out, char **name, bool *remote, const cv_load_options *o,
		      const char *const *sources, size_t n, load_grab *held,
		      const uint32_t *held_of)
{
	*out = NULL;
	*name = NULL;
	pass ps = {.o = o, .n = n, .report = true};
	load_grab lone = {0};
	int rc = (ps.ha = cv_arena_new()) ? 0 : cv_error_set(CV_ENOMEM, "out of memory");
	if (!rc)
		run_pass(&ps, sources, n, held, held_of, &lone);
	if (!rc && ps.restart && !ps.err) {
		/* The units are known now: over every source again, quietly. */
		pass again = {.o = o, .n = n, .known = true, .ha = ps.ha,
			      .units = ps.units, .period_unit = ps.period_unit};
		ps.ha = NULL;
		if (ps.n_loaded != n)
			cv_message(o->message, o->message_data, CV_MSG_WARNING, NULL,
				   "loaded %zu of %zu source profiles", ps.n_loaded, n);
		pass_free(&ps);
		ps = again;
		run_pass(&ps, sources, n, held, held_of, &lone);
	}
	if (!rc)
		rc = pass_result(&ps, out, name, held, &lone);
	*remote = ps.remote;
	pass_free(&ps);
	free(lone.name);
	return rc;
}
