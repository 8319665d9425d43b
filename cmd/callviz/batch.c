/*
 * `callviz batch`: every source x sample index x format in one run, for CI.
 * Each source is decoded once, here; then one forked worker per output
 * file (batch_pool.c) filters and renders it from the decoded profile
 * exactly as the one-shot command would (pipeline.c). File names are
 * predictable, <stem>.<sample type>.<ext>; a failed load or render is
 * reported by name and the others go on; index.html links them all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "pipeline.h"

static const char usage_line[] =
	"usage: callviz batch -formats=F[,F...] [-sample_index=I[,I...]] [-outdir=DIR]\n"
	"                     [-jobs=N] [-compare] [report flags] source...\n";

static int usage(const char *msg)
{
	fprintf(stderr, "callviz: batch: %s\n%s", msg, usage_line);
	return EXIT_USAGE;
}

/* Split "a,b,c" in place into *items (malloc'd); empty items are dropped. */
static int split(char *text, const char ***items, int *n)
{
	*n = 0;
	*items = calloc(strlen(text) / 2 + 2, sizeof(**items));
	if (!*items)
		return -1;
	for (char *save, *t = strtok_r(text, ",", &save); t; t = strtok_r(NULL, ",", &save))
		(*items)[(*n)++] = t;
	return 0;
}

/* The file extension of a format: text reports get .txt after their name. */
static const char *extension(const char *format, char *buf, size_t size)
{
	static const char *const own[] = {"dot", "svg", "pdf", "png", "gif", "ps", "html",
					  "callgrind"};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(format, own[i]))
			return format;
	if (!strcmp(format, "proto"))
		return "pb.gz";
	if (!strcmp(format, "flame") || !strcmp(format, "icicle"))
		snprintf(buf, size, "%s.svg", format);
	else
		snprintf(buf, size, "%s.txt", format);
	return buf;
}

/* "dir/heap1.pb.gz" -> "heap1": safe characters only, unique in the batch. */
static char *make_stem(const char *arg, const batch *b, int upto)
{
	const char *base = strrchr(arg, '/');
	base = base && base[1] ? base + 1 : arg;
	char *s = strdup(base), *u = NULL;
	if (!s)
		return NULL;
	size_t n = strlen(s);
	static const char *const suffixes[] = {".gz", ".pb", ".pprof", ".prof"};
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && !strcmp(s + n - k, suffixes[i]))
			s[n -= k] = '\0';
	}
	for (char *c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *c))
			*c = '_';
	for (int k = 1;; k++) {
		bool taken = false;
		free(u);
		if (k == 1 ? !(u = strdup(s)) : asprintf(&u, "%s-%d", s, k) < 0)
			u = NULL;
		for (int i = 0; u && i < upto; i++)
			taken |= !strcmp(b->src[i].stem, u);
		if (!u || !taken)
			break;
	}
	free(s);
	return u;
}

/* Decode every source once; a failure is reported and its renders marked. */
static bool load_sources(batch *b)
{
	bool ok = true;
	for (int s = 0; s < b->n_src; s++) {
		batch_source *src = &b->src[s];
		cli_options one = *b->o;
		one.sources = &src->arg;
		one.n_sources = 1;
		/* cli_load_profiles prints its own errors and applies -base. */
		if (cli_load_profiles(&src->p, &src->name, &one)) {
			src->p = NULL;
			ok = false;
		}
		if (!src->name)
			src->name = strdup(src->arg);
		src->stem = make_stem(src->arg, b, s);
		if (!src->name || !src->stem)
			return false;
		for (int i = 0; src->p && i < b->n_si; i++) {
			int k = cv_profile_sample_index(src->p, b->si[i]);
			if (k < 0) {
				fprintf(stderr, "callviz: %s: %s\n", src->name, cv_error_last());
				ok = false;
				continue;
			}
			b->types[s * b->n_si + i] = src->p->sample_types[k].type;
		}
	}
	return ok;
}

/* A sample index as file names spell it: the type, else what was given. */
static const char *type_name(const batch *b, int s, int i)
{
	const char *t = b->types[s * b->n_si + i];
	return t ? t : b->si[i] ? b->si[i] : "default";
}

static int add_job(batch *b, batch_job j, const char *file)
{
	j.file = strdup(file);
	if (!j.file)
		return -1;
	if (asprintf(&j.path, "%s/%s", b->o->outdir, file) < 0) {
		free(j.file);
		return -1;
	}
	bool a_ok = b->src[j.src].p && b->types[j.src * b->n_si + j.si];
	bool b_ok = j.src_b < 0 || (b->src[j.src_b].p && b->types[j.src_b * b->n_si + j.si_b]);
	j.failed = !a_ok || !b_ok;
	b->jobs[b->n_jobs++] = j;
	return 0;
}

/* Comparison pages: each sample index against the first, each source against the first. */
static int plan_compare(batch *b)
{
	char file[1024];
	for (int s = 0; s < b->n_src; s++)
		for (int i = 1; i < b->n_si; i++) {
			snprintf(file, sizeof(file), "%s.%s-vs-%s.html", b->src[s].stem,
				 type_name(b, s, 0), type_name(b, s, i));
			if (add_job(b, (batch_job){s, 0, s, i, NULL, NULL, NULL, false}, file))
				return -1;
		}
	for (int i = 0; i < b->n_si; i++)
		for (int s = 1; s < b->n_src; s++) {
			snprintf(file, sizeof(file), "%s-vs-%s.%s.html", b->src[0].stem,
				 b->src[s].stem, type_name(b, 0, i));
			if (add_job(b, (batch_job){0, i, s, i, NULL, NULL, NULL, false}, file))
				return -1;
		}
	return 0;
}

static int plan(batch *b)
{
	size_t max = (size_t)b->n_src * (size_t)b->n_si * ((size_t)b->n_formats + 2) + 1;
	b->jobs = calloc(max, sizeof(*b->jobs));
	if (!b->jobs)
		return -1;
	char file[1024], ext[32];
	for (int s = 0; s < b->n_src; s++)
		for (int i = 0; i < b->n_si; i++)
			for (int f = 0; f < b->n_formats; f++) {
				snprintf(file, sizeof(file), "%s.%s.%s", b->src[s].stem,
					 type_name(b, s, i),
					 extension(b->formats[f], ext, sizeof(ext)));
				batch_job j = {s, i, -1, -1, b->formats[f], NULL, NULL, false};
				if (add_job(b, j, file))
					return -1;
			}
	return b->o->compare ? plan_compare(b) : 0;
}

/* The label messages of one job use: "heap.pb.gz (heap.inuse_space.svg)". */
static char *job_label(const batch *b, const batch_job *j)
{
	char *l;
	return asprintf(&l, "%s (%s)", b->src[j->src].name, j->file) < 0 ? NULL : l;
}

/* In a worker: one report, as `callviz -FORMAT -sample_index=I -o PATH` makes it. */
static int work_render(batch *b, batch_job *j, const char *label)
{
	cli_options o = *b->o;
	o.format = j->format;
	o.sample_index = b->si[j->si];
	o.output = j->path;
	char *data;
	size_t len;
	int rc = cli_render(&data, &len, &o, b->src[j->src].p, label);
	if (rc == 0 && (rc = cli_write_file(j->path, data, len)))
		fprintf(stderr, "callviz: %s: %s\n", label, cv_error_last());
	free(data);
	return rc;
}

/* One side of a comparison, filtered; a copy when both sides share a profile. */
static int compare_side(cv_profile **p, cv_view **v, cli_options *o, const batch *b,
			int s, int i, const char *label, cv_compare_side *side, char **name)
{
	const cv_profile *src = b->src[s].p;
	if (cv_profile_merge(p, &src, 1)) {
		fprintf(stderr, "callviz: %s: %s\n", label, cv_error_last());
		return EXIT_FAILED;
	}
	*o = *b->o;
	o->format = "html";
	o->sample_index = b->si[i];
	int rc = cli_prepare(v, o, *p, label);
	if (rc)
		return rc;
	if (asprintf(name, "%s %s", b->src[s].name, type_name(b, s, i)) < 0) {
		*name = NULL;
		return EXIT_FAILED;
	}
	*side = (cv_compare_side){*p, cv_view_report_options(*v), *name};
	return 0;
}

static int work_compare(batch *b, batch_job *j, const char *label)
{
	cli_options oa, ob;
	cv_profile *a = NULL, *bp = NULL;
	cv_view *va = NULL, *vb = NULL;
	cv_compare_side sa, sb;
	char *na = NULL, *nb = NULL, *data = NULL;
	size_t len = 0;
	int rc = compare_side(&a, &va, &oa, b, j->src, j->si, label, &sa, &na);
	if (rc == 0)
		rc = compare_side(&bp, &vb, &ob, b, j->src_b, j->si_b, label, &sb, &nb);
	if (rc == 0) {
		FILE *mem = open_memstream(&data, &len);
		rc = mem ? cv_report_compare_html(mem, &sa, &sb) : CV_ENOMEM;
		if (mem && fclose(mem) && rc == 0)
			rc = CV_ENOMEM;
		if (rc == 0)
			rc = cli_write_file(j->path, data, len);
		if (rc)
			fprintf(stderr, "callviz: %s: %s\n", label, cv_error_last());
	}
	free(data);
	free(na);
	free(nb);
	cv_view_free(va);
	cv_view_free(vb);
	cv_profile_free(a);
	cv_profile_free(bp);
	return rc;
}

static int work(batch *b, batch_job *j)
{
	char *label = job_label(b, j);
	if (!label)
		return EXIT_FAILED;
	int rc = j->format ? work_render(b, j, label) : work_compare(b, j, label);
	free(label);
	return rc;
}

/* Check the batch flags; parse the lists. Returns 0 or EXIT_USAGE. */
static int setup(batch *b, cli_options *o, char **si_text, char **fmt_text)
{
	if (o->format)
		return usage("give the formats with -formats=F,... (not as -F)");
	if (o->output)
		return usage("renders go into -outdir, not -output");
	if (!o->formats || !o->formats[0])
		return usage("give -formats=F[,F...]: which reports to render");
	if (o->n_sources == 0)
		return usage("no profile given");
	if (!o->outdir || !o->outdir[0])
		o->outdir = ".";
	b->o = o;
	*fmt_text = strdup(o->formats);
	*si_text = o->sample_index ? strdup(o->sample_index) : NULL;
	if (!*fmt_text || (o->sample_index && !*si_text) ||
	    split(*fmt_text, &b->formats, &b->n_formats))
		return usage("out of memory");
	if (*si_text) {
		if (split(*si_text, &b->si, &b->n_si))
			return usage("out of memory");
	} else if ((b->si = calloc(1, sizeof(*b->si))) != NULL) {
		b->n_si = 1;
	}
	if (!b->si || b->n_formats == 0 || b->n_si == 0)
		return usage("empty -formats or -sample_index list");
	char msg[256];
	for (int f = 0; f < b->n_formats; f++)
		if (!cv_view_format_known(b->formats[f]) || !strcmp(b->formats[f], "peek") ||
		    !strcmp(b->formats[f], "list") || !strcmp(b->formats[f], "weblist")) {
			snprintf(msg, sizeof(msg), "unknown -formats entry \"%.64s\"", b->formats[f]);
			return usage(msg);
		}
	return 0;
}

/* mkdir -p: CI jobs name nested directories that do not exist yet. */
static int make_dirs(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	int rc = 0;
	/* Each parent first (a leading '/' is no parent), then the directory. */
	for (char *s = strchr(p + 1, '/'); rc == 0 && s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int run_batch(batch *b)
{
	cli_options *o = b->o;
	b->n_src = o->n_sources;
	b->src = calloc((size_t)b->n_src, sizeof(*b->src));
	b->types = calloc((size_t)b->n_src * (size_t)b->n_si, sizeof(*b->types));
	if (!b->src || !b->types)
		return EXIT_FAILED;
	if (make_dirs(o->outdir)) {
		fprintf(stderr, "callviz: %s: cannot create the output directory: %s\n",
			o->outdir, strerror(errno));
		return EXIT_FAILED;
	}
	for (int s = 0; s < b->n_src; s++)
		b->src[s].arg = o->sources[s];
	bool ok = load_sources(b);
	if (plan(b)) {
		fprintf(stderr, "callviz: batch: out of memory\n");
		return EXIT_FAILED;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = o->jobs > 0 ? o->jobs : cores > 0 ? (int)cores : 1;
	if ((size_t)jobs > b->n_jobs)
		jobs = b->n_jobs ? (int)b->n_jobs : 1;
	size_t failed = batch_pool_run(b, jobs, work);
	if (batch_write_index(b))
		ok = false;
	return ok && failed == 0 ? 0 : EXIT_FAILED;
}

static void release(batch *b)
{
	for (int s = 0; s < b->n_src; s++) {
		cv_profile_free(b->src[s].p);
		free(b->src[s].name);
		free(b->src[s].stem);
	}
	for (size_t i = 0; i < b->n_jobs; i++) {
		free(b->jobs[i].file);
		free(b->jobs[i].path);
	}
	free(b->jobs);
	free(b->src);
	free(b->types);
	free(b->si);
	free(b->formats);
}

int cli_batch_command(int argc, char **argv)
{
	cli_options o;
	batch b = {0};
	char *si_text = NULL, *fmt_text = NULL;
	int rc = cli_parse(&o, argc, argv);
	if (rc == 0 && o.help) {
		printf("%sRenders every source x sample index x format into DIR as\n"
		       "<source>.<sample type>.<ext>, with DIR/index.html; see callviz(1).\n",
		       usage_line);
	} else if (rc == 0 && (rc = setup(&b, &o, &si_text, &fmt_text)) == 0 &&
		   (rc = cli_hotspots_setup(&o)) == 0) {
		rc = run_batch(&b);
	}
	release(&b);
	free(si_text);
	free(fmt_text);
	free(o.sources);
	cli_hotspots_release(&o);
	return rc;
}
