/*
 * Loading several sources at once, one thread each, as go tool pprof
 * fetches its sources concurrently (in chunks of 64): with -seconds, the
 * profiles of several services then cover the same window, and files
 * decode in parallel. Threads only load; errors are kept per source and
 * reported by the caller in the order given, so output stays
 * deterministic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load_internal.h"

#define CHUNK 64

typedef struct job {
	load_grab *g;
	const cv_load_options *o;
} job;

void load_grab_one(load_grab *g, const cv_load_options *o)
{
	g->p = NULL;
	g->name = NULL;
	g->error[0] = '\0';
	g->remote = false;
	g->code = load_source(&g->p, &g->name, o, g->source, &g->remote);
	if (g->code == 0)
		g->code = cv_profile_ensure_mapping(g->p);
	if (g->code == 0)
		return;
	/* cv_error_last() is per thread: keep the message for the caller. */
	snprintf(g->error, sizeof(g->error), "%s", cv_error_last());
	cv_profile_free(g->p);
	g->p = NULL;
}

static void *run_job(void *arg)
{
	job *j = arg;
	load_grab_one(j->g, j->o);
	return NULL;
}

static void grab_chunk(load_grab *g, size_t n, const cv_load_options *o)
{
	pthread_t tid[CHUNK];
	job jobs[CHUNK];
	bool started[CHUNK];
	for (size_t i = 0; i < n; i++) {
		jobs[i] = (job){&g[i], o};
		/* the last one, or one no thread could be made for, runs here */
		started[i] = i + 1 < n && pthread_create(&tid[i], NULL, run_job, &jobs[i]) == 0;
		if (!started[i])
			load_grab_one(&g[i], o);
	}
	for (size_t i = 0; i < n; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
}

void load_grab_all(load_grab *g, size_t n, const cv_load_options *o)
{
	for (size_t start = 0; start < n; start += CHUNK)
		grab_chunk(g + start, n - start < CHUNK ? n - start : CHUNK, o);
}

void load_grab_free(load_grab *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cv_profile_free(g[i].p);
		free(g[i].name);
		g[i].p = NULL;
		g[i].name = NULL;
	}
}
