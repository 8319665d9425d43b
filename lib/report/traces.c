/*
 * The -traces report: every sample on its own, its labels, its value and
 * its stack (leaf first, inlined frames marked), between separator lines,
 * as pprof's printTraces lays it out.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "graph/graph_internal.h"
#include "graph/names.h"
#include "report/report_internal.h"
#include "util/strbuf.h"

#define SEPARATOR "-----------+-------------------------------------------------------"

/* The frames one location stands for, innermost first. */
typedef struct loc_frames {
	const char **names;
	size_t n;
} loc_frames;

/*
 * Name every location's frames once, at the report's granularity. With
 * -noinlines a location keeps only its outermost frame, as pprof's
 * aggregation does before printing.
 */
static int name_frames(loc_frames **out, cv_arena *a, const cv_profile *p,
		       const cv_report_options *o)
{
	cv_graph_options go = {.granularity = o->granularity};
	loc_frames *lf = cv_arena_calloc(a, p->n_locations + 1, sizeof(*lf));
	if (!lf)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_locations; i++) {
		const cv_location *loc = &p->locations[i];
		size_t from = o->no_inlines && loc->n_lines > 1 ? loc->n_lines - 1 : 0;
		size_t n = loc->n_lines ? loc->n_lines - from : 1;
		lf[i].names = cv_arena_calloc(a, n, sizeof(*lf[i].names));
		if (!lf[i].names)
			return cv_error_nomem();
		lf[i].n = n;
		for (size_t k = 0; k < n; k++) {
			cv_node_info ni;
			cv_graph_frame_info(&ni, loc, loc->n_lines ? &loc->lines[from + k] : NULL,
					    &go, a);
			lf[i].names[k] = cv_node_info_name(a, &ni);
		}
	}
	*out = lf;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool same_kind(const cv_label *l, bool numeric)
{
	return (l->str == NULL) == numeric;
}

/* "%10s:  v1 v2\n" for the key of s->labels[first]: its values in order. */
static char *label_line(const cv_sample *s, size_t first, bool numeric,
			const cv_num_label_unit *units, size_t n_units)
{
	const char *key = s->labels[first].key;
	const char *unit = numeric ? cv_num_label_unit_of(units, n_units, key) : "";
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_printf(&sb, "%10s: ", key);
	for (size_t j = first; j < s->n_labels; j++) {
		const cv_label *v = &s->labels[j];
		if (!same_kind(v, numeric) || strcmp(v->key, key) != 0)
			continue;
		char buf[64];
		cv_strbuf_putc(&sb, ' ');
		cv_strbuf_puts(&sb, numeric ? cv_unit_label(buf, sizeof(buf), v->num, unit, "auto")
					    : v->str);
	}
	cv_strbuf_putc(&sb, '\n');
	return cv_strbuf_detach(&sb, NULL);
}

/*
 * One line per label key of one kind (string or numeric), sorted as text
 * the way pprof sorts its formatted lines.
 */
static int print_labels(FILE *out, const cv_sample *s, bool numeric,
			const cv_num_label_unit *units, size_t n_units)
{
	if (s->n_labels == 0)
		return 0;
	char **lines = calloc(s->n_labels, sizeof(*lines));
	size_t n = 0;
	int rc = lines ? 0 : cv_error_nomem();
	for (size_t i = 0; !rc && i < s->n_labels; i++) {
		bool seen = !same_kind(&s->labels[i], numeric);
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_kind(&s->labels[j], numeric) &&
			       strcmp(s->labels[j].key, s->labels[i].key) == 0;
		if (!seen && !(lines[n++] = label_line(s, i, numeric, units, n_units)))
			rc = cv_error_nomem();
	}
	if (!rc) {
		qsort(lines, n, sizeof(*lines), cmp_str);
		for (size_t i = 0; i < n; i++)
			fputs(lines[i], out);
	}
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

static int print_sample(FILE *out, const report_ctx *c, const cv_sample *s,
			const loc_frames *lf, const cv_num_label_unit *units, size_t n_units)
{
	fputs(SEPARATOR "\n", out);
	if (print_labels(out, s, false, units, n_units) || print_labels(out, s, true, units, n_units))
		return cv_error_nomem();
	int64_t v = s->values[c->opts->sample_index];
	if (c->opts->mean && s->values[0] != 0)
		v /= s->values[0];
	char value[64];
	report_format_value(c, value, sizeof(value), v);
	bool first = true;
	for (size_t i = 0; i < s->n_locs; i++) {
		const loc_frames *f = &lf[s->locs[i]];
		for (size_t k = 0; k < f->n; k++) {
			fprintf(out, "%10s   %s%s\n", first ? value : "", f->names[k],
				k + 1 < f->n ? " (inline)" : "");
			first = false;
		}
	}
	return 0;
}

int cv_report_traces(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	int rc = report_ctx_init(&c, p, o);
	if (rc)
		return rc;
	char **labels = report_profile_labels(p, &c);
	cv_arena *a = cv_arena_new();
	/* Units come from the whole profile, taken before filtering if given. */
	cv_num_label_unit *units = (cv_num_label_unit *)o->num_label_units;
	size_t n_units = o->n_num_label_units;
	loc_frames *lf = NULL;
	if (!labels || !a || name_frames(&lf, a, p, o) ||
	    (!units && cv_profile_num_label_units((cv_profile *)p, &units, &n_units))) {
		cv_report_labels_free(labels);
		cv_arena_free(a);
		return cv_error_nomem();
	}
	for (size_t i = 0; labels[i]; i++)
		fprintf(out, "%s%s", i ? "\n" : "", labels[i]);
	fputc('\n', out);
	cv_report_labels_free(labels);
	for (size_t i = 0; !rc && i < p->n_samples; i++)
		if (p->samples[i].n_locs > 0)
			rc = print_sample(out, &c, &p->samples[i], lf, units, n_units);
	fputs(SEPARATOR "\n", out);
	cv_arena_free(a);
	return rc ? cv_error_set(rc, "out of memory") : 0;
}
