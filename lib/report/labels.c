/*
 * What every report says about itself: the legend lines pprof prints above
 * a text report and into a graph's legend box, the report total, and the
 * unit values are printed in.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "callviz/report.h"
#include "callviz/units.h"
#include "graph/graph_internal.h"
#include "render/dot_style.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/goconv.h"

void cv_report_options_init(cv_report_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_REPORT_OPTIONS_VERSION;
	o->sample_index = -1;
	o->node_fraction = 0.005;
	o->edge_fraction = 0.001;
	o->node_count = -1;
	o->output_unit = "minimum";
}

static bool is_diff_base(const cv_sample *s)
{
	for (size_t k = 0; k < s->n_labels; k++)
		if (s->labels[k].str && strcmp(s->labels[k].key, "pprof::base") == 0)
			return true;
	return false;
}

/* Sum of |value| over samples, divided by the sum of divisors if any. */
static int64_t total_div(const cv_profile *p, int sample_index, int div_index)
{
	int64_t total = 0, div = 0, diff_total = 0, diff_div = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t v = cv_abs64(s->values[sample_index]);
		int64_t d = div_index >= 0 ? s->values[div_index] : 0;
		total += v;
		div += d;
		if (is_diff_base(s)) {
			diff_total += v;
			diff_div += d;
		}
	}
	/* In a diff profile, percentages are relative to the base. */
	if (diff_total > 0) {
		total = diff_total;
		div = diff_div;
	}
	return div != 0 ? total / div : total;
}

int64_t cv_report_total(const cv_profile *p, int sample_index)
{
	return total_div(p, sample_index, -1);
}

int64_t cv_report_options_total(const cv_profile *p, const cv_report_options *o)
{
	return total_div(p, o->sample_index, o->mean ? 0 : -1);
}

/* pprof's -divide_by as formatValue applies it: only a positive ratio other than 1. */
int64_t report_apply_ratio(int64_t v, double ratio)
{
	if (ratio > 0 && ratio != 1)
		return cv_go_int64((double)v * ratio);
	return v;
}

const char *report_output_unit(const cv_graph *g, int64_t total, const char *sample_unit,
			       const char *requested, double ratio)
{
	if (strcmp(requested, "minimum") != 0 || g->n_nodes == 0)
		return requested;
	int64_t min = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		int64_t v = cv_abs64(cv_node_flat(g->nodes[i]));
		if (v == 0)
			v = cv_abs64(cv_node_cum(g->nodes[i]));
		if (v > 0 && (min == 0 || v < min))
			min = v;
	}
	int64_t max = total;
	if (min == 0)
		min = max;
	min = report_apply_ratio(min, ratio);
	max = report_apply_ratio(max, ratio);
	const char *min_unit, *max_unit, *unit;
	cv_unit_scale(min, sample_unit, "minimum", &min_unit);
	cv_unit_scale(max, sample_unit, "minimum", &max_unit);
	unit = min_unit;
	/* Prefer the larger unit when the smallest value would still show as
	 * 0.01 or more. Go's int64 product wraps; so does this one. */
	int64_t min100 = (int64_t)((uint64_t)min * 100);
	if (strcmp(min_unit, max_unit) != 0 && min100 < max)
		cv_unit_scale(min100, sample_unit, "minimum", &unit);
	return unit[0] ? unit : sample_unit;
}

const char *cv_report_output_unit(const cv_graph *g, int64_t total,
				  const char *sample_unit, const char *requested)
{
	return report_output_unit(g, total, sample_unit, requested, 1);
}

static void push(char ***labels, size_t *n, char *line)
{
	char **nl = cv_realloc_array(*labels, *n + 2, sizeof(*nl));
	if (!nl || !line) {
		free(line);
		if (nl)
			*labels = nl;
		return;
	}
	*labels = nl;
	nl[(*n)++] = line;
	nl[*n] = NULL;
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* Go's "Jan 2, 2006 at 3:04pm (MST)" in local time. */
static char *format_time(int64_t nanos)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	char buf[128];
	if (!localtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%b %-d, %Y at %-I:%M%P (%Z)", &tm))
		return dupf("Time: %lld", (long long)nanos);
	return dupf("Time: %s", buf);
}

static void profile_labels(char ***l, size_t *n, const cv_profile *p, const report_ctx *c)
{
	if (p->n_mappings > 0) {
		if (p->mappings[0].file[0])
			push(l, n, dupf("File: %s", base_name(p->mappings[0].file)));
		if (p->mappings[0].build_id[0])
			push(l, n, dupf("Build ID: %s", p->mappings[0].build_id));
	}
	for (size_t i = 0; i < p->n_comments; i++)
		if (p->comments[i][0] != '#')
			push(l, n, dupf("%s", p->comments[i]));
	if (c->sample_type[0])
		push(l, n, dupf("Type: %s", c->sample_type));
	if (p->time_nanos)
		push(l, n, format_time(p->time_nanos));
	if (p->duration_nanos) {
		char dur[64], tot[64], pct[48] = "";
		cv_unit_label(dur, sizeof(dur), p->duration_nanos, "nanoseconds", "auto");
		const char *tu;
		double tn = cv_unit_scale(c->total, c->sample_unit, "nanoseconds", &tu);
		if (strcmp(tu, "ns") == 0 && (int64_t)tn != 0) {
			char pc[32];
			cv_unit_percent(pc, sizeof(pc), (int64_t)tn, p->duration_nanos);
			snprintf(pct, sizeof(pct), "(%s)", pc);
		}
		report_format_value(c, tot, sizeof(tot), c->total);
		push(l, n, dupf("Duration: %s, Total samples = %s %s", dur, tot, pct));
	}
}

char **report_profile_labels(const cv_profile *p, const report_ctx *c)
{
	char **l = calloc(1, sizeof(*l));
	size_t n = 0;
	if (l)
		profile_labels(&l, &n, p, c);
	return l;
}

static char *dropped_line(int count, const char *what, const char *measure, const char *value)
{
	return dupf("Dropped %d %s%s (%s <= %s)", count, what, count > 1 ? "s" : "", measure, value);
}

char **report_labels(const cv_profile *p, const report_ctx *c, const cv_graph *g,
		     const cv_trim_result *tr, bool full)
{
	char **l = calloc(1, sizeof(*l));
	size_t n = 0;
	if (!l)
		return NULL;
	/* -compact_labels trims only text reports; a graph's legend keeps them. */
	if (full || !c->opts->compact_labels)
		profile_labels(&l, &n, p, c);
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		flat_sum += cv_node_flat(g->nodes[i]);
	const cv_report_options *o = c->opts;
	if (o->n_active_filters) {
		push(&l, &n, dupf("Active filters:"));
		for (size_t i = 0; i < o->n_active_filters; i++)
			push(&l, &n, report_filter_line(o->active_filters[i]));
	}
	char fs[64], tot[64], pc[32];
	report_format_value(c, fs, sizeof(fs), flat_sum);
	report_format_value(c, tot, sizeof(tot), c->total);
	cv_unit_percent(pc, sizeof(pc), flat_sum, c->total);
	const char *pct = pc;
	while (*pct == ' ')
		pct++;
	push(&l, &n, dupf("Showing nodes accounting for %s, %s of %s total", fs, pct, tot));
	if (c->total != 0) {
		char v[64];
		if (tr->dropped_nodes > 0) {
			report_format_value(c, v, sizeof(v), cv_abs64(cv_go_int64((double)c->total * o->node_fraction)));
			push(&l, &n, dropped_line(tr->dropped_nodes, "node", "cum", v));
		}
		if (tr->dropped_edges > 0) {
			report_format_value(c, v, sizeof(v), cv_abs64(cv_go_int64((double)c->total * o->edge_fraction)));
			push(&l, &n, dropped_line(tr->dropped_edges, "edge", "freq", v));
		}
		if (g->n_nodes > 0 && (int)g->n_nodes < tr->orig_count)
			push(&l, &n, dupf("Showing top %zu nodes out of %d", g->n_nodes, tr->orig_count));
	}
	if (full)
		push(&l, &n, dupf("\nSee https://git.io/JfYMW for how to read the graph"));
	return l;
}

char *report_filter_line(const char *filter)
{
	/* Long filters are cut at 80 bytes, as pprof does. */
	if (strlen(filter) > 80)
		return dupf("   %.80s\u2026", filter);
	return dupf("   %s", filter);
}

char **cv_report_labels(const cv_profile *p, const cv_report_options *o,
			const cv_graph *g, const cv_trim_result *tr,
			int64_t total, const char *output_unit, bool full)
{
	report_ctx c;
	if (report_ctx_init(&c, p, o))
		return NULL;
	c.total = total;
	c.output_unit = output_unit;
	return report_labels(p, &c, g, tr, full);
}

void cv_report_labels_free(char **labels)
{
	for (size_t i = 0; labels && labels[i]; i++)
		free(labels[i]);
	free(labels);
}
