/*
 * Hotspot classes in text reports: the shares behind the "Hotspots:" line
 * of -top, and the -hotspots report, which lists per class its share of
 * the total and its heaviest functions, for pasting into a ticket.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "callviz/stacks.h"
#include "callviz/units.h"
#include "hotspot/hotspot_internal.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* Functions listed per class unless -nodecount says otherwise. */
#define DEFAULT_ROWS 10

/* The shares themselves, NULL when the report has none to show. */
static int compute_shares(cv_hotspot_share **out, const cv_profile *p, const report_ctx *c)
{
	const cv_hotspots *h = c->opts->hotspots;
	size_t n = cv_hotspot_count(h);
	*out = NULL;
	/* A share is part of a sum; -mean's averages have no such whole. */
	if (n == 0 || c->opts->mean)
		return 0;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return cv_error_nomem();
	int rc = cv_hotspot_shares(*out, h, p, c->opts->sample_index);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static void shares_run(void *arg)
{
	report_shares_job *j = arg;
	j->rc = compute_shares(&j->out, j->p, j->c);
}

void report_shares_begin(report_shares_job *j, const cv_profile *p, const report_ctx *c)
{
	*j = (report_shares_job){.p = p, .c = c};
	cv_task_start(&j->task, shares_run, j);
}

void report_shares_end(report_shares_job *j, report_ctx *c)
{
	cv_task_join(&j->task);
	c->shares = j->out;
	c->shares_rc = j->rc;
	c->shares_done = true;
}

static void masks_run(void *arg)
{
	report_counting *j = arg;
	const cv_hotspots *h = j->c->opts->hotspots;
	size_t n = cv_hotspot_count(h);
	j->masks = cv_hotspot_location_masks(h, j->p);
	j->zero = j->masks ? calloc(n, sizeof(*j->zero)) : NULL;
	if (j->zero)
		cv_hotspot_count_samples(j->zero, n, j->masks, j->p, j->c->opts->sample_index,
					 true);
}

/* cv_class_count.masks: the masks, once made. */
static const uint64_t *masks_wait(void *ctx)
{
	report_counting *j = ctx;
	if (!j->joined)
		cv_task_join(&j->task);
	j->joined = true;
	return j->zero ? j->masks : NULL;
}

void report_counting_begin(report_counting *j, cv_class_count *cc, const cv_profile *p,
			   const report_ctx *c)
{
	size_t n = cv_hotspot_count(c->opts->hotspots);
	*j = (report_counting){.p = p, .c = c};
	*cc = (cv_class_count){.masks = masks_wait, .ctx = j, .n = n,
			       .sums = calloc(n, sizeof(*cc->sums))};
	/* Without room for the sums, nothing is counted: the walk gets no masks. */
	if (!cc->sums)
		j->joined = true;
	else
		cv_task_start(&j->task, masks_run, j);
}

void report_counting_end(report_counting *j, cv_class_count *cc, report_ctx *c)
{
	masks_wait(j);
	if (cc->counted) {
		for (size_t i = 0; i < cc->n; i++)
			cc->sums[i].samples += j->zero[i].samples;
		free(c->shares);
		c->shares = cc->sums;
		c->shares_rc = 0;
		c->shares_done = true;
	} else {
		free(cc->sums);
	}
	cc->sums = NULL;
	free(j->masks);
	free(j->zero);
}

void report_ctx_release(report_ctx *c)
{
	free(c->shares);
	c->shares = NULL;
	c->shares_done = false;
}

int report_hotspot_shares(cv_hotspot_share **out, const cv_profile *p, report_ctx *c)
{
	/* Computed while report_graph built the graph: take them, unless
	 * that failed (its message is the other thread's: do it again). */
	bool done = c->shares_done && c->shares_rc == 0;
	*out = done ? c->shares : NULL;
	if (!done)
		free(c->shares);
	c->shares = NULL;
	c->shares_done = false;
	return done ? 0 : compute_shares(out, p, c);
}

/* A percentage as pprof prints it in labels: no padding. */
static const char *percent(char *buf, size_t size, int64_t v, int64_t total)
{
	cv_unit_percent(buf, size, v, total);
	return buf + strspn(buf, " ");
}

char *report_hotspot_line(const cv_hotspots *h, const cv_hotspot_share *s, int64_t total)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	for (size_t i = 0; s && i < cv_hotspot_count(h); i++) {
		if (!s[i].any)
			continue;
		char pc[32];
		cv_strbuf_printf(&sb, "%s%s %s", sb.len ? ", " : "Hotspots: ",
				 cv_hotspot_get(h, i)->name, percent(pc, sizeof(pc), s[i].value, total));
	}
	if (sb.len == 0 || cv_strbuf_failed(&sb)) {
		cv_strbuf_free(&sb);
		return NULL;
	}
	return cv_strbuf_detach(&sb, NULL);
}

int report_print_hotspot_line(FILE *out, const cv_profile *p, report_ctx *c)
{
	cv_hotspot_share *s;
	int rc = report_hotspot_shares(&s, p, c);
	if (rc || !s)
		return rc;
	char *line = report_hotspot_line(c->opts->hotspots, s, c->total);
	if (line)
		fprintf(out, "%s\n", line);
	free(line);
	free(s);
	return 0;
}

/* The profile's header lines, up to (not including) the graph's own. */
static void print_header(FILE *out, const cv_profile *p, const report_ctx *c)
{
	cv_graph empty = {0};
	cv_trim_result tr = {0};
	char **labels = report_labels(p, c, &empty, &tr, false);
	for (size_t i = 0; labels && labels[i]; i++) {
		if (!strncmp(labels[i], "Showing nodes accounting for", 28))
			break;
		fprintf(out, "%s\n", labels[i]);
	}
	cv_report_labels_free(labels);
}

/* Heaviest first by cum, then flat, then name, so ties print the same way every time. */
static int cmp_rows(const void *a, const void *b, void *graph)
{
	const cv_graph *g = graph;
	const cv_node *x = *(cv_node *const *)a, *y = *(cv_node *const *)b;
	int64_t cx = cv_node_cum(x), cy = cv_node_cum(y);
	if (cx != cy)
		return cx > cy ? -1 : 1;
	int64_t fx = cv_node_flat(x), fy = cv_node_flat(y);
	if (fx != fy)
		return fx > fy ? -1 : 1;
	return strcmp(cv_node_name(g, x), cv_node_name(g, y));
}

static void print_row(FILE *out, const report_ctx *c, const cv_graph *g, const cv_node *n)
{
	char fv[64], cv[64], fp[32], cp[32];
	int64_t flat = cv_node_flat(n), cum = cv_node_cum(n);
	report_format_value(c, fv, sizeof(fv), flat);
	report_format_value(c, cv, sizeof(cv), cum);
	cv_unit_percent(fp, sizeof(fp), flat, c->total);
	cv_unit_percent(cp, sizeof(cp), cum, c->total);
	fprintf(out, "%10s %s %10s %s  %s\n", fv, fp, cv, cp, cv_node_name(g, n));
}

/* One class: its share, then its functions (every function the class matches). */
static void print_class(FILE *out, const report_ctx *c, const cv_graph *g, size_t cls,
		       const cv_hotspot_share *s, cv_node **rows)
{
	const cv_hotspots *h = c->opts->hotspots;
	size_t n = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (cv_hotspot_match_mask(h, g->nodes[i]->info.name) >> cls & 1)
			rows[n++] = g->nodes[i];
	qsort_r(rows, n, sizeof(*rows), cmp_rows, (void *)g);
	int limit = c->opts->node_count > 0 ? c->opts->node_count : DEFAULT_ROWS;
	char v[64], pc[32];
	report_format_value(c, v, sizeof(v), s->value);
	fprintf(out, "\n%s: %s (%s), %zu sample%s\n", cv_hotspot_get(h, cls)->name, v,
		percent(pc, sizeof(pc), s->value, c->total), s->samples, s->samples == 1 ? "" : "s");
	fprintf(out, "%10s %5s%% %10s %5s%%\n", "flat", "flat", "cum", "cum");
	for (size_t i = 0; i < n && i < (size_t)limit; i++)
		print_row(out, c, g, rows[i]);
	if (n > (size_t)limit)
		fprintf(out, "%10s %zu more function%s\n", "...", n - (size_t)limit,
			n - (size_t)limit > 1 ? "s" : "");
}

static void print_summary(FILE *out, const report_ctx *c, const cv_hotspot_share *s)
{
	const cv_hotspots *h = c->opts->hotspots;
	char tot[64];
	report_format_value(c, tot, sizeof(tot), c->total);
	fprintf(out, "Hotspots: share of the %s total; a sample counts once per class\n", tot);
	for (size_t i = 0; i < cv_hotspot_count(h); i++) {
		if (!s[i].any)
			continue;
		char v[64], pc[32];
		report_format_value(c, v, sizeof(v), s[i].value);
		cv_unit_percent(pc, sizeof(pc), s[i].value, c->total);
		fprintf(out, "%10s %s  %s\n", v, pc, cv_hotspot_get(h, i)->name);
	}
}

static int print_report(FILE *out, const cv_profile *p, report_ctx *c,
			const cv_hotspot_share *s)
{
	const cv_report_options *o = c->opts;
	cv_graph_options go = {
		.granularity = o->granularity,
		.no_inlines = o->no_inlines,
		.sample_index = o->sample_index,
		.output_unit = c->output_unit,
		.no_tags = true,
	};
	cv_graph *g;
	int rc = cv_graph_build(&g, p, &go, NULL);
	if (rc)
		return rc;
	c->output_unit = cv_report_output_unit(g, c->total, c->sample_unit, c->output_unit);
	cv_node **rows = calloc(g->n_nodes + 1, sizeof(*rows));
	if (!rows) {
		cv_graph_free(g);
		return cv_error_nomem();
	}
	print_header(out, p, c);
	size_t shown = 0;
	for (size_t i = 0; i < cv_hotspot_count(o->hotspots); i++)
		shown += s[i].any;
	if (shown == 0) {
		fprintf(out, "Hotspots: no class has samples\n");
	} else {
		print_summary(out, c, s);
		for (size_t i = 0; i < cv_hotspot_count(o->hotspots); i++)
			if (s[i].any)
				print_class(out, c, g, i, &s[i], rows);
	}
	free(rows);
	cv_graph_free(g);
	return 0;
}

int cv_report_hotspots(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	if (cv_hotspot_count(o->hotspots) == 0)
		return cv_error_set(CV_EINVAL, "no hotspot classes (-hotspots=none and no -highlight)");
	if (o->mean)
		return cv_error_set(CV_EINVAL, "the hotspots report sums values: -mean does not apply");
	report_ctx c;
	cv_hotspot_share *s;
	int rc = report_ctx_init(&c, p, o);
	if (rc || (rc = report_hotspot_shares(&s, p, &c)))
		return rc;
	rc = print_report(out, p, &c, s);
	free(s);
	return rc;
}

/* cv_flame_options.frame_class: the frame's class attribute, if any. */
static const char *flame_frame_class(void *arg, const cv_frame *frame)
{
	const cv_hotspots *h = arg;
	int c = cv_hotspot_classify(h, frame->name);
	return c < 0 ? NULL : cv_hotspot_get(h, (size_t)c)->css;
}

char *report_flame_hotspots(cv_flame_options *fo, const cv_hotspots *h)
{
	if (fo->frame_class || cv_hotspot_count(h) == 0)
		return NULL;
	cv_strbuf sb = CV_STRBUF_INIT;
	if (fo->extra_css)
		cv_strbuf_puts(&sb, fo->extra_css);
	for (size_t i = 0; i < cv_hotspot_count(h); i++) {
		const cv_hotspot_class *c = cv_hotspot_get(h, i);
		cv_strbuf_printf(&sb, "\n.f.hs-%s rect{fill:%s}", c->name, c->color);
	}
	if (cv_strbuf_failed(&sb)) {
		cv_strbuf_free(&sb);
		return NULL;
	}
	char *css = cv_strbuf_detach(&sb, NULL);
	fo->frame_class = flame_frame_class;
	fo->frame_class_arg = (void *)h;
	fo->extra_css = css;
	return css;
}
