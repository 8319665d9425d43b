/*
 * The DOT writer: go tool pprof's ComposeDot, reproduced byte for byte.
 * Nodes are numbered N1.. in the graph's (already sorted) order; edges are
 * written after all nodes, heaviest first, as a hint to the layout.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "callviz/units.h"
#include "render/dot_hotspots.h"
#include "render/dot_names.h"
#include "render/dot_style.h"
#include "render/dot_text.h"
#include "render/nodelets.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/goconv.h"

/* What the edge pass needs to know about every node. */
typedef struct node_ref {
	const cv_node *node;
	int id;              /* 1-based; 0 for a node outside the graph */
	const char *name;    /* printable name */
	bool has_nodelets;
} node_ref;

typedef struct dot_state {
	const cv_graph *g;
	const cv_dot_config *cfg;
	cv_strbuf *sb;
	cv_arena *arena;
	node_ref *refs;      /* sorted by node address, for lookups */
	size_t n_refs;
} dot_state;

static int cmp_ref(const void *a, const void *b)
{
	const cv_node *x = ((const node_ref *)a)->node;
	const cv_node *y = ((const node_ref *)b)->node;
	return x < y ? -1 : x > y;
}

static const char *printable_name(cv_arena *a, const cv_node *n)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_dot_printable_name(&sb, &n->info);
	const char *s = cv_strbuf_failed(&sb) ? NULL
			: cv_arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	cv_strbuf_free(&sb);
	return s;
}

static node_ref *find_ref(const dot_state *st, const cv_node *n)
{
	node_ref key = {.node = n};
	return bsearch(&key, st->refs, st->n_refs, sizeof(key), cmp_ref);
}

static int index_nodes(dot_state *st)
{
	size_t n = st->g->n_nodes;
	st->refs = cv_arena_calloc(st->arena, n ? n : 1, sizeof(*st->refs));
	if (!st->refs)
		return cv_error_nomem();
	for (size_t i = 0; i < n; i++) {
		node_ref *r = &st->refs[i];
		r->node = st->g->nodes[i];
		r->id = (int)i + 1;
		r->name = printable_name(st->arena, r->node);
		if (!r->name)
			return cv_error_nomem();
	}
	st->n_refs = n;
	qsort(st->refs, n, sizeof(*st->refs), cmp_ref);
	return 0;
}

static void put_header(const dot_state *st)
{
	const cv_dot_config *cfg = st->cfg;
	const char *title = cfg->title && *cfg->title ? cfg->title : "unnamed";
	cv_strbuf_puts(st->sb, "digraph \"");
	cv_dot_repair(st->sb, title, true);
	cv_strbuf_puts(st->sb, "\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n");
}

static void put_legend(const dot_state *st)
{
	const cv_dot_config *cfg = st->cfg;
	cv_strbuf *sb = st->sb;
	if (cfg->n_labels == 0)
		return;
	cv_strbuf_puts(sb, "subgraph cluster_L { \"");
	cv_dot_escape(sb, cfg->labels[0] ? cfg->labels[0] : "");
	cv_strbuf_puts(sb, "\" [shape=box fontsize=16 label=\"");
	for (size_t i = 0; i < cfg->n_labels; i++) {
		if (i > 0)
			cv_strbuf_puts(sb, "\\l");
		cv_dot_escape(sb, cfg->labels[i] ? cfg->labels[i] : "");
	}
	cv_strbuf_puts(sb, "\\l\"");
	if (cfg->title && *cfg->title) {
		cv_strbuf_puts(sb, " tooltip=\"");
		cv_dot_repair(sb, cfg->title, true);
		cv_strbuf_putc(sb, '"');
	}
	cv_strbuf_puts(sb, "] }\n");
}

/* "5s (10.00%)": the value, then its share of the total, unpadded. */
static void put_value_share(const dot_state *st, const char *value, int64_t v)
{
	char pct[CV_DOT_VALUE_MAX];
	cv_unit_percent(pct, sizeof(pct), v, st->cfg->total);
	const char *p = pct;
	size_t len = strlen(p);
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++, len--;
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\n'))
		len--;
	cv_strbuf_printf(st->sb, "%s (%.*s)", value, (int)len, p);
}

static void put_node(const dot_state *st, const node_ref *r, double max_flat)
{
	const cv_node *n = r->node;
	cv_strbuf *sb = st->sb;
	int64_t flat = cv_dot_div(n->flat, n->flat_div);
	int64_t cum = cv_dot_div(n->cum, n->cum_div);
	char flat_s[CV_DOT_VALUE_MAX], cum_s[CV_DOT_VALUE_MAX];
	cv_dot_value(flat_s, sizeof(flat_s), flat, st->cfg);
	const char *cum_value = flat_s;

	cv_strbuf_printf(sb, "N%d [label=\"", r->id);
	size_t label_at = sb->len;
	cv_dot_label_name(sb, &n->info);
	if (flat != 0)
		put_value_share(st, flat_s, flat);
	else
		cv_strbuf_putc(sb, '0');
	if (cum != flat) {
		cv_strbuf_puts(sb, flat != 0 ? "\\nof " : " of ");
		cum_value = cv_dot_value(cum_s, sizeof(cum_s), cum, st->cfg);
		put_value_share(st, cum_s, cum);
	}
	size_t label_end = sb->len;

	double score = (double)cum / (double)cv_abs64(st->cfg->total);
	char fg[8], bg[8];
	cv_dot_color(fg, score, false);
	cv_dot_color(bg, score, true);
	cv_strbuf_printf(sb, "\" id=\"node%d\" fontsize=%d shape=box tooltip=\"",
			 r->id, cv_dot_font_size(flat, max_flat));
	cv_dot_escape(sb, r->name);
	cv_strbuf_printf(sb, " (%s)\" color=\"%s\" fillcolor=\"%s\"]\n",
			 cum_value, fg, bg);
	cv_dot_hotspot_node(sb, n, r->id, label_at, label_end, st->cfg);
}

/* One edge and what it is ordered and drawn by. */
typedef struct edge_rec {
	const cv_edge *e;
	const node_ref *src, *dest;
	size_t seq;
} edge_rec;

static int cmp_edge(const void *a, const void *b)
{
	const edge_rec *x = a, *y = b;
	if (x->e->weight != y->e->weight) {
		int64_t wx = cv_abs64(x->e->weight), wy = cv_abs64(y->e->weight);
		if (wx != wy)
			return wx > wy ? -1 : 1;
	}
	int c = strcmp(x->src->name, y->src->name);
	if (c == 0)
		c = strcmp(x->dest->name, y->dest->name);
	if (c == 0)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

static void put_edge(const dot_state *st, const edge_rec *r)
{
	cv_strbuf *sb = st->sb;
	int64_t total = st->cfg->total;
	int64_t wv = cv_dot_div(r->e->weight, r->e->weight_div);
	char w[CV_DOT_VALUE_MAX];
	cv_dot_value(w, sizeof(w), wv, st->cfg);

	cv_strbuf_printf(sb, "N%d -> N%d [label=\" %s%s\"", r->src->id,
			 r->dest->id, w, r->e->is_inline ? "\\n (inline)" : "");
	if (total != 0) {
		/* mirrors Go's int64 arithmetic, overflow wrap included */
		int64_t weight = cv_abs64(cv_dot_scaled_ratio(wv, 100, total));
		int64_t width = cv_abs64(cv_dot_scaled_ratio(wv, 5, total));
		weight = (int64_t)(1 + (uint64_t)(weight < 100 ? weight : 100));
		width = (int64_t)(1 + (uint64_t)(width < 5 ? width : 5));
		if (weight > 1)
			cv_strbuf_printf(sb, " weight=%" PRId64, weight);
		if (width > 1)
			cv_strbuf_printf(sb, " penwidth=%" PRId64, width);
		char color[8];
		cv_dot_color(color, (double)wv / (double)cv_abs64(total), false);
		cv_strbuf_printf(sb, " color=\"%s\"", color);
	}
	for (int i = 0; i < 2; i++) {
		cv_strbuf_puts(sb, i == 0 ? " tooltip=\"" : " labeltooltip=\"");
		cv_dot_escape(sb, r->src->name);
		cv_strbuf_puts(sb, r->e->residual ? " ... " : " -> ");
		cv_dot_escape(sb, r->dest->name);
		cv_strbuf_printf(sb, " (%s)\"", w);
	}
	if (r->e->residual)
		cv_strbuf_puts(sb, " style=\"dotted\"");
	if (r->src->has_nodelets)
		cv_strbuf_puts(sb, " minlen=2");
	cv_strbuf_puts(sb, "]\n");
}

/* Graph nodes resolve to their ref; a stray node gets an id-0 ref. */
static const node_ref *ref_for(const dot_state *st, const cv_node *n)
{
	node_ref *r = find_ref(st, n);
	if (r)
		return r;
	r = cv_arena_alloc(st->arena, sizeof(*r));
	if (!r)
		return NULL;
	r->node = n;
	r->name = printable_name(st->arena, n);
	return r->name ? r : NULL;
}

static int put_edges(const dot_state *st)
{
	size_t count = 0;
	for (size_t i = 0; i < st->g->n_nodes; i++)
		count += st->g->nodes[i]->n_out;
	if (count == 0)
		return 0;
	edge_rec *recs = cv_arena_calloc(st->arena, count, sizeof(*recs));
	if (!recs)
		return cv_error_nomem();
	size_t k = 0;
	for (size_t i = 0; i < st->g->n_nodes; i++) {
		const cv_node *n = st->g->nodes[i];
		for (size_t j = 0; j < n->n_out; j++) {
			const cv_edge *e = n->out[j];
			if (!e || !e->src || !e->dest)
				continue;
			recs[k] = (edge_rec){e, ref_for(st, e->src), ref_for(st, e->dest), k};
			if (!recs[k].src || !recs[k].dest)
				return cv_error_nomem();
			k++;
		}
	}
	qsort(recs, k, sizeof(*recs), cmp_edge);
	for (size_t i = 0; i < k; i++)
		put_edge(st, &recs[i]);
	return 0;
}

static int put_graph(dot_state *st)
{
	const cv_graph *g = st->g;
	int rc = index_nodes(st);
	if (rc < 0)
		return rc;
	double max_flat = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		double f = (double)cv_abs64(cv_dot_div(n->flat, n->flat_div));
		if (i == 0 || f > max_flat)
			max_flat = f;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		node_ref *r = find_ref(st, g->nodes[i]);
		put_node(st, r, max_flat);
		r->has_nodelets = cv_dot_nodelets(st->sb, r->node, r->id, st->cfg);
	}
	return put_edges(st);
}

static int compose(cv_strbuf *sb, const cv_graph *g, const cv_dot_config *cfg)
{
	if (!sb || !g || !cfg || (g->n_nodes && !g->nodes))
		return cv_error_set(CV_EINVAL, "render DOT: missing graph or configuration");
	for (size_t i = 0; i < g->n_nodes; i++)
		if (!g->nodes[i])
			return cv_error_set(CV_EINVAL, "render DOT: graph has a null node");
	dot_state st = {.g = g, .cfg = cfg, .sb = sb, .arena = cv_arena_new()};
	if (!st.arena)
		return cv_error_set(CV_ENOMEM, "render DOT: out of memory");
	put_header(&st);
	put_legend(&st);
	cv_dot_hotspot_legend(sb, cfg);
	int rc = g->n_nodes ? put_graph(&st) : 0;
	cv_strbuf_puts(sb, "}\n");
	cv_arena_free(st.arena);
	if (rc == 0 && cv_strbuf_failed(sb))
		rc = cv_error_nomem();
	if (rc < 0)
		return cv_error_set(rc, "render DOT: out of memory");
	return 0;
}

int cv_render_dot_string(char **out, size_t *len, const cv_graph *g,
			 const cv_dot_config *cfg)
{
	if (!out)
		return cv_error_set(CV_EINVAL, "render DOT: no output string");
	*out = NULL;
	if (len)
		*len = 0;
	cv_strbuf sb = CV_STRBUF_INIT;
	int rc = compose(&sb, g, cfg);
	/* Cleaned first: a U+FFFD is three bytes, which the piece sizes count. */
	if (rc == 0)
		rc = cv_dot_clean_strings(&sb);
	if (rc == 0)
		rc = cv_dot_tame_strings(&sb);
	if (rc < 0) {
		cv_strbuf_free(&sb);
		return rc;
	}
	*out = cv_strbuf_detach(&sb, len);
	return 0;
}

int cv_render_dot(FILE *out, const cv_graph *g, const cv_dot_config *cfg)
{
	if (!out)
		return cv_error_set(CV_EINVAL, "render DOT: no output stream");
	char *text;
	size_t len;
	int rc = cv_render_dot_string(&text, &len, g, cfg);
	if (rc < 0)
		return rc;
	size_t wrote = fwrite(text, 1, len, out);
	free(text);
	if (wrote != len || ferror(out))
		return cv_error_set(CV_EIO, "render DOT: write failed");
	return 0;
}
