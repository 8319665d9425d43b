/*
 * The -tags report, pprof's printTags: for each label key (sorted), the
 * total of the samples' values over its label values, then one line per
 * value, heaviest first, with its share of that key's total. Numeric
 * label values are printed in their key's unit, scaled like graph tags.
 * Columns are aligned as Go's tabwriter aligns them.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/goconv.h"
#include "util/strbuf.h"
#include "util/strpair_map.h"
#include "util/tabwriter.h"

/* Sums keyed by (label key, value); the numeric values formatted in arena. */
typedef struct tag_table {
	cv_strpair_map sums;
	cv_arena *arena;
} tag_table;

/* Add v to the sum of (key, value); `value` is copied only when new. */
static int add(tag_table *t, const char *key, const char *value, int64_t v)
{
	long i = cv_strpair_map_find(&t->sums, key, value);
	if (i < 0) {
		const char *copy = cv_arena_strdup(t->arena, value);
		if (!copy || (i = cv_strpair_map_add(&t->sums, key, copy)) < 0)
			return cv_error_nomem();
	}
	t->sums.pairs[i].value += v;
	return 0;
}

static int collect(tag_table *t, const cv_profile *p, const cv_report_options *o,
		   const cv_num_label_unit *units, size_t n_units)
{
	const char *out_unit = o->output_unit ? o->output_unit : "minimum";
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t v = s->values[o->sample_index];
		for (size_t k = 0; k < s->n_labels; k++) {
			const cv_label *l = &s->labels[k];
			char buf[64];
			const char *value = l->str;
			if (!value)
				value = cv_unit_label(buf, sizeof(buf), l->num,
						      cv_num_label_unit_of(units, n_units, l->key),
						      out_unit);
			if (add(t, l->key, value, v))
				return cv_error_nomem();
		}
	}
	return 0;
}

/* Keys by name; within a key, heaviest (by magnitude) first, then by value. */
static int cmp_sum(const void *pa, const void *pb)
{
	const cv_strpair *a = pa, *b = pb;
	int c = strcmp(a->a, b->a);
	if (c)
		return c;
	if (cv_abs64(a->value) != cv_abs64(b->value))
		return cv_abs64(a->value) > cv_abs64(b->value) ? -1 : 1;
	return strcmp(a->b, b->b);
}

/* One key's sums: s[i].a is the key, s[i].b the value, s[i].value the sum. */
static void print_key(cv_strbuf *sb, const cv_strpair *s, size_t n, const report_ctx *c)
{
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += s[i].value;
	const char *u;
	double f = cv_unit_scale(total, c->sample_unit, c->output_unit, &u);
	cv_strbuf_printf(sb, "%s:\t Total %.1f%s\n", s[0].a, f, u);
	for (size_t i = 0; i < n; i++) {
		f = cv_unit_scale(s[i].value, c->sample_unit, c->output_unit, &u);
		if (total > 0) {
			char pct[32];
			cv_unit_percent(pct, sizeof(pct), s[i].value, total);
			cv_strbuf_printf(sb, " \t%.1f%s (%s):\t %s\n", f, u, pct, s[i].b);
		} else {
			cv_strbuf_printf(sb, " \t%.1f%s:\t %s\n", f, u, s[i].b);
		}
	}
	cv_strbuf_putc(sb, '\n');
}

/* Sorts the sums in place: the table can no longer be looked up after. */
static int print_table(FILE *out, tag_table *t, const report_ctx *c)
{
	cv_strpair *s = t->sums.pairs;
	size_t n = t->sums.n;
	if (n)
		qsort(s, n, sizeof(*s), cmp_sum);
	cv_strbuf text = CV_STRBUF_INIT, aligned = CV_STRBUF_INIT;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(s[j].a, s[i].a) == 0; j++)
			;
		print_key(&text, &s[i], j - i, c);
	}
	cv_tabwrite_right(&aligned, text.buf ? text.buf : "");
	int rc = 0;
	if (cv_strbuf_failed(&text) || cv_strbuf_failed(&aligned))
		rc = cv_error_nomem();
	else if (aligned.len && fwrite(aligned.buf, 1, aligned.len, out) != aligned.len)
		rc = cv_error_set(CV_EIO, "write failed");
	cv_strbuf_free(&text);
	cv_strbuf_free(&aligned);
	return rc;
}

int cv_report_tags(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	int rc = report_ctx_init(&c, p, o);
	if (rc)
		return rc;
	const cv_num_label_unit *units = o->num_label_units;
	size_t n_units = o->n_num_label_units;
	cv_num_label_unit *own = NULL;
	/* The table lives in the profile's arena, which is why p is cast. */
	if (!units && cv_profile_num_label_units((cv_profile *)p, &own, &n_units))
		return cv_error_nomem();
	if (!units)
		units = own;
	tag_table t = {.arena = cv_arena_new()};
	if (!t.arena)
		return cv_error_nomem();
	rc = collect(&t, p, o, units, n_units);
	if (rc == 0)
		rc = print_table(out, &t, &c);
	else
		rc = cv_error_nomem();
	cv_strpair_map_free(&t.sums);
	cv_arena_free(t.arena);
	return rc;
}
