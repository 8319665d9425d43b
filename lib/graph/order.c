/*
 * Node and edge order. Text reports sort by flat or cum; graphs sort by an
 * entropy score that favours nodes where paths branch or end, so the
 * node count limit keeps the visually informative ones. Ties fall back to
 * names, which keeps every output deterministic.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_internal.h"

typedef struct scored {
	cv_node *node;
	int64_t score;
	const char *name;
} scored;

/*
 * Last resort when printable names tie: pprof compares the text of the
 * whole node info ("{name orig addr file start line obj}"), so numbers
 * compare as decimal strings; do the same to pick the same order.
 */
static int compare_info(const cv_node_info *l, const cv_node_info *r)
{
	char *a = NULL, *b = NULL;
	const char *fmt = "{%s %s %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}";
	if (asprintf(&a, fmt, l->name, l->orig_name, l->address, l->file, l->start_line,
		     l->lineno, l->objfile) < 0)
		a = NULL;
	if (asprintf(&b, fmt, r->name, r->orig_name, r->address, r->file, r->start_line,
		     r->lineno, r->objfile) < 0)
		b = NULL;
	int c = a && b ? strcmp(a, b) : 0;
	free(a);
	free(b);
	return c;
}

/* Higher |score| first, then name, then higher |flat|. */
static int cmp_score(const void *a, const void *b)
{
	const scored *l = a, *r = b;
	int c;
	if (cv_abs64(l->score) != cv_abs64(r->score))
		return cv_abs64(l->score) > cv_abs64(r->score) ? -1 : 1;
	if ((c = strcmp(l->name, r->name)))
		return c;
	if (cv_abs64(l->node->flat) != cv_abs64(r->node->flat))
		return cv_abs64(l->node->flat) > cv_abs64(r->node->flat) ? -1 : 1;
	return compare_info(&l->node->info, &r->node->info);
}

/* Flat order: |flat|, then name, then |cum|. */
static int cmp_flat(const void *a, const void *b)
{
	const scored *l = a, *r = b;
	int c;
	if (cv_abs64(l->node->flat) != cv_abs64(r->node->flat))
		return cv_abs64(l->node->flat) > cv_abs64(r->node->flat) ? -1 : 1;
	if ((c = strcmp(l->name, r->name)))
		return c;
	if (cv_abs64(l->node->cum) != cv_abs64(r->node->cum))
		return cv_abs64(l->node->cum) > cv_abs64(r->node->cum) ? -1 : 1;
	return compare_info(&l->node->info, &r->node->info);
}

static double edge_entropy(cv_edge **edges, size_t n, int64_t self)
{
	double score = 0;
	int64_t total = self;
	/* A sample crossing two edges into one node counts on both, so this
	 * can pass INT64_MAX even when no value sum does: wrap, as Go does. */
	for (size_t i = 0; i < n; i++)
		if (edges[i]->weight > 0)
			total = (int64_t)((uint64_t)total + (uint64_t)cv_abs64(edges[i]->weight));
	if (total == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		double frac = (double)cv_abs64(edges[i]->weight) / (double)total;
		/* 0 * log2(0) is NaN in C as in Go; keep the same arithmetic. */
		score += -frac * log2(frac);
	}
	if (self > 0) {
		double frac = (double)cv_abs64(self) / (double)total;
		score += -frac * log2(frac);
	}
	return score;
}

static int64_t entropy_score(const cv_node *n)
{
	double score = 0;
	score += n->n_in == 0 ? 1 : edge_entropy(n->in, n->n_in, 0);
	score += n->n_out == 0 ? 1 : edge_entropy(n->out, n->n_out, n->flat);
	double v = score * (double)n->cum;
	return (int64_t)((uint64_t)cv_go_int64(v) + (uint64_t)n->flat);
}

void cv_graph_sort(cv_graph *g, node_order order)
{
	if (g->n_nodes < 2)
		return;
	scored *s = malloc(g->n_nodes * sizeof(*s));
	if (!s)
		return; /* leave the order as is; only presentation suffers */
	for (size_t i = 0; i < g->n_nodes; i++) {
		cv_node *n = g->nodes[i];
		s[i].node = n;
		s[i].name = cv_node_name(g, n);
		s[i].score = order == ORDER_CUM ? n->cum
			   : order == ORDER_ENTROPY ? entropy_score(n) : 0;
	}
	qsort(s, g->n_nodes, sizeof(*s), order == ORDER_FLAT ? cmp_flat : cmp_score);
	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i] = s[i].node;
	free(s);
}

/* Edge order: heavier first, then by caller name, then by callee name. */
static int cmp_edge(const void *a, const void *b, void *graph)
{
	const cv_graph *sort_graph = graph;
	const cv_edge *l = *(cv_edge *const *)a, *r = *(cv_edge *const *)b;
	if (l->weight != r->weight && cv_abs64(l->weight) != cv_abs64(r->weight))
		return cv_abs64(l->weight) > cv_abs64(r->weight) ? -1 : 1;
	int c = strcmp(cv_node_name(sort_graph, l->src), cv_node_name(sort_graph, r->src));
	if (c)
		return c;
	return strcmp(cv_node_name(sort_graph, l->dest), cv_node_name(sort_graph, r->dest));
}

cv_edge **cv_node_sorted_edges(const cv_graph *g, const cv_node *n, int dir)
{
	size_t count = dir ? n->n_out : n->n_in;
	cv_edge **src = dir ? n->out : n->in;
	cv_edge **out = cv_arena_calloc(g->arena, count + 1, sizeof(*out));
	if (!out)
		return NULL;
	if (count)
		memcpy(out, src, count * sizeof(*out));
	qsort_r(out, count, sizeof(*out), cmp_edge, (void *)g);
	return out;
}
