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
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/tabwriter.h"

typedef struct tag_sum {
	const char *key, *value;
	int64_t sum;
} tag_sum;

typedef struct tag_table {
	tag_sum *sums;
	size_t n, cap;
	uint32_t *slots;            /* open addressing: index+1, 0 empty */
	size_t mask;
	cv_arena *arena;            /* formatted numeric values */
} tag_table;

static uint64_t hash_pair(const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 0x100000001b3ULL;
	h = (h ^ 0x1f) * 0x100000001b3ULL;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 0x100000001b3ULL;
	return h;
}

static int grow(tag_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	tag_sum *s = realloc(t->sums, cap * sizeof(*s));
	uint32_t *slots = calloc(cap * 2, sizeof(*slots));
	if (s)
		t->sums = s;
	if (!s || !slots) {
		free(slots);
		return CV_ENOMEM;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	t->mask = cap * 2 - 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t k = hash_pair(s[i].key, s[i].value) & t->mask;
		while (slots[k])
			k = (k + 1) & t->mask;
		slots[k] = (uint32_t)i + 1;
	}
	return 0;
}

/* Add v to the sum of (key, value); `value` is copied only when new. */
static int add(tag_table *t, const char *key, const char *value, int64_t v)
{
	if (t->n == t->cap && grow(t))
		return CV_ENOMEM;
	size_t k = hash_pair(key, value) & t->mask;
	for (; t->slots[k]; k = (k + 1) & t->mask) {
		tag_sum *s = &t->sums[t->slots[k] - 1];
		if (strcmp(s->key, key) == 0 && strcmp(s->value, value) == 0) {
			s->sum += v;
			return 0;
		}
	}
	const char *copy = cv_arena_strdup(t->arena, value);
	if (!copy)
		return CV_ENOMEM;
	t->sums[t->n] = (tag_sum){key, copy, v};
	t->slots[k] = (uint32_t)++t->n;
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
				return CV_ENOMEM;
		}
	}
	return 0;
}

static int64_t abs64(int64_t v)
{
	return (int64_t)(v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

/* Keys by name; within a key, heaviest (by magnitude) first, then by value. */
static int cmp_sum(const void *pa, const void *pb)
{
	const tag_sum *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (abs64(a->sum) != abs64(b->sum))
		return abs64(a->sum) > abs64(b->sum) ? -1 : 1;
	return strcmp(a->value, b->value);
}

static void print_key(cv_strbuf *sb, const tag_sum *s, size_t n, const report_ctx *c)
{
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += s[i].sum;
	const char *u;
	double f = cv_unit_scale(total, c->sample_unit, c->output_unit, &u);
	cv_strbuf_printf(sb, "%s:\t Total %.1f%s\n", s[0].key, f, u);
	for (size_t i = 0; i < n; i++) {
		f = cv_unit_scale(s[i].sum, c->sample_unit, c->output_unit, &u);
		if (total > 0) {
			char pct[32];
			cv_unit_percent(pct, sizeof(pct), s[i].sum, total);
			cv_strbuf_printf(sb, " \t%.1f%s (%s):\t %s\n", f, u, pct, s[i].value);
		} else {
			cv_strbuf_printf(sb, " \t%.1f%s:\t %s\n", f, u, s[i].value);
		}
	}
	cv_strbuf_putc(sb, '\n');
}

static int print_table(FILE *out, tag_table *t, const report_ctx *c)
{
	if (t->n)
		qsort(t->sums, t->n, sizeof(*t->sums), cmp_sum);
	cv_strbuf text = CV_STRBUF_INIT, aligned = CV_STRBUF_INIT;
	for (size_t i = 0, j; i < t->n; i = j) {
		for (j = i + 1; j < t->n && strcmp(t->sums[j].key, t->sums[i].key) == 0; j++)
			;
		print_key(&text, &t->sums[i], j - i, c);
	}
	cv_tabwrite_right(&aligned, text.buf ? text.buf : "");
	int rc = 0;
	if (cv_strbuf_failed(&text) || cv_strbuf_failed(&aligned))
		rc = cv_error_set(CV_ENOMEM, "out of memory");
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
		return CV_ENOMEM;
	if (!units)
		units = own;
	tag_table t = {.arena = cv_arena_new()};
	if (!t.arena)
		return cv_error_set(CV_ENOMEM, "out of memory");
	rc = collect(&t, p, o, units, n_units);
	if (rc == 0)
		rc = print_table(out, &t, &c);
	else
		rc = cv_error_set(CV_ENOMEM, "out of memory");
	free(t.sums);
	free(t.slots);
	cv_arena_free(t.arena);
	return rc;
}
