/*
 * The comparison page: two reports (two sample indexes of one profile, or
 * one sample index of two profiles) as one table of their heaviest
 * functions, with both values, the delta and the change of rank, beside
 * their two call graphs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/html.h"
#include "callviz/units.h"
#include "report/html_report.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/goconv.h"

/* One function of either side; ranks are 1-based, 0 when absent. */
typedef struct entry {
	const char *name;
	int64_t a, b;
	size_t rank_a, rank_b;
} entry;

/* What each side contributes: its context, its -top graph, its legend. */
typedef struct side {
	report_ctx c;
	cv_graph *g;
	cv_trim_result tr;
	char **legend;
	char *svg;
} side;

static int side_load(side *s, const cv_compare_side *in)
{
	memset(s, 0, sizeof(*s));
	int rc = report_ctx_init(&s->c, in->profile, in->opts);
	if (rc || (rc = report_graph(&s->g, &s->tr, in->profile, &s->c, false)))
		return rc;
	s->tr.dropped_edges = 0;
	s->legend = report_labels(in->profile, &s->c, s->g, &s->tr, false);
	if (!s->legend)
		return cv_error_nomem();
	return html_graph_svg(&s->svg, in->profile, in->opts);
}

static void side_free(side *s)
{
	if (s->legend)
		cv_report_labels_free(s->legend);
	cv_graph_free(s->g);
	free(s->svg);
}

static int64_t key(const side *s, const cv_node *n)
{
	return s->c.opts->cum_sort ? cv_node_cum(n) : cv_node_flat(n);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const entry *)x)->name, ((const entry *)y)->name);
}

static int by_weight(const void *x, const void *y)
{
	const entry *p = x, *q = y;
	int64_t wp = cv_abs64(p->a) > cv_abs64(p->b) ? cv_abs64(p->a) : cv_abs64(p->b);
	int64_t wq = cv_abs64(q->a) > cv_abs64(q->b) ? cv_abs64(q->a) : cv_abs64(q->b);
	if (wp != wq)
		return wp > wq ? -1 : 1;
	return strcmp(p->name, q->name);
}

/* Every function of either side, matched by name, heaviest first. */
static entry *match(size_t *n, const side *a, const side *b)
{
	size_t na = a->g->n_nodes, nb = b->g->n_nodes;
	entry *e = calloc(na + nb + 1, sizeof(*e));
	if (!e)
		return NULL;
	for (size_t i = 0; i < na; i++)
		e[i] = (entry){cv_node_name(a->g, a->g->nodes[i]), key(a, a->g->nodes[i]), 0, i + 1, 0};
	qsort(e, na, sizeof(*e), by_name);
	size_t m = na;
	for (size_t i = 0; i < nb; i++) {
		entry k = {cv_node_name(b->g, b->g->nodes[i]), 0, key(b, b->g->nodes[i]), 0, i + 1};
		entry *hit = bsearch(&k, e, na, sizeof(*e), by_name);
		if (hit && !hit->rank_b) {
			hit->b = k.b;
			hit->rank_b = k.rank_b;
		} else {
			e[m++] = k;
		}
	}
	qsort(e, m, sizeof(*e), by_weight);
	*n = m;
	return e;
}

static const char *const head[] = {"function", "A", "A%", "A rank", "B", "B%", "B rank",
				   "delta (B-A)", "rank change"};
enum { COLS = 9 };

static char *value(const side *s, int64_t v, bool present)
{
	char buf[64];
	if (!present)
		return strdup("-");
	report_format_value(&s->c, buf, sizeof(buf), v);
	return strdup(buf);
}

static char *percent(const side *s, int64_t v, bool present)
{
	char buf[32];
	if (!present)
		return strdup("-");
	cv_unit_percent(buf, sizeof(buf), v, s->c.total);
	return strdup(buf + strspn(buf, " "));
}

static char *rank(size_t r)
{
	char *t;
	return r ? (asprintf(&t, "%zu", r) < 0 ? NULL : t) : strdup("-");
}

/* "↑3" when B ranks it 3 places higher, "↓2", "=", "new" (only in B), "gone". */
static char *rank_change(const entry *e)
{
	char *t;
	if (!e->rank_a)
		return strdup("new");
	if (!e->rank_b)
		return strdup("gone");
	if (e->rank_a == e->rank_b)
		return strdup("=");
	bool up = e->rank_b < e->rank_a;
	size_t d = up ? e->rank_a - e->rank_b : e->rank_b - e->rank_a;
	return asprintf(&t, "%s%zu", up ? "\xe2\x86\x91" : "\xe2\x86\x93", d) < 0 ? NULL : t;
}

/* B - A in A's sample unit, automatically scaled; "n/a" across units. */
static char *delta(const side *a, const side *b, const entry *e)
{
	char buf[64], *t;
	if (strcmp(a->c.sample_unit, b->c.sample_unit) || a->c.opts->mean != b->c.opts->mean)
		return strdup("n/a");
	int64_t d = report_apply_ratio(e->b, b->c.opts->ratio) -
		    report_apply_ratio(e->a, a->c.opts->ratio);
	cv_unit_label(buf, sizeof(buf), d, a->c.sample_unit, "auto");
	return asprintf(&t, "%s%s", d > 0 ? "+" : "", buf) < 0 ? NULL : t;
}

static int row_cells(char **row, const side *a, const side *b, const entry *e)
{
	row[0] = strdup(e->name);
	row[1] = value(a, e->a, e->rank_a);
	row[2] = percent(a, e->a, e->rank_a);
	row[3] = rank(e->rank_a);
	row[4] = value(b, e->b, e->rank_b);
	row[5] = percent(b, e->b, e->rank_b);
	row[6] = rank(e->rank_b);
	row[7] = delta(a, b, e);
	row[8] = rank_change(e);
	for (int k = 0; k < COLS; k++)
		if (!row[k])
			return cv_error_nomem();
	return 0;
}

static size_t count(char **lines)
{
	size_t n = 0;
	while (lines[n])
		n++;
	return n;
}

static int write_page(FILE *out, const side *a, const side *b, const cv_compare_side *in_a,
		      const cv_compare_side *in_b, char **cells, size_t rows)
{
	char *title, *html = NULL;
	size_t len = 0;
	if (asprintf(&title, "%s vs %s", in_a->name, in_b->name) < 0)
		return cv_error_nomem();
	cv_html_compare page = {
		.title = title, .name_a = in_a->name, .name_b = in_b->name,
		.legend_a = (const char *const *)a->legend, .n_legend_a = count(a->legend),
		.legend_b = (const char *const *)b->legend, .n_legend_b = count(b->legend),
		.table = {head, COLS, (const char *const *)cells, rows, 0x1fe},
		.svg_a = a->svg, .svg_b = b->svg,
	};
	int rc = cv_render_html_compare(&html, &len, &page);
	if (rc == 0 && fwrite(html, 1, len, out) != len)
		rc = cv_error_set(CV_EIO, "writing the comparison failed");
	free(html);
	free(title);
	return rc;
}

int cv_report_compare_html(FILE *out, const cv_compare_side *in_a, const cv_compare_side *in_b)
{
	side a, b;
	int rc = side_load(&a, in_a);
	memset(&b, 0, sizeof(b));
	if (rc == 0)
		rc = side_load(&b, in_b);
	size_t n = 0, rows = 0;
	entry *e = rc ? NULL : match(&n, &a, &b);
	if (rc == 0 && !e)
		rc = cv_error_nomem();
	int limit = in_a->opts->node_count > 0 ? in_a->opts->node_count : 50;
	rows = n < (size_t)limit ? n : (size_t)limit;
	char **cells = rc ? NULL : calloc(rows * COLS + 1, sizeof(*cells));
	if (rc == 0 && !cells)
		rc = cv_error_nomem();
	for (size_t i = 0; rc == 0 && i < rows; i++)
		rc = row_cells(cells + i * COLS, &a, &b, &e[i]);
	if (rc == 0)
		rc = write_page(out, &a, &b, in_a, in_b, cells, rows);
	html_cells_free(cells, rows * COLS);
	free(e);
	side_free(&a);
	side_free(&b);
	return rc;
}
