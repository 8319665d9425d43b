/*
 * The -list report: the source of each function matching a regex, every
 * line annotated with the flat and cum values sampled on it, in pprof's
 * printSource layout. The window shown runs from the function's start line
 * (or 5 lines before the first sampled line) to 5 lines after the last.
 * The web UI's source view (source_html.c) is the same listing as pprof's
 * weblist has it: where the text is missing, the sampled lines still show.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "report/source_path.h"
#include "util/alloc.h"
#include "util/regex.h"

enum { MARGIN = 5 };

/* A source file, read once per report, split into lines (1-based). */
typedef struct source_file {
	const char *path;       /* as named by the graph node */
	char *text;
	char **lines;           /* lines[1..n] */
	size_t n;
	char err[1024];         /* why it could not be opened, "" if it was */
} source_file;

typedef struct sources {
	source_file *files;
	size_t n;
	const char *search, *trim;
	bool web;               /* pprof's source view: unreadable lines as "???" */
	char cwd[4096];
} sources;

/* Split like Go's bufio.Scanner lines: no "\n" or "\r\n"; long lines end it. */
static int split_lines(source_file *f, size_t len)
{
	size_t cap = 16;
	f->lines = malloc(cap * sizeof(*f->lines));
	if (!f->lines)
		return cv_error_nomem();
	char *s = f->text, *end = f->text + len;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *stop = nl ? nl : end;
		if ((size_t)(stop - s) >= 65536)
			break; /* bufio.Scanner gives up here, and pprof keeps what it had */
		if (stop > s && stop[-1] == '\r' && nl)
			stop[-1] = '\0';
		*stop = '\0';
		if (CV_GROW(f->lines, cap, f->n + 2, 16))
			return cv_error_nomem();
		f->lines[++f->n] = s;
		s = stop + 1;
	}
	return 0;
}

static int read_source(source_file *f, const sources *src)
{
	FILE *in = cv_source_open(f->path, src->trim, src->search, f->err, sizeof(f->err));
	if (!in)
		return 0;
	size_t len = 0;
	FILE *mem = open_memstream(&f->text, &len);
	char buf[65536];
	size_t got;
	while (mem && (got = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(in);
	if (!mem || fclose(mem) != 0)
		return cv_error_nomem();
	return split_lines(f, len);
}

static source_file *source_get(sources *src, const char *path, int *rc)
{
	for (size_t i = 0; i < src->n; i++)
		if (strcmp(src->files[i].path, path) == 0)
			return &src->files[i];
	source_file *nf = cv_realloc_array(src->files, src->n + 1, sizeof(*nf));
	if (!nf) {
		*rc = cv_error_nomem();
		return NULL;
	}
	src->files = nf;
	source_file *f = &nf[src->n++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	*rc = read_source(f, src);
	return f;
}

static void sources_free(sources *src)
{
	for (size_t i = 0; i < src->n; i++) {
		free(src->files[i].text);
		free(src->files[i].lines);
	}
	free(src->files);
}

/* Matching nodes, grouped by function name, then file, then graph order. */
typedef struct hit {
	const cv_node *node;
	size_t pos;
} hit;

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	int c = strcmp(x->node->info.name, y->node->info.name);
	if (!c)
		c = strcmp(x->node->info.file, y->node->info.file);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static char *value_or_dot(const report_ctx *c, char *buf, size_t size, int64_t v)
{
	if (v == 0)
		return strcpy(buf, ".");
	return report_format_value(c, buf, size, v);
}

/* The lines [start, end] around the sampled lines of one function in one file. */
static void line_window(const hit *h, size_t n, int64_t *start, int64_t *end)
{
	const cv_node_info *first = &h[0].node->info;
	*start = first->start_line ? first->start_line : first->lineno - MARGIN;
	*end = first->lineno + MARGIN;
	for (size_t i = 0; i < n; i++) {
		const cv_node_info *ni = &h[i].node->info;
		int64_t s = ni->start_line ? ni->start_line : ni->lineno - MARGIN;
		if (s < *start)
			*start = s;
		else if (ni->lineno + MARGIN > *end)
			*end = ni->lineno + MARGIN;
	}
	if (*start < 1)
		*start = 1;
}

/* The flat and cum values of line ln; false if no node of h is on it. */
static bool line_values(const hit *h, size_t n, int64_t ln, int64_t *flat, int64_t *cum)
{
	bool sampled = false;
	*flat = *cum = 0;
	for (size_t i = 0; i < n; i++)
		if (h[i].node->info.lineno == ln) {
			*flat += h[i].node->flat;
			*cum += h[i].node->cum;
			sampled = true;
		}
	return sampled;
}

static void print_line(FILE *out, const report_ctx *c, int64_t ln, int64_t flat, int64_t cum,
		       const char *text)
{
	char fv[64], cv[64];
	fprintf(out, "%10s %10s %6lld:%s\n", value_or_dot(c, fv, sizeof(fv), flat),
		value_or_dot(c, cv, sizeof(cv), cum), (long long)ln, text);
}

/* pprof's text for a sampled line the file does not have (source.go). */
static const char *unknown_text(int64_t ln)
{
	return ln == 0 ? "<instructions with unknown line numbers>" : "???";
}

static int cmp_lineno(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Source view: the sampled lines in [from, to], in order, as "???". */
static int print_sampled_lines(FILE *out, const report_ctx *c, const hit *h, size_t n,
			       int64_t from, int64_t to)
{
	int64_t *ln = malloc(n * sizeof(*ln));
	if (!ln)
		return CV_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ln[i] = h[i].node->info.lineno;
	qsort(ln, n, sizeof(*ln), cmp_lineno);
	for (size_t i = 0; i < n; i++) {
		int64_t flat, cum;
		if ((i && ln[i] == ln[i - 1]) || ln[i] < from || ln[i] > to ||
		    !line_values(h, n, ln[i], &flat, &cum))
			continue;
		print_line(out, c, ln[i], flat, cum, unknown_text(ln[i]));
	}
	free(ln);
	return 0;
}

/* The window of lines. The source view adds line 0 (samples without a
 * line number) first and the sampled lines past the file's end last, as
 * "???", where -list, like pprof's, stops at the end. */
static int print_lines(FILE *out, const report_ctx *c, const hit *h, size_t n,
		       const source_file *f, bool web)
{
	int64_t start, end, flat, cum;
	line_window(h, n, &start, &end);
	int rc = web ? print_sampled_lines(out, c, h, n, 0, 0) : 0;
	for (int64_t ln = start; rc == 0 && ln <= end && (size_t)ln <= f->n; ln++) {
		line_values(h, n, ln, &flat, &cum);
		print_line(out, c, ln, flat, cum, f->lines[ln]);
	}
	if (rc == 0 && web && end > (int64_t)f->n)
		rc = print_sampled_lines(out, c, h, n, (int64_t)f->n + 1, end);
	return rc;
}

/* One "ROUTINE" block: a function's nodes h[0..n) in one file. */
static int print_routine(FILE *out, const report_ctx *c, sources *src, const hit *h, size_t n)
{
	const cv_node_info *ni = &h[0].node->info;
	int64_t flat = 0, cum = 0;
	for (size_t i = 0; i < n; i++) {
		flat += h[i].node->flat;
		cum += h[i].node->cum;
	}
	int rc = 0;
	source_file *f = source_get(src, ni->file, &rc);
	if (!f)
		return rc;
	char fv[64], cv[64], pc[32];
	fprintf(out, "ROUTINE ======================== %s in %s\n", ni->name, ni->file);
	fprintf(out, "%10s %10s (flat, cum) %s of Total\n",
		report_format_value(c, fv, sizeof(fv), flat),
		report_format_value(c, cv, sizeof(cv), cum), cv_unit_percent(pc, sizeof(pc), cum, c->total));
	int prc = 0;
	if (f->err[0] && src->web)
		prc = print_sampled_lines(out, c, h, n, INT64_MIN, INT64_MAX);
	else if (f->err[0])
		fprintf(out, " Error: %s\n", f->err);
	else
		prc = print_lines(out, c, h, n, f, src->web);
	return rc ? rc : prc;
}

/* Every function h[0..n) of one name: its files in order, or a note that it has none. */
static int print_function(FILE *out, const report_ctx *c, sources *src, const hit *h, size_t n)
{
	size_t i = 0;
	while (i < n && !h[i].node->info.file[0])
		i++;
	if (i == n) {
		fprintf(out, "No source information for %s\n", h[0].node->info.name);
		return 0;
	}
	while (i < n) {
		size_t j = i + 1;
		while (j < n && !strcmp(h[j].node->info.file, h[i].node->info.file))
			j++;
		int rc = print_routine(out, c, src, h + i, j - i);
		if (rc)
			return rc;
		i = j;
	}
	return 0;
}

static int print_listing(FILE *out, const report_ctx *c, sources *src, hit *h, size_t n)
{
	char total[64];
	fprintf(out, "Total: %s\n", report_format_value(c, total, sizeof(total), c->total));
	qsort(h, n, sizeof(*h), cmp_hit);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(h[j].node->info.name, h[i].node->info.name); j++)
			;
		int rc = print_function(out, c, src, h + i, j - i);
		if (rc)
			return rc;
	}
	return 0;
}

static int list_graph(cv_graph **g, const cv_profile *p, const cv_report_options *o)
{
	/* pprof lists from the whole line-level graph: no trimming, mapping names kept. */
	cv_graph_options go = {
		.granularity = CV_GRAN_LINES,
		.no_inlines = o->no_inlines,
		.sample_index = o->sample_index,
		.mean = o->mean,
		.output_unit = o->output_unit,
		.drop_negative = o->drop_negative,
		.obj_names = true,
		.no_tags = true,
	};
	return cv_graph_build(g, p, &go, NULL);
}

/* The listing into out with src's settings (src->web), then missing() for
 * each file not read, while the graph holding its name is still here. */
static int list_into(FILE *out, const cv_profile *p, const cv_report_options *o, sources *src,
		     report_missing_fn missing, void *arg)
{
	report_ctx c;
	int rc = report_ctx_init(&c, p, o);
	if (rc)
		return rc;
	const char *symbol = o->symbol ? o->symbol : "";
	cv_regex *re = cv_regex_compile(symbol, "list");
	if (!re)
		return CV_EINVAL;
	cv_graph *g = NULL;
	hit *h = NULL;
	size_t n = 0;
	src->search = o->source_path;
	src->trim = o->trim_path;
	if (!src->search || !src->search[0])
		src->search = getcwd(src->cwd, sizeof(src->cwd)) ? src->cwd : ".";
	if ((rc = list_graph(&g, p, o)))
		goto out;
	if (!(h = malloc((g->n_nodes + 1) * sizeof(*h)))) {
		rc = cv_error_nomem();
		goto out;
	}
	for (size_t i = 0; i < g->n_nodes; i++)
		if (cv_regex_match(re, g->nodes[i]->info.name))
			h[n++] = (hit){g->nodes[i], i};
	if (n == 0)
		rc = cv_error_set(CV_ENOTFOUND, "no matches found for regexp: %s", symbol);
	else if ((rc = print_listing(out, &c, src, h, n)))
		cv_error_set(rc, "out of memory");
	for (size_t i = 0; rc == 0 && missing && i < src->n; i++)
		if (src->files[i].err[0])
			missing(src->files[i].path, src->files[i].err, arg);
out:
	free(h);
	cv_graph_free(g);
	cv_regex_free(re);
	return rc;
}

int cv_report_list(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	sources src = {0};
	int rc = list_into(out, p, o, &src, NULL, NULL);
	sources_free(&src);
	return rc;
}

int report_source_view(FILE *out, const cv_profile *p, const cv_report_options *o,
		       report_missing_fn missing, void *arg)
{
	sources src = {.web = true};
	int rc = list_into(out, p, o, &src, missing, arg);
	sources_free(&src);
	return rc;
}
