/*
 * Graph engine tests on hand-built profiles: node and edge values
 * (flat/cum, recursion, inlining, residual edges), trimming as
 * go tool pprof's report.newTrimmedGraph does it, sample filters
 * (profile.FilterSamplesByName), granularities and printable names,
 * orderings and negative values.
 *
 * Every expected number below was derived from pprof's algorithm
 * (internal/graph/graph.go newGraph, internal/report/report.go
 * newTrimmedGraph, profile/filter.go), not from callviz's output.
 *
 * Profiles are built by hand with testprof.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "callviz/profile.h"
#include "testprof.h"

/* ---- graph helpers --------------------------------------------------------- */

static cv_graph_options gopts(void)
{
	cv_graph_options o;
	cv_graph_options_init(&o);
	o.granularity = CV_GRAN_FUNCTIONS;
	o.tag_unit = "";
	o.output_unit = "";
	return o;
}

static cv_graph *build(const cv_profile *p, const cv_graph_options *o, const cv_graph *kept)
{
	cv_graph *g = NULL;
	int rc = cv_graph_build(&g, p, o, kept);
	assert_int_equal(rc, 0);
	assert_non_null(g);
	return g;
}

static cv_graph *build_default(const cv_profile *p)
{
	cv_graph_options o = gopts();
	return build(p, &o, NULL);
}

static cv_node *node(const cv_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (strcmp(cv_node_name(g, g->nodes[i]), name) == 0)
			return g->nodes[i];
	return NULL;
}

static cv_node *must_node(const cv_graph *g, const char *name)
{
	cv_node *n = node(g, name);
	if (!n)
		fail_msg("no node named \"%s\"", name);
	return n;
}

static cv_edge *edge(const cv_graph *g, const char *src, const char *dest)
{
	cv_node *s = must_node(g, src);
	for (size_t i = 0; i < s->n_out; i++)
		if (strcmp(cv_node_name(g, s->out[i]->dest), dest) == 0)
			return s->out[i];
	return NULL;
}

static cv_edge *must_edge(const cv_graph *g, const char *src, const char *dest)
{
	cv_edge *e = edge(g, src, dest);
	if (!e)
		fail_msg("no edge %s -> %s", src, dest);
	/* An edge is listed on both of its ends. */
	bool listed = false;
	for (size_t i = 0; i < e->dest->n_in; i++)
		listed |= e->dest->in[i] == e;
	assert_true(listed);
	return e;
}

static size_t total_edges(const cv_graph *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		n += g->nodes[i]->n_out;
	return n;
}

static void assert_node(const cv_graph *g, const char *name, int64_t flat, int64_t cum)
{
	cv_node *n = must_node(g, name);
	assert_int_equal(n->flat, flat);
	assert_int_equal(n->cum, cum);
	assert_int_equal(cv_node_flat(n), flat);
	assert_int_equal(cv_node_cum(n), cum);
}

static void assert_edge(const cv_graph *g, const char *src, const char *dest,
			int64_t weight, bool residual, bool is_inline)
{
	cv_edge *e = must_edge(g, src, dest);
	assert_int_equal(e->weight, weight);
	assert_int_equal(cv_edge_weight(e), weight);
	assert_int_equal(e->residual, residual);
	assert_int_equal(e->is_inline, is_inline);
}

/* The printable names of g's nodes in order, joined by ','. */
static const char *order_of(const cv_graph *g, char *buf, size_t size)
{
	size_t w = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < g->n_nodes && w < size; i++)
		w += (size_t)snprintf(buf + w, size - w, "%s%s", i ? "," : "",
				      cv_node_name(g, g->nodes[i]));
	return buf;
}

static cv_trim_options topts(double nf, double ef, int count, bool cum, bool visual)
{
	cv_trim_options o = {.node_fraction = nf, .edge_fraction = ef,
			     .node_count = count, .cum_sort = cum, .visual = visual};
	return o;
}

static cv_graph *trimmed(const cv_profile *p, const cv_trim_options *to, cv_trim_result *r)
{
	cv_graph_options go = gopts();
	cv_graph *g = NULL;
	memset(r, 0xff, sizeof(*r));
	int rc = cv_graph_build_trimmed(&g, r, p, &go, to);
	assert_int_equal(rc, 0);
	assert_non_null(g);
	return g;
}

/* ---- flat / cum ------------------------------------------------------------- */

/*
 * main -> A -> B: 10, main -> A: 5, main -> C: 3.
 * flat goes to the leaf, cum to every frame; edges carry the sample value.
 */
static void test_simple_chain(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 10, "main A B");
	tp_sample(t, 5, "main A");
	tp_sample(t, 3, "main C");
	cv_graph *g = build_default(&t->p);

	assert_int_equal(g->n_nodes, 4);
	assert_node(g, "main", 0, 18);
	assert_node(g, "A", 5, 15);
	assert_node(g, "B", 10, 10);
	assert_node(g, "C", 3, 3);
	assert_edge(g, "main", "A", 15, false, false);
	assert_edge(g, "A", "B", 10, false, false);
	assert_edge(g, "main", "C", 3, false, false);
	assert_int_equal(total_edges(g), 3);
	assert_int_equal(must_node(g, "main")->n_in, 0);
	assert_int_equal(must_node(g, "main")->n_out, 2);
	assert_int_equal(must_node(g, "B")->n_out, 0);

	int64_t flat, cum;
	cv_graph_sum(g, &flat, &cum);
	assert_int_equal(flat, 18);
	assert_int_equal(cum, 18 + 15 + 10 + 3);
	cv_graph_free(g);
	tp_free(t);
}

/* A sample with value 0 in the selected index (and no divisor) is skipped. */
static void test_zero_samples_skipped(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 4, "main A");
	tp_sample(t, 0, "main Z");
	cv_graph *g = build_default(&t->p);
	assert_int_equal(g->n_nodes, 2);
	assert_null(node(g, "Z"));
	assert_node(g, "main", 0, 4);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- recursion ---------------------------------------------------------------- */

/*
 * A -> B -> A -> B: 7, A -> B: 2, A -> A -> B: 4.
 * pprof (newGraph) adds a sample once to each node's cum (seenNode) and once
 * to each edge (seenEdge), and never creates a self edge (n != parent).
 */
static void test_recursion(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 7, "A B A B");
	tp_sample(t, 2, "A B");
	tp_sample(t, 4, "A A B");
	cv_graph *g = build_default(&t->p);

	assert_int_equal(g->n_nodes, 2);
	assert_node(g, "A", 0, 13);
	assert_node(g, "B", 13, 13);
	assert_edge(g, "A", "B", 13, false, false);
	assert_edge(g, "B", "A", 7, false, false);
	assert_null(edge(g, "A", "A"));
	assert_null(edge(g, "B", "B"));
	assert_int_equal(total_edges(g), 2);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- inlined frames ------------------------------------------------------------- */

/*
 * Location "XY" has lines [Y, X]: Y is inlined into X. The edge X -> Y is
 * inline (not the location's last line); main -> X is a real call.
 * P -> Q is reached both inlined (location "QP") and by a real call
 * (locations "P" and "Q"): pprof's AddToEdgeDiv clears Inline as soon as
 * one non-inline call is added, so the edge is not inline.
 */
static void test_inline_edges(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_loc(t, "XY", 0x10, -1, 2, "Y", 3, "X", 7);
	tp_loc(t, "QP", 0x20, -1, 2, "Q", 5, "P", 9);
	tp_sample(t, 6, "main XY");
	tp_sample(t, 3, "main QP");
	tp_sample(t, 2, "main P Q");
	tp_sample(t, 1, "main QP");
	cv_graph *g = build_default(&t->p);

	assert_node(g, "Y", 6, 6);
	assert_node(g, "X", 0, 6);
	assert_edge(g, "main", "X", 6, false, false);
	assert_edge(g, "X", "Y", 6, false, true);

	assert_node(g, "P", 0, 6);
	assert_node(g, "Q", 6, 6);
	assert_edge(g, "main", "P", 6, false, false);
	assert_edge(g, "P", "Q", 6, false, false);
	cv_graph_free(g);

	/* -noinlines: a location is its outermost frame only. */
	cv_graph_options o = gopts();
	o.no_inlines = true;
	g = build(&t->p, &o, NULL);
	assert_null(node(g, "Y"));
	assert_node(g, "X", 6, 6);
	assert_node(g, "P", 4, 6);
	assert_node(g, "Q", 2, 2);
	assert_edge(g, "P", "Q", 2, false, false);
	cv_graph_free(g);
	tp_free(t);
}

/* The first non-inline call clears the mark, whatever the sample order. */
static void test_inline_mixed_order(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_loc(t, "QP", 0x20, -1, 2, "Q", 5, "P", 9);
	tp_sample(t, 2, "main P Q");
	tp_sample(t, 3, "main QP");
	cv_graph *g = build_default(&t->p);
	assert_edge(g, "P", "Q", 5, false, false);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- residual edges ---------------------------------------------------------------- */

/*
 * main A B C: 10, main A B: 4, main A C: 1, built with a kept set that
 * excludes B. In newGraph a dropped frame sets `residual`, the next kept
 * frame's incoming edge is residual, and a sample whose leaf is dropped
 * gives no flat value to anybody (parent != nil && !residual).
 */
static void test_residual_edges(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 10, "main A B C");
	tp_sample(t, 4, "main A B");
	tp_sample(t, 1, "main A C");
	cv_graph *full = build_default(&t->p);
	assert_int_equal(full->n_nodes, 4);
	assert_node(full, "B", 4, 14);
	assert_edge(full, "A", "C", 1, false, false);

	/* Keep every node but B: move B to the end and shorten the list. */
	size_t k = 0;
	cv_node *b = must_node(full, "B");
	for (size_t i = 0; i < full->n_nodes; i++)
		if (full->nodes[i] != b)
			full->nodes[k++] = full->nodes[i];
	full->nodes[k] = b;
	full->n_nodes = k;

	cv_graph_options o = gopts();
	cv_graph *g = build(&t->p, &o, full);
	assert_int_equal(g->n_nodes, 3);
	assert_null(node(g, "B"));
	assert_node(g, "main", 0, 15);
	assert_node(g, "A", 0, 15);
	assert_node(g, "C", 11, 11);
	assert_edge(g, "main", "A", 15, false, false);
	assert_edge(g, "A", "C", 11, true, false);
	assert_int_equal(total_edges(g), 2);
	cv_graph_free(g);
	cv_graph_free(full);
	tp_free(t);
}

/* A residual edge over several dropped frames, and a dropped root. */
static void test_residual_multiple_dropped(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 5, "root main A B C D");
	cv_graph *full = build_default(&t->p);
	/* keep main, A, D */
	cv_node *keep[3] = {must_node(full, "main"), must_node(full, "A"), must_node(full, "D")};
	cv_node *saved[8];
	memcpy(saved, full->nodes, full->n_nodes * sizeof(*saved));
	size_t n_saved = full->n_nodes;
	memcpy(full->nodes, keep, sizeof(keep));
	full->n_nodes = 3;
	cv_graph_options o = gopts();
	cv_graph *g = build(&t->p, &o, full);
	assert_int_equal(g->n_nodes, 3);
	assert_node(g, "main", 0, 5);
	assert_node(g, "D", 5, 5);
	/* root was dropped before main: main has no caller at all. */
	assert_int_equal(must_node(g, "main")->n_in, 0);
	assert_edge(g, "main", "A", 5, false, false);
	assert_edge(g, "A", "D", 5, true, false);
	cv_graph_free(g);
	memcpy(full->nodes, saved, n_saved * sizeof(*saved));
	full->n_nodes = n_saved;
	cv_graph_free(full);
	tp_free(t);
}

/* ---- trimming ---------------------------------------------------------------------- */

/*
 * total 1000, nodefraction 0.01: cutoff = int64(1000 * 0.01) = 10.
 * Nodes with |cum| < 10 go (tiny 9, tiny2 1); small (cum 10) stays.
 */
static void test_trim_node_fraction(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 980, "main big");
	tp_sample(t, 10, "main small");
	tp_sample(t, 9, "main tiny");
	tp_sample(t, 1, "main tiny2");
	cv_trim_options to = topts(0.01, 0, 0, false, false);
	cv_trim_result r;
	cv_graph *g = trimmed(&t->p, &to, &r);

	assert_int_equal(r.node_cutoff, 10);
	assert_int_equal(r.edge_cutoff, 0);
	assert_int_equal(r.dropped_nodes, 2);
	assert_int_equal(r.orig_count, 3);
	assert_int_equal(r.dropped_edges, 0);
	assert_int_equal(g->n_nodes, 3);
	assert_null(node(g, "tiny"));
	assert_null(node(g, "tiny2"));
	/* Rebuilt from the samples: main keeps its cum of every sample, but
	 * samples ending in a dropped leaf give nobody flat. */
	assert_node(g, "main", 0, 1000);
	assert_node(g, "big", 980, 980);
	assert_node(g, "small", 10, 10);
	char buf[256];
	assert_string_equal(order_of(g, buf, sizeof(buf)), "big,small,main");
	cv_graph_free(g);
	tp_free(t);
}

/* No node under the cutoff: nothing dropped, no rebuild. */
static void test_trim_nothing_dropped(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 50, "main a");
	tp_sample(t, 50, "main b");
	cv_trim_options to = topts(0.005, 0.001, 0, false, false);
	cv_trim_result r;
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.dropped_nodes, 0);
	assert_int_equal(r.orig_count, 3);
	assert_int_equal(g->n_nodes, 3);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * main -> f1 50, f2 30, f3 15, f4 5; nodecount 3.
 * Flat order picks f1, f2, f3; main is then dropped and the rebuild leaves
 * the kept nodes without callers. Cum order picks main, f1, f2.
 */
static void test_trim_node_count(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 50, "main f1");
	tp_sample(t, 30, "main f2");
	tp_sample(t, 15, "main f3");
	tp_sample(t, 5, "main f4");
	char buf[256];

	cv_trim_options to = topts(0, 0, 3, false, false);
	cv_trim_result r;
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.orig_count, 5);
	assert_int_equal(r.dropped_nodes, 0);
	assert_int_equal(g->n_nodes, 3);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "f1,f2,f3");
	assert_node(g, "f1", 50, 50);
	assert_int_equal(must_node(g, "f1")->n_in, 0);
	assert_int_equal(total_edges(g), 0);
	cv_graph_free(g);

	to = topts(0, 0, 3, true, false);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.orig_count, 5);
	assert_int_equal(g->n_nodes, 3);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "main,f1,f2");
	assert_node(g, "main", 0, 100);
	assert_node(g, "f2", 30, 30);
	assert_edge(g, "main", "f1", 50, false, false);
	assert_edge(g, "main", "f2", 30, false, false);
	cv_graph_free(g);

	/* A node count at least the number of nodes keeps them all. */
	to = topts(0, 0, 5, false, false);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.orig_count, 5);
	assert_int_equal(g->n_nodes, 5);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * main -> a 90, b 6, c 4; edgefraction 0.05: cutoff int64(100*0.05) = 5.
 * The edge main -> c (4 < 5) goes, and counts; node c itself stays.
 */
static void test_trim_edge_fraction(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 90, "main a");
	tp_sample(t, 6, "main b");
	tp_sample(t, 4, "main c");
	cv_trim_options to = topts(0, 0.05, 0, false, false);
	cv_trim_result r;
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.edge_cutoff, 5);
	assert_int_equal(r.dropped_edges, 1);
	assert_int_equal(g->n_nodes, 4);
	assert_null(edge(g, "main", "c"));
	assert_int_equal(must_node(g, "c")->n_in, 0);
	assert_edge(g, "main", "b", 6, false, false);
	assert_edge(g, "main", "a", 90, false, false);
	assert_int_equal(must_node(g, "main")->n_out, 2);
	cv_graph_free(g);

	/*
	 * pprof quirk: with a node count, edges are trimmed once before the
	 * selection; when the selection keeps every node the graph is not
	 * rebuilt, so the final TrimLowFrequencyEdges finds nothing to drop
	 * and reports 0 dropped edges.
	 */
	to = topts(0, 0.05, 10, false, false);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.dropped_edges, 0);
	assert_null(edge(g, "main", "c"));
	cv_graph_free(g);

	/* A selection that drops c rebuilds; nothing light is left. */
	to = topts(0, 0.05, 3, true, false);
	g = trimmed(&t->p, &to, &r);
	/* cum order: main 100, a 90, b 6 | c 4 is cut */
	assert_int_equal(g->n_nodes, 3);
	assert_null(node(g, "c"));
	assert_int_equal(r.dropped_edges, 0);
	cv_graph_free(g);
	tp_free(t);

	/*
	 * When the selection rebuilds the graph, an edge under the cutoff
	 * between kept nodes comes back and is dropped (and counted) again.
	 * main a: 88, main a b: 2, main b: 6, main c: 4 -> cum order main,
	 * a, b, c; nodecount 3 keeps main, a, b; a -> b (2 < 5) is dropped.
	 */
	t = tp_new();
	tp_sample(t, 88, "main a");
	tp_sample(t, 2, "main a b");
	tp_sample(t, 6, "main b");
	tp_sample(t, 4, "main c");
	to = topts(0, 0.05, 3, true, false);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(g->n_nodes, 3);
	assert_int_equal(r.orig_count, 4);
	assert_int_equal(r.dropped_edges, 1);
	assert_null(edge(g, "a", "b"));
	assert_edge(g, "main", "b", 6, false, false);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * Visual mode removes residual edges another path explains.
 *   main A B C: 100   main A X C: 2   main A Y D: 2   main D: 10
 * total 114, nodefraction 0.05 -> cutoff 5: X (2) and Y (2) go.
 * The rebuild gives residual A -> C (2) and A -> D (2). C is also reached
 * by A -> B -> C, so A -> C is redundant; D's other caller is main, which
 * A cannot reach through, so A -> D stays.
 */
static tprof *redundant_profile(void)
{
	tprof *t = tp_new();
	tp_sample(t, 100, "main A B C");
	tp_sample(t, 2, "main A X C");
	tp_sample(t, 2, "main A Y D");
	tp_sample(t, 10, "main D");
	return t;
}

static void test_trim_visual_redundant_edges(void **state)
{
	(void)state;
	tprof *t = redundant_profile();
	cv_trim_result r;

	cv_trim_options to = topts(0.05, 0.001, 0, false, false);
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.node_cutoff, 5);
	assert_int_equal(r.dropped_nodes, 2);
	assert_int_equal(g->n_nodes, 5);
	assert_node(g, "A", 0, 104);
	assert_node(g, "C", 102, 102);
	assert_node(g, "D", 12, 12);
	assert_edge(g, "A", "C", 2, true, false);
	assert_edge(g, "A", "D", 2, true, false);
	assert_edge(g, "A", "B", 100, false, false);
	assert_edge(g, "main", "D", 10, false, false);
	cv_graph_free(g);

	to = topts(0.05, 0.001, 0, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.dropped_nodes, 2);
	assert_int_equal(r.dropped_edges, 0);
	assert_int_equal(g->n_nodes, 5);
	assert_null(edge(g, "A", "C"));
	assert_edge(g, "A", "D", 2, true, false);
	assert_edge(g, "B", "C", 100, false, false);
	assert_edge(g, "main", "D", 10, false, false);
	assert_int_equal(must_node(g, "C")->n_in, 1);
	assert_int_equal(must_node(g, "D")->n_in, 2);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * RemoveRedundantEdges walks a node's in-edges from the lightest and stops
 * at the first non-residual one: a redundant residual edge lighter than the
 * real call edges goes, one heavier than a real call edge stays.
 * Y1..Y5 each have cum 9 < cutoff 10 and are dropped, so A -> C becomes a
 * residual edge of 45 while A -> B -> C remains another path.
 */
static void test_trim_visual_heavy_residual_kept(void **state)
{
	(void)state;
	tprof *t;
	cv_graph *g;
	cv_trim_result r;
	cv_trim_options to;

	t = tp_new();
	/* total 1000; cutoff 0.01 -> 10. Y1..Y5 each 9: all dropped. */
	tp_sample(t, 955, "main A B C");
	tp_sample(t, 9, "main A Y1 C");
	tp_sample(t, 9, "main A Y2 C");
	tp_sample(t, 9, "main A Y3 C");
	tp_sample(t, 9, "main A Y4 C");
	tp_sample(t, 9, "main A Y5 C");
	to = topts(0.01, 0, 0, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.dropped_nodes, 5);
	/* A -> C is residual with 45 < B -> C's 955: redundant, removed. */
	assert_null(edge(g, "A", "C"));
	assert_edge(g, "B", "C", 955, false, false);
	cv_graph_free(g);
	tp_free(t);

	t = tp_new();
	/* Now the residual edge is heavier than the real one. */
	tp_sample(t, 15, "main A B C");
	tp_sample(t, 9, "main A Y1 C");
	tp_sample(t, 9, "main A Y2 C");
	tp_sample(t, 9, "main A Y3 C");
	tp_sample(t, 9, "main A Y4 C");
	tp_sample(t, 9, "main A Y5 C");
	tp_sample(t, 940, "main Z");
	to = topts(0.01, 0, 0, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.dropped_nodes, 5);
	/* C's in-edges, lightest first: B -> C 15 (real) -> stop. */
	assert_edge(g, "A", "C", 45, true, false);
	assert_edge(g, "B", "C", 15, false, false);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- filters ---------------------------------------------------------------------- */

static tprof *filter_profile(void)
{
	tprof *t = tp_new();
	tp_fn(t, "main", "/src/main.go", 1);
	tp_fn(t, "foo", "/src/foo.go", 1);
	tp_fn(t, "bar", "/src/bar.go", 1);
	tp_fn(t, "baz", "/src/baz.go", 1);
	tp_loc(t, "main", 0x100, -1, 1, "main", 10);
	tp_loc(t, "foo", 0x200, -1, 1, "foo", 20);
	tp_loc(t, "bar", 0x300, -1, 1, "bar", 30);
	tp_loc(t, "baz", 0x400, -1, 1, "baz", 40);
	tp_sample(t, 10, "main foo bar");
	tp_sample(t, 20, "main baz");
	tp_sample(t, 30, "main foo baz");
	return t;
}

static int64_t sample_sum(const cv_profile *p)
{
	int64_t s = 0;
	for (size_t i = 0; i < p->n_samples; i++)
		s += p->samples[i].values[0];
	return s;
}

static void test_filter_focus_ignore(void **state)
{
	(void)state;
	cv_filter_result r;

	tprof *t = filter_profile();
	cv_filter_options fo = {.focus = "foo"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.focus_matched);
	assert_false(r.ignore_matched);
	assert_int_equal(t->p.n_samples, 2);
	assert_int_equal(sample_sum(&t->p), 40);
	/* focus keeps whole stacks */
	assert_int_equal(t->p.samples[0].n_locs, 3);
	tp_free(t);

	t = filter_profile();
	fo = (cv_filter_options){.ignore = "baz"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.ignore_matched);
	/* pprof: with no focus, every non-ignored location counts as focused */
	assert_true(r.focus_matched);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(sample_sum(&t->p), 10);
	tp_free(t);

	t = filter_profile();
	fo = (cv_filter_options){.focus = "foo", .ignore = "bar"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(sample_sum(&t->p), 30);
	tp_free(t);

	/* File names match too (unanchored), and a miss matches nothing. */
	t = filter_profile();
	fo = (cv_filter_options){.focus = "bar\\.go$"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.focus_matched);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(sample_sum(&t->p), 10);
	tp_free(t);

	t = filter_profile();
	fo = (cv_filter_options){.focus = "nomatch"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_false(r.focus_matched);
	assert_int_equal(t->p.n_samples, 0);
	tp_free(t);

	/* No filter at all: the profile is unchanged. */
	t = filter_profile();
	fo = (cv_filter_options){0};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_int_equal(t->p.n_samples, 3);
	tp_free(t);
}

static void test_filter_hide_show(void **state)
{
	(void)state;
	cv_filter_result r;

	/* hide removes frames, not samples */
	tprof *t = filter_profile();
	cv_filter_options fo = {.hide = "foo"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.hide_matched);
	assert_int_equal(t->p.n_samples, 3);
	cv_graph *g = build_default(&t->p);
	assert_null(node(g, "foo"));
	assert_node(g, "main", 0, 60);
	assert_node(g, "bar", 10, 10);
	assert_node(g, "baz", 50, 50);
	assert_edge(g, "main", "bar", 10, false, false);
	assert_edge(g, "main", "baz", 50, false, false);
	cv_graph_free(g);
	tp_free(t);

	/* show keeps only matching frames */
	t = filter_profile();
	fo = (cv_filter_options){.show = "main|baz"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.show_matched);
	assert_int_equal(t->p.n_samples, 3);
	g = build_default(&t->p);
	assert_int_equal(g->n_nodes, 2);
	assert_node(g, "main", 10, 60);
	assert_node(g, "baz", 50, 50);
	cv_graph_free(g);
	tp_free(t);

	/* show matching nothing hides every location: samples go */
	t = filter_profile();
	fo = (cv_filter_options){.show = "nomatch"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_false(r.show_matched);
	assert_int_equal(t->p.n_samples, 0);
	tp_free(t);

	/* hide everything: samples with no location left are removed */
	t = filter_profile();
	fo = (cv_filter_options){.hide = "."};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_int_equal(t->p.n_samples, 0);
	tp_free(t);

	/* hide on an inlined frame keeps the rest of its location */
	t = tp_new();
	tp_loc(t, "XY", 0x10, -1, 2, "Y", 3, "X", 7);
	tp_sample(t, 6, "main XY");
	fo = (cv_filter_options){.hide = "^Y$"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.hide_matched);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(t->locs[0].n_lines, 1);
	g = build_default(&t->p);
	assert_null(node(g, "Y"));
	assert_node(g, "X", 6, 6);
	cv_graph_free(g);
	tp_free(t);
}

/* A mapping file name matches for focus (and makes hide drop the location). */
static void test_filter_mapping(void **state)
{
	(void)state;
	cv_filter_result r;
	tprof *t = tp_new();
	int m = tp_mapping(t, "/usr/lib/libfoo.so");
	tp_loc(t, "lib", 0x5000, m, 0);
	tp_sample(t, 3, "main lib");
	tp_sample(t, 4, "main other");
	cv_filter_options fo = {.focus = "libfoo"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(sample_sum(&t->p), 3);
	tp_free(t);

	t = tp_new();
	m = tp_mapping(t, "/usr/lib/libfoo.so");
	tp_loc(t, "lib", 0x5000, m, 1, "libfn", 1);
	tp_sample(t, 3, "main lib");
	fo = (cv_filter_options){.hide = "libfoo"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, &r), 0);
	assert_true(r.hide_matched);
	assert_int_equal(t->p.n_samples, 1);
	assert_int_equal(t->p.samples[0].n_locs, 1);
	cv_graph *g = build_default(&t->p);
	assert_int_equal(g->n_nodes, 1);
	assert_node(g, "main", 3, 3);
	cv_graph_free(g);
	tp_free(t);
}

static void test_filter_invalid_regex(void **state)
{
	(void)state;
	static const struct {
		cv_filter_options fo;
		const char *name;
	} cases[] = {
		{{.focus = "("}, "focus"},
		{{.ignore = "[a-"}, "ignore"},
		{{.hide = "a**"}, "hide"},
		{{.show = "(?P<x"}, "show"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tprof *t = filter_profile();
		cv_filter_result r;
		cv_error_clear();
		int rc = cv_filter_samples(&t->p, &cases[i].fo, &r);
		assert_int_equal(rc, CV_EINVAL);
		const char *msg = cv_error_last();
		if (!strstr(msg, cases[i].name))
			fail_msg("error \"%s\" does not name option %s", msg, cases[i].name);
		/* nothing was filtered */
		assert_int_equal(t->p.n_samples, 3);
		tp_free(t);
	}
	/* An invalid regex in a later option fails even if earlier ones are fine. */
	tprof *t = filter_profile();
	cv_filter_options fo = {.focus = "foo", .show = ")"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, NULL), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "show"));
	assert_int_equal(t->p.n_samples, 3);
	tp_free(t);
}

/*
 * pprof compiles -focus/-ignore/-hide/-show with Go's regexp (RE2 syntax),
 * which rejects Perl-only constructs. go tool pprof 1.19 answers e.g.
 * -focus='(?=io)' with "parsing focus regexp: error parsing regexp:
 * invalid or unsupported Perl syntax: `(?=`" and -focus='(i)\1' with
 * "invalid escape sequence: `\1`".
 */
static void test_filter_regex_rejects_perl_only_syntax(void **state)
{
	(void)state;
	static const char *const perl_only[] = {
		"(?=foo)",  /* lookahead */
		"(?!foo)",  /* negative lookahead */
		"(?<=f)oo", /* lookbehind */
		"(?>foo)",  /* atomic group */
		"(f)\\1",   /* backreference */
		"fo*+",     /* possessive quantifier */
		"foo\\Z",   /* \Z */
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof(perl_only) / sizeof(perl_only[0]); i++) {
		tprof *t = filter_profile();
		cv_filter_options fo = {.focus = perl_only[i]};
		int rc = cv_filter_samples(&t->p, &fo, NULL);
		if (rc != CV_EINVAL) {
			print_message("accepted non-RE2 pattern %s (rc %d)\n", perl_only[i], rc);
			accepted++;
		}
		tp_free(t);
	}
	if (accepted) {
		/* Go refuses these; so must callviz. */
		fail();
	}
}

/*
 * Go's regexp works on UTF-8 runes: "." is one character, \x{263a} is
 * U+263A, and "$" (without (?m)) matches only at the end of the text.
 */
static void test_filter_regex_go_semantics(void **state)
{
	(void)state;
	static const struct {
		const char *pattern;
		bool match;
	} cases[] = {
		{"^\\x{263a}$", true},    /* a code point above 0xff */
		{"^.$", true},              /* one rune, two bytes */
		{"^\\pL$", true},          /* one letter */
		{"^[é]$", true},            /* a class of one rune */
		{"^\\C$", false},          /* invalid in Go: never compiles */
	};
	static const char *const names[] = {"\xe2\x98\xba", "\xc3\xa9", "\xc3\xa9", "\xc3\xa9", "x"};
	int wrong = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tprof *t = tp_new();
		tp_sample(t, 1, "main");
		tp_fn(t, names[i], "", 0);
		tp_loc(t, "leaf", 0x10, -1, 1, names[i], 1);
		tp_sample(t, 2, "main leaf");
		cv_filter_options fo = {.focus = cases[i].pattern};
		int rc = cv_filter_samples(&t->p, &fo, NULL);
		bool ok;
		if (cases[i].match)
			ok = rc == 0 && t->p.n_samples == 1 && t->p.samples[0].values[0] == 2;
		else
			ok = rc == CV_EINVAL;
		if (!ok) {
			print_message("pattern %s: rc %d (%s), %zu samples kept\n", cases[i].pattern,
				      rc, rc ? cv_error_last() : "", t->p.n_samples);
			wrong++;
		}
		tp_free(t);
	}
	if (wrong) {
		/* Runes, not bytes, as in Go. */
		fail();
	}
}

/*
 * Go's "$" is end of text (no multi-line mode by default); PCRE2's "$"
 * also matches before a final newline unless PCRE2_DOLLAR_ENDONLY.
 */
static void test_filter_regex_dollar(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_fn(t, "foo\n", "", 0);
	tp_loc(t, "leaf", 0x10, -1, 1, "foo\n", 1);
	tp_sample(t, 2, "main leaf");
	cv_filter_options fo = {.focus = "foo$"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, NULL), 0);
	size_t kept = t->p.n_samples;
	tp_free(t);
	if (kept != 0) {
		/* "$" is the end of the text, as in Go. */
		fail();
	}
	assert_int_equal(kept, 0);
}

/* ---- granularities and printable names -------------------------------------------- */

static tprof *gran_profile(void)
{
	tprof *t = tp_new();
	int m = tp_mapping(t, "/usr/lib/libc.so.6");
	tp_fn(t, "main", "/src/main.go", 1);
	tp_fn(t, "f", "/src/a.go", 5);
	tp_fn(t, "g", "/src/./a.go", 5);  /* same file once cleaned */
	tp_fn(t, "h", "/src/sub/../b.go", 9);
	tp_loc(t, "main", 0x1000, m, 1, "main", 3);
	tp_loc(t, "f10", 0x1010, m, 1, "f", 10);
	tp_loc(t, "f20", 0x1020, m, 1, "f", 20);
	tp_loc(t, "g", 0x1030, m, 1, "g", 30);
	tp_loc(t, "h", 0x1040, m, 1, "h", 40);
	tp_loc(t, "libc", 0x2000, m, 0);
	tp_loc(t, "nowhere", 0x3000, -1, 0);
	tp_sample(t, 1, "main f10");
	tp_sample(t, 2, "main f20");
	tp_sample(t, 4, "main g");
	tp_sample(t, 8, "main h libc");
	tp_sample(t, 16, "main nowhere");
	return t;
}

static void test_granularity_functions(void **state)
{
	(void)state;
	tprof *t = gran_profile();
	cv_graph *g = build_default(&t->p);
	assert_int_equal(g->n_nodes, 6);
	assert_node(g, "main", 0, 31);
	assert_node(g, "f", 3, 3);
	assert_node(g, "g", 4, 4);
	assert_node(g, "h", 0, 8);
	assert_node(g, "[libc.so.6]", 8, 8);
	assert_node(g, "<unknown>", 16, 16);
	/* function granularity keeps neither file nor line nor address */
	cv_node *f = must_node(g, "f");
	assert_string_equal(f->info.file, "");
	assert_int_equal(f->info.lineno, 0);
	assert_int_equal(f->info.address, 0);
	assert_string_equal(f->info.objfile, "");
	cv_node *lib = must_node(g, "[libc.so.6]");
	assert_string_equal(lib->info.objfile, "/usr/lib/libc.so.6");
	assert_string_equal(lib->info.name, "");
	cv_graph_free(g);
	tp_free(t);
}

static void test_granularity_filefunctions(void **state)
{
	(void)state;
	tprof *t = gran_profile();
	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_FILEFUNCTIONS;
	cv_graph *g = build(&t->p, &o, NULL);
	assert_node(g, "f /src/a.go", 3, 3);
	/* filepath.Clean on the file name */
	assert_node(g, "g /src/a.go", 4, 4);
	assert_node(g, "h /src/b.go", 0, 8);
	assert_node(g, "main /src/main.go", 0, 31);
	assert_node(g, "[libc.so.6]", 8, 8);
	cv_graph_free(g);
	tp_free(t);
}

static void test_granularity_files(void **state)
{
	(void)state;
	tprof *t = gran_profile();
	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_FILES;
	cv_graph *g = build(&t->p, &o, NULL);
	/* f and g share a cleaned file name and start line: one node */
	assert_node(g, "/src/a.go", 7, 7);
	assert_node(g, "/src/b.go", 0, 8);
	assert_node(g, "/src/main.go", 0, 31);
	assert_node(g, "[libc.so.6]", 8, 8);
	assert_node(g, "<unknown>", 16, 16);
	assert_int_equal(g->n_nodes, 5);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * pprof keys -files nodes by NodeInfo, and with no function name nodeInfo
 * also keeps Objfile and StartLine: two functions of one file with
 * different start lines stay two nodes with the same printable name.
 */
static void test_granularity_files_start_line(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_fn(t, "f", "/src/a.go", 5);
	tp_fn(t, "g", "/src/a.go", 50);
	tp_sample(t, 1, "f");
	tp_sample(t, 2, "g");
	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_FILES;
	cv_graph *g = build(&t->p, &o, NULL);
	assert_int_equal(g->n_nodes, 2);
	assert_string_equal(cv_node_name(g, g->nodes[0]), "/src/a.go");
	assert_string_equal(cv_node_name(g, g->nodes[1]), "/src/a.go");
	cv_graph_free(g);
	tp_free(t);
}

static void test_granularity_lines(void **state)
{
	(void)state;
	tprof *t = gran_profile();
	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_LINES;
	cv_graph *g = build(&t->p, &o, NULL);
	assert_int_equal(g->n_nodes, 7);
	assert_node(g, "main /src/main.go:3", 0, 31);
	assert_node(g, "f /src/a.go:10", 1, 1);
	assert_node(g, "f /src/a.go:20", 2, 2);
	assert_node(g, "g /src/a.go:30", 4, 4);
	assert_node(g, "h /src/b.go:40", 0, 8);
	assert_node(g, "[libc.so.6]", 8, 8);
	assert_node(g, "<unknown>", 16, 16);
	cv_node *f = must_node(g, "f /src/a.go:10");
	assert_int_equal(f->info.lineno, 10);
	assert_int_equal(f->info.address, 0);
	assert_edge(g, "main /src/main.go:3", "f /src/a.go:20", 2, false, false);
	cv_graph_free(g);
	tp_free(t);
}

static void test_granularity_addresses(void **state)
{
	(void)state;
	tprof *t = gran_profile();
	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_ADDRESSES;
	cv_graph *g = build(&t->p, &o, NULL);
	assert_int_equal(g->n_nodes, 7);
	assert_node(g, "0000000000001000 main /src/main.go:3", 0, 31);
	assert_node(g, "0000000000001010 f /src/a.go:10", 1, 1);
	assert_node(g, "0000000000001020 f /src/a.go:20", 2, 2);
	assert_node(g, "0000000000002000 [libc.so.6]", 8, 8);
	assert_node(g, "0000000000003000 <unknown>", 16, 16);
	assert_int_equal(must_node(g, "0000000000001030 g /src/a.go:30")->info.address, 0x1030);
	cv_graph_free(g);
	tp_free(t);
}

/* Printable names built from node infos directly, for the odd cases. */
static void test_node_name_formats(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_fn(t, "fn", "", 0);
	tp_fn(t, "", "/src/anon.go", 0); /* no name, a file */
	int m = tp_mapping(t, "/opt/bin/prog/");
	tp_loc(t, "a", 0xdeadbeef, -1, 1, "fn", 0);
	tp_loc(t, "b", 0x10, m, 1, "", 12);
	tp_loc(t, "c", 0x20, m, 0);
	tp_sample(t, 1, "a");
	tp_sample(t, 1, "b");
	tp_sample(t, 1, "c");

	cv_graph_options o = gopts();
	o.granularity = CV_GRAN_ADDRESSES;
	cv_graph *g = build(&t->p, &o, NULL);
	/* an address, then the function name; line 0 adds nothing */
	assert_non_null(node(g, "00000000deadbeef fn"));
	/* no name: file:line, no objfile since a file is known */
	assert_non_null(node(g, "0000000000000010 /src/anon.go:12"));
	/* filepath.Base ignores a trailing slash */
	assert_non_null(node(g, "0000000000000020 [prog]"));
	cv_graph_free(g);

	o.granularity = CV_GRAN_FUNCTIONS;
	g = build(&t->p, &o, NULL);
	/*
	 * Function granularity drops file names and addresses: the nameless
	 * function (b) and the unsymbolized location (c) both become
	 * NodeInfo{Objfile: "/opt/bin/prog/"} and share the node "[prog]".
	 */
	assert_int_equal(g->n_nodes, 2);
	assert_node(g, "fn", 1, 1);
	assert_node(g, "[prog]", 2, 2);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- ordering ------------------------------------------------------------------------ */

/* Edges: heaviest first, then caller name, then callee name. */
static void test_sorted_edges(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 5, "main a x");
	tp_sample(t, 10, "main b x");
	tp_sample(t, 5, "main c");
	tp_sample(t, 3, "p x");
	tp_sample(t, 3, "q x");
	tp_sample(t, 7, "r x");
	cv_graph *g = build_default(&t->p);

	cv_node *main = must_node(g, "main");
	cv_edge **out = cv_node_sorted_edges(g, main, 1);
	assert_non_null(out);
	assert_int_equal(main->n_out, 3);
	assert_string_equal(cv_node_name(g, out[0]->dest), "b");
	assert_string_equal(cv_node_name(g, out[1]->dest), "a");
	assert_string_equal(cv_node_name(g, out[2]->dest), "c");

	cv_node *x = must_node(g, "x");
	cv_edge **in = cv_node_sorted_edges(g, x, 0);
	assert_non_null(in);
	assert_int_equal(x->n_in, 5);
	const char *want[] = {"b", "r", "a", "p", "q"};
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(cv_node_name(g, in[i]->src), want[i]);
		assert_true(in[i]->dest == x);
	}

	/* a node with no edges gives an empty (non-NULL) array */
	cv_node *c = must_node(g, "c");
	assert_non_null(cv_node_sorted_edges(g, c, 1));
	assert_int_equal(c->n_out, 0);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * -flat order: |flat| desc, then printable name, then |cum| desc.
 * -cum order: |cum| desc, then name, then |flat| desc.
 */
static void test_flat_cum_order(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 10, "main zeta");
	tp_sample(t, 10, "main alpha");
	tp_sample(t, 5, "main mid beta");
	char buf[256];
	cv_trim_result r;

	cv_trim_options to = topts(0, 0, 0, false, false);
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "alpha,zeta,beta,main,mid");
	cv_graph_free(g);

	to = topts(0, 0, 0, true, false);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "main,alpha,zeta,beta,mid");
	cv_graph_free(g);
	tp_free(t);

	/* flat ties are broken by name before cum: v, w, x all have flat 4,
	 * w has the largest cum */
	t = tp_new();
	tp_sample(t, 4, "x");
	tp_sample(t, 4, "w");
	tp_sample(t, 4, "w v");
	to = topts(0, 0, 0, false, false);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "v,w,x");
	cv_graph_free(g);
	tp_free(t);

	/* cum ties are broken by name before flat: o, p, q all have cum 4 */
	t = tp_new();
	tp_sample(t, 4, "p q");
	tp_sample(t, 4, "o");
	to = topts(0, 0, 0, true, false);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "o,p,q");
	cv_graph_free(g);
	tp_free(t);
}

/*
 * Visual (dot) mode orders by pprof's entropyScore and keeps the top
 * nodecount nodes. main A B: 100, main C: 50:
 *   main: no in-edges +1; out {100, 50}, self 0: H = 0.918 -> 1.918*150 = 287
 *   B:    in {100}: 0; no out +1          -> 1*100 + flat 100 = 200
 *   C:    in {50}: 0; no out +1           -> 1*50 + 50 = 100
 *   A:    in {100}: 0; out {100}: 0        -> 0
 * nodecount 2 keeps main and B; the rebuild makes main -> B residual and,
 * re-scored, B (200) now beats main (1*150 + 0 = 150).
 */
static void test_trim_visual_entropy_order(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 100, "main A B");
	tp_sample(t, 50, "main C");
	char buf[256];
	cv_trim_result r;

	cv_trim_options to = topts(0, 0, 0, false, true);
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "main,B,C,A");
	cv_graph_free(g);

	to = topts(0, 0, 2, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.orig_count, 4);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "B,main");
	assert_node(g, "main", 0, 150);
	assert_edge(g, "main", "B", 100, true, false);
	cv_graph_free(g);

	to = topts(0, 0, 3, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "main,B,C");
	assert_edge(g, "main", "B", 100, true, false);
	assert_edge(g, "main", "C", 50, false, false);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * Diff profiles can leave an edge of weight 0 (main -> a: +5 and -5) whose
 * callee has flat = cum = 0 and is not selected into the graph, while the
 * edge stays on main. entropyScore then computes -0 * log2(0) = NaN for
 * main; Go converts NaN to INT64_MIN (amd64), plus flat. With flat 0 the
 * |score| is INT64_MIN, the smallest: main sorts last. With flat 2 the
 * score wraps to INT64_MIN + 2, whose |.| is huge: main sorts first.
 */
static void test_trim_visual_entropy_nan(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 5, "main a");
	tp_sample(t, -5, "main a");
	tp_sample(t, 10, "main b");
	tp_sample(t, 3, "main c");
	char buf[256];
	cv_trim_result r;

	cv_trim_options to = topts(0, 0, 0, false, true);
	cv_graph *g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.orig_count, 3);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "b,c,main");
	assert_null(node(g, "a"));
	cv_node *m = must_node(g, "main");
	assert_int_equal(m->n_out, 3);
	bool zero_edge = false;
	for (size_t i = 0; i < m->n_out; i++)
		if (m->out[i]->weight == 0 && strcmp(cv_node_name(g, m->out[i]->dest), "a") == 0)
			zero_edge = true;
	assert_true(zero_edge);
	cv_graph_free(g);

	to = topts(0, 0, 2, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "b,c");
	cv_graph_free(g);

	tp_sample(t, 2, "main");
	to = topts(0, 0, 0, false, true);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "main,b,c");
	cv_graph_free(g);
	tp_free(t);
}

/*
 * The last tie-break: pprof's compareNodes compares fmt.Sprint(l.Info) <
 * fmt.Sprint(r.Info), i.e. the *decimal text* of the numeric fields. At
 * -files granularity two functions of one file with start lines 9 and 10
 * are distinct nodes with the same printable name, flat and cum; go tool
 * pprof orders "{  0 /src/a.go 10 0 }" before "{  0 /src/a.go 9 0 }"
 * ('1' < '9'), i.e. start line 10 first (checked with pprof's own
 * graph/report code).
 */
static void test_order_compare_nodes_textual(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_fn(t, "f", "/src/a.go", 9);
	tp_fn(t, "g", "/src/a.go", 10);
	tp_sample(t, 1, "cf f");
	tp_sample(t, 1, "cg g");
	cv_graph_options go = gopts();
	go.granularity = CV_GRAN_FILES;
	cv_trim_options to = topts(0, 0, 0, false, false);
	cv_trim_result r;
	cv_graph *g = NULL;
	assert_int_equal(cv_graph_build_trimmed(&g, &r, &t->p, &go, &to), 0);
	assert_int_equal(g->n_nodes, 3);
	assert_string_equal(cv_node_name(g, g->nodes[0]), "/src/a.go");
	assert_string_equal(cv_node_name(g, g->nodes[1]), "/src/a.go");
	int64_t first = g->nodes[0]->info.start_line;
	cv_graph_free(g);
	tp_free(t);
	if (first != 10) {
		/* pprof compares the node info as text. */
		fail();
	}
	assert_int_equal(first, 10);
}

/* ---- negative values ------------------------------------------------------------------ */

/* Diff-like profile: main -> a +10, main -> b -20. */
static void test_negative_values(void **state)
{
	(void)state;
	tprof *t = tp_new();
	tp_sample(t, 10, "main a");
	tp_sample(t, -20, "main b");
	char buf[256];

	cv_graph *g = build_default(&t->p);
	assert_int_equal(g->n_nodes, 3);
	assert_node(g, "main", 0, -10);
	assert_node(g, "a", 10, 10);
	assert_node(g, "b", -20, -20);
	assert_edge(g, "main", "b", -20, false, false);
	cv_graph_free(g);

	/* drop_negative: flat < 0, or flat == 0 and cum < 0 */
	cv_graph_options o = gopts();
	o.drop_negative = true;
	g = build(&t->p, &o, NULL);
	assert_int_equal(g->n_nodes, 1);
	assert_node(g, "a", 10, 10);
	cv_graph_free(g);

	/* ordering uses absolute values */
	cv_trim_result r;
	cv_trim_options to = topts(0, 0, 0, false, false);
	g = trimmed(&t->p, &to, &r);
	assert_string_equal(order_of(g, buf, sizeof(buf)), "b,a,main");
	cv_graph_free(g);
	to = topts(0, 0, 0, true, false);
	g = trimmed(&t->p, &to, &r);
	/* cum: b |-20|, main |-10| and a 10 tie -> by name */
	assert_string_equal(order_of(g, buf, sizeof(buf)), "b,a,main");
	cv_graph_free(g);

	/* cutoffs come from |sum of flat|: sum -10, 0.5 -> |-5| = 5 */
	to = topts(0.5, 0, 0, false, false);
	g = trimmed(&t->p, &to, &r);
	assert_int_equal(r.node_cutoff, 5);
	assert_int_equal(r.dropped_nodes, 0);
	assert_int_equal(g->n_nodes, 3);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- mean ----------------------------------------------------------------------------- */

/* -mean: values divided by the divisor index, summed separately. */
static void test_mean_values(void **state)
{
	(void)state;
	tprof *t = tp_new();
	t->st[1] = (cv_value_type){"delay", "nanoseconds"};
	t->st[0] = (cv_value_type){"contentions", "count"};
	t->p.n_sample_types = 2;
	tp_sample2(t, 2, 100, "main a");
	tp_sample2(t, 3, 50, "main a");
	cv_graph_options o = gopts();
	o.sample_index = 1;
	o.mean = true;
	cv_graph *g = build(&t->p, &o, NULL);
	cv_node *a = must_node(g, "a");
	assert_int_equal(a->flat, 150);
	assert_int_equal(a->flat_div, 5);
	assert_int_equal(cv_node_flat(a), 30);
	assert_int_equal(cv_node_cum(a), 30);
	assert_int_equal(cv_edge_weight(must_edge(g, "main", "a")), 30);
	cv_graph_free(g);
	tp_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_chain),
		cmocka_unit_test(test_zero_samples_skipped),
		cmocka_unit_test(test_recursion),
		cmocka_unit_test(test_inline_edges),
		cmocka_unit_test(test_inline_mixed_order),
		cmocka_unit_test(test_residual_edges),
		cmocka_unit_test(test_residual_multiple_dropped),
		cmocka_unit_test(test_trim_node_fraction),
		cmocka_unit_test(test_trim_nothing_dropped),
		cmocka_unit_test(test_trim_node_count),
		cmocka_unit_test(test_trim_edge_fraction),
		cmocka_unit_test(test_trim_visual_redundant_edges),
		cmocka_unit_test(test_trim_visual_heavy_residual_kept),
		cmocka_unit_test(test_filter_focus_ignore),
		cmocka_unit_test(test_filter_hide_show),
		cmocka_unit_test(test_filter_mapping),
		cmocka_unit_test(test_filter_invalid_regex),
		cmocka_unit_test(test_filter_regex_rejects_perl_only_syntax),
		cmocka_unit_test(test_filter_regex_go_semantics),
		cmocka_unit_test(test_filter_regex_dollar),
		cmocka_unit_test(test_granularity_functions),
		cmocka_unit_test(test_granularity_filefunctions),
		cmocka_unit_test(test_granularity_files),
		cmocka_unit_test(test_granularity_files_start_line),
		cmocka_unit_test(test_granularity_lines),
		cmocka_unit_test(test_granularity_addresses),
		cmocka_unit_test(test_node_name_formats),
		cmocka_unit_test(test_sorted_edges),
		cmocka_unit_test(test_flat_cum_order),
		cmocka_unit_test(test_trim_visual_entropy_order),
		cmocka_unit_test(test_trim_visual_entropy_nan),
		cmocka_unit_test(test_order_compare_nodes_textual),
		cmocka_unit_test(test_negative_values),
		cmocka_unit_test(test_mean_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
