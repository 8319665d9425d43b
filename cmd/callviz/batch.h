#ifndef CALLVIZ_CLI_BATCH_H
#define CALLVIZ_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "callviz/callviz.h"
#include "cli.h"

/* One source of a batch, decoded once in the parent before any fork. */
typedef struct batch_source {
	const char *arg;           /* as given on the command line */
	char *name;                /* what messages call it (the URL for a URL) */
	char *stem;                /* file name stem: base name without .pb.gz */
	cv_profile *p;             /* NULL when it failed to load */
} batch_source;

/* One output file: a render (format set) or a comparison page. */
typedef struct batch_job {
	int src, si;               /* source and sample index (positions) */
	int src_b, si_b;           /* comparisons: the other side; -1 for renders */
	const char *format;        /* render format; NULL for a comparison */
	char *file;                /* name inside the output directory */
	char *path;                /* outdir/file */
	bool failed;
} batch_job;

/* Everything one batch run plans, then runs. */
typedef struct batch {
	cli_options *o;
	batch_source *src;
	int n_src;
	const char **si;           /* the -sample_index list; one NULL: the default */
	int n_si;
	const char **types;        /* [src * n_si + si]: the sample type, NULL if unknown */
	const char **formats;
	int n_formats;
	batch_job *jobs;
	size_t n_jobs;
} batch;

/*
 * Run every job in a worker process forked from this one (so each sees the
 * decoded profiles as they are, and graphviz never runs in two threads),
 * at most max_jobs at a time. run() is called in the child; its result is
 * the child's exit status. Sets each job's failed flag; returns how many
 * failed.
 */
size_t batch_pool_run(batch *b, int max_jobs, int (*run)(batch *b, batch_job *j));

/* Write DIR/index.html: a row per source, a column per sample index. */
int batch_write_index(const batch *b);

#endif
