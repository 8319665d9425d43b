/*
 * The -html report: every fact a ticket needs about one profile, computed
 * by the other reports (legend, hotspot shares, top table, call graph,
 * flame graph) and laid out by cv_render_html_report in one file.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/html.h"
#include "callviz/render.h"
#include "callviz/units.h"
#include "report/html_report.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"

int html_graph_svg(char **svg, const cv_profile *p, const cv_report_options *o)
{
	char *dot;
	size_t dot_len, len;
	*svg = NULL;
	int rc = cv_report_dot_string(&dot, &dot_len, p, o);
	if (rc)
		return rc;
	rc = cv_render_layout(svg, &len, dot, "svg");
	free(dot);
	return rc;
}

static int flame_svg(char **svg, const cv_profile *p, const cv_report_options *o)
{
	size_t len;
	FILE *mem = open_memstream(svg, &len);
	if (!mem)
		return cv_error_nomem();
	int rc = cv_report_flame(mem, p, o, NULL);
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_nomem();
	return rc;
}

static const char *const top_head[] = {"flat", "flat%", "sum%", "cum", "cum%", "function"};
enum { TOP_COLS = 6 };

/* The -top rows as text cells: strdup'd into one strbuf-free array. */
static int top_cells(char ***cells, const report_ctx *c, const cv_graph *g)
{
	char **t = calloc(g->n_nodes * TOP_COLS + 1, sizeof(*t));
	if (!t)
		return cv_error_nomem();
	int64_t flat_sum = 0;
	bool failed = false;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		report_row r;
		flat_sum += cv_node_flat(n);
		report_row_format(&r, c, n, flat_sum);
		const char *v[5] = {r.flat, r.flat_pct, r.sum_pct, r.cum, r.cum_pct};
		char **row = t + i * TOP_COLS;
		for (int k = 0; k < 5; k++)
			failed |= !(row[k] = strdup(v[k] + strspn(v[k], " ")));
		failed |= asprintf(&row[5], "%s%s", cv_node_name(g, n),
				   report_inline_mark(n)) < 0;
	}
	*cells = t;
	return failed ? cv_error_nomem() : 0;
}

void html_cells_free(char **cells, size_t n)
{
	for (size_t i = 0; cells && i < n; i++)
		free(cells[i]);
	free(cells);
}

/* The shares of the classes with samples, formatted; *n = 0 and NULL rows when none. */
static int hotspot_rows(cv_html_hotspot **rows, size_t *n, char *store, size_t size,
			const cv_profile *p, report_ctx *c)
{
	cv_hotspot_share *s;
	*rows = NULL;
	*n = 0;
	int rc = report_hotspot_shares(&s, p, c);
	if (rc || !s)
		return rc;
	const cv_hotspots *h = c->opts->hotspots;
	size_t count = cv_hotspot_count(h), used = 0;
	*rows = calloc(count ? count : 1, sizeof(**rows));
	if (!*rows) {
		free(s);
		return cv_error_nomem();
	}
	for (size_t i = 0; i < count && used + 96 <= size; i++) {
		if (!s[i].any)
			continue;
		const cv_hotspot_class *k = cv_hotspot_get(h, i);
		cv_html_hotspot *r = &(*rows)[(*n)++];
		r->name = k->name;
		r->color = k->color;
		r->value = store + used;
		report_format_value(c, store + used, 48, s[i].value);
		used += 48;
		r->percent = store + used;
		cv_unit_percent(store + used, 48, s[i].value, c->total);
		r->percent += strspn(r->percent, " ");
		used += 48;
	}
	free(s);
	return 0;
}

static char *page_title(const cv_profile *p, const cv_report_options *o, const report_ctx *c)
{
	const char *bin = o->title;
	if (!bin && p->n_mappings && p->mappings[0].file[0]) {
		const char *slash = strrchr(p->mappings[0].file, '/');
		bin = slash && slash[1] ? slash + 1 : p->mappings[0].file;
	}
	char *t;
	if (asprintf(&t, "%s%s%s", bin ? bin : "", bin ? ": " : "", c->sample_type) < 0)
		return NULL;
	return t;
}

int cv_report_html(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	cv_graph *g = NULL;
	cv_trim_result tr;
	int rc = report_ctx_init(&c, p, o);
	c.want_shares = true;
	if (rc || (rc = report_graph(&g, &tr, p, &c, false)))
		return rc;
	tr.dropped_edges = 0; /* as in -top: the table's legend */
	cv_html_report r = {.top = {top_head, TOP_COLS, NULL, g->n_nodes, 0x1f}};
	char **legend = report_labels(p, &c, g, &tr, false), **cells = NULL;
	char *title = page_title(p, o, &c), *graph = NULL, *flame = NULL, *html = NULL;
	char store[CV_HOTSPOT_MAX * 96];
	cv_html_hotspot *hs = NULL;
	size_t n_hs = 0, len = 0;
	if (!legend || !title)
		rc = cv_error_nomem();
	if (rc == 0)
		rc = top_cells(&cells, &c, g);
	if (rc == 0)
		rc = hotspot_rows(&hs, &n_hs, store, sizeof(store), p, &c);
	if (rc == 0)
		rc = html_graph_svg(&graph, p, o);
	if (rc == 0)
		rc = flame_svg(&flame, p, o);
	if (rc == 0) {
		size_t n_legend = 0;
		while (legend[n_legend])
			n_legend++;
		r.title = title;
		r.legend = (const char *const *)legend;
		r.n_legend = n_legend;
		r.hotspots = hs;
		r.n_hotspots = n_hs;
		r.top.cells = (const char *const *)cells;
		r.graph_svg = graph;
		r.flame_svg = flame;
		rc = cv_render_html_report(&html, &len, &r);
	}
	if (rc == 0 && fwrite(html, 1, len, out) != len)
		rc = cv_error_set(CV_EIO, "writing the HTML report failed");
	free(html);
	free(graph);
	free(flame);
	free(hs);
	report_ctx_release(&c);
	free(title);
	html_cells_free(cells, g->n_nodes * TOP_COLS);
	if (legend)
		cv_report_labels_free(legend);
	cv_graph_free(g);
	return rc;
}
