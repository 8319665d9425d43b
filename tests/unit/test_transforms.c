/*
 * Value transforms and presentation options, on hand-built profiles:
 * call trees (pprof's graph.newTree, Graph.TrimTree), the node key of each
 * granularity with and without inlined frames (profile.Aggregate then
 * graph.nodeInfo), -mean and -divide_by arithmetic (report.computeTotal,
 * rpt.formatValue, selectOutputUnit), -drop_negative, -compact_labels,
 * -add_comment and the -comments report, and the empty mapping a profile
 * without mappings gets.
 *
 * Expected values follow from pprof's algorithms as read in its source
 * (go 1.19's vendored copy), worked out by hand below each profile.
 */
#define _GNU_SOURCE
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
#include "callviz/report.h"
#include "testprof.h"
#include "util/arena.h"

/* ---- a tiny profile builder -------------------------------------------------- */

/*
 * Two sample types: contentions/count (the -mean divisor), delay/ns.
 * Functions are in /src/NAME.go; a location made for a stack's unknown
 * name has line 1 of that function, at 0x1000 + 0x10 * its index.
 */
static tprof *prof_new(void)
{
	tprof *t = tp_new();
	tp_types(t, "contentions", "count", "delay", "nanoseconds");
	t->p.arena = cv_arena_new();
	assert_non_null(t->p.arena);
	t->auto_file = "/src/%s.go";
	t->auto_addr = 0x1000;
	t->auto_line = 1;
	return t;
}

/* ---- graph helpers ------------------------------------------------------------ */

static cv_graph_options gopts(bool tree)
{
	cv_graph_options o;
	cv_graph_options_init(&o);
	o.sample_index = 1;
	o.call_tree = tree;
	return o;
}

/* The nodes named `name`, in graph order; returns how many. */
static size_t find_all(const cv_graph *g, const char *name, cv_node **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (!strcmp(cv_node_name(g, g->nodes[i]), name) && n < max)
			out[n++] = g->nodes[i];
	return n;
}

/* The child of `parent` named `name` (through an out edge), or NULL. */
static cv_node *child(const cv_graph *g, const cv_node *parent, const char *name, cv_edge **via)
{
	for (size_t i = 0; i < parent->n_out; i++)
		if (!strcmp(cv_node_name(g, parent->out[i]->dest), name)) {
			if (via)
				*via = parent->out[i];
			return parent->out[i]->dest;
		}
	return NULL;
}

static cv_node *must_child(const cv_graph *g, const cv_node *parent, const char *name,
			   cv_edge **via)
{
	cv_node *n = child(g, parent, name, via);
	if (!n)
		fail_msg("%s has no child %s", cv_node_name(g, parent), name);
	/* every tree node has exactly one caller */
	assert_int_equal(n->n_in, 1);
	return n;
}

static cv_node *root(const cv_graph *g, const char *name)
{
	cv_node *r[8];
	size_t n = find_all(g, name, r, 8);
	for (size_t i = 0; i < n; i++)
		if (r[i]->n_in == 0)
			return r[i];
	fail_msg("no root %s", name);
	return NULL;
}

/*
 * main -> a -> c      1
 * main -> b -> c      2
 * main -> a -> a -> c 4   (recursion: a second "a" node, not the same one)
 * main -> b           8
 * Graph: a cum 5 (counted once per sample), c flat 7. Tree: every context
 * its own node; nothing is de-duplicated because no context repeats.
 */
static tprof *tree_profile(void)
{
	tprof *t = prof_new();
	tp_sample2(t, 1, 1, "main a c");
	tp_sample2(t, 1, 2, "main b c");
	tp_sample2(t, 1, 4, "main a a c");
	tp_sample2(t, 1, 8, "main b");
	return t;
}

static void test_tree_contexts(void **state)
{
	(void)state;
	tprof *t = tree_profile();
	cv_graph_options o = gopts(true);
	cv_graph *g;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	assert_int_equal(g->n_nodes, 7);
	cv_node *cs[4];
	assert_int_equal(find_all(g, "c", cs, 4), 3);
	cv_node *m = root(g, "main");
	assert_int_equal(m->cum, 15);
	assert_int_equal(m->flat, 0);
	cv_edge *e;
	cv_node *a = must_child(g, m, "a", &e);
	assert_int_equal(a->cum, 5);
	assert_int_equal(e->weight, 5);
	cv_node *aa = must_child(g, a, "a", &e);
	assert_int_equal(aa->cum, 4);
	assert_false(e->residual);
	cv_node *aac = must_child(g, aa, "c", NULL);
	assert_int_equal(aac->flat, 4);
	assert_int_equal(must_child(g, a, "c", NULL)->flat, 1);
	cv_node *b = must_child(g, m, "b", &e);
	assert_int_equal(b->flat, 8);
	assert_int_equal(b->cum, 10);
	assert_int_equal(e->weight, 10);
	assert_int_equal(must_child(g, b, "c", NULL)->flat, 2);
	cv_graph_free(g);

	/* The same profile as a graph: one node per function. */
	o.call_tree = false;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	assert_int_equal(g->n_nodes, 4);
	assert_int_equal(find_all(g, "a", cs, 4), 1);
	assert_int_equal(cs[0]->cum, 5);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * Inlined frames: location "bc" holds c inlined into b. The edge b -> c is
 * inline; with -noinlines the location is b alone and c disappears.
 */
static void test_tree_inline(void **state)
{
	(void)state;
	tprof *t = prof_new();
	tp_loc(t, "bc", 0x2000, -1, 2, "c", 3, "b", 7);
	tp_sample2(t, 1, 5, "main bc");
	tp_sample2(t, 1, 6, "main b2 bc");
	cv_graph_options o = gopts(true);
	cv_graph *g;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	cv_edge *e;
	cv_node *m = root(g, "main");
	cv_node *b = must_child(g, m, "b", &e);
	assert_false(e->is_inline);
	cv_node *c = must_child(g, b, "c", &e);
	assert_true(e->is_inline);
	assert_int_equal(c->flat, 5);
	cv_graph_free(g);

	o.no_inlines = true;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	cv_node *cs[2];
	assert_int_equal(find_all(g, "c", cs, 2), 0);
	assert_int_equal(must_child(g, root(g, "main"), "b", NULL)->flat, 5);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * Trimming a tree splices: with nodefraction 0.3 of 15 (cutoff 4), main/a
 * (5) and main/a/a (4) stay but the leaves main/a/c (1) and main/b/c (2)
 * go, and main/a/a/c (4) stays. Nothing is rebuilt from samples, so
 * values do not change. Then a node count of 3 keeps, by entropy score,
 * main (1.92 * 15 = 28), b (1 * 10 + 8 = 18) and a/a/c (1 * 4 + 4 = 8)
 * over the pass-through a and a/a (0): those are spliced out, and c hangs
 * off main by a residual edge carrying its own edge's weight.
 */
static void test_tree_trim(void **state)
{
	(void)state;
	tprof *t = tree_profile();
	cv_graph_options o = gopts(true);
	cv_trim_options to = {.node_fraction = 0.3, .edge_fraction = 0.001, .visual = true};
	cv_trim_result r;
	cv_graph *g;
	assert_int_equal(cv_graph_build_trimmed(&g, &r, &t->p, &o, &to), 0);
	assert_int_equal(r.dropped_nodes, 2);
	assert_int_equal(r.orig_count, 5);
	assert_int_equal(g->n_nodes, 5);
	cv_node *m = root(g, "main");
	cv_node *a = must_child(g, m, "a", NULL);
	assert_null(child(g, a, "c", NULL));
	assert_null(child(g, must_child(g, m, "b", NULL), "c", NULL));
	assert_int_equal(must_child(g, must_child(g, a, "a", NULL), "c", NULL)->flat, 4);
	cv_graph_free(g);

	to.node_count = 3;
	assert_int_equal(cv_graph_build_trimmed(&g, &r, &t->p, &o, &to), 0);
	assert_int_equal(g->n_nodes, 3);
	assert_int_equal(r.orig_count, 5);
	m = root(g, "main");
	cv_edge *e;
	cv_node *c = must_child(g, m, "c", &e);
	assert_true(e->residual);
	assert_int_equal(e->weight, 4);
	assert_int_equal(c->flat, 4);
	assert_false(must_child(g, m, "b", &e) == NULL);
	assert_false(e->residual);
	cv_graph_free(g);
	tp_free(t);
}

/*
 * A dropped root leaves its children as roots; a spliced edge is inline
 * only if both calls it stands for were. Here x (1%) is under the cutoff:
 * main -> x -> [y inlined into x] ... becomes main ... y, not inline since
 * main -> x was a real call.
 */
static void test_tree_splice_marks(void **state)
{
	(void)state;
	tprof *t = prof_new();
	tp_loc(t, "yx", 0x3000, -1, 2, "y", 2, "x", 9);
	tp_loc(t, "zyx", 0x3100, -1, 3, "z", 4, "y", 3, "x", 8);
	tp_sample2(t, 1, 100, "main yx");
	tp_sample2(t, 1, 100, "main zyx");
	tp_sample2(t, 1, 1, "main x");
	cv_graph_options o = gopts(true);
	cv_graph *g;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	/* x's two contexts under main are one node (same parent, same info) */
	cv_node *x = must_child(g, root(g, "main"), "x", NULL);
	assert_int_equal(x->cum, 201);
	cv_edge *e;
	cv_node *y = must_child(g, x, "y", &e);
	assert_true(e->is_inline);
	assert_true(must_child(g, y, "z", &e) && e->is_inline);
	cv_graph_free(g);

	/* Keep main and z only: y's and x's edges fold into main ... z. */
	cv_trim_options to = {.node_fraction = 0, .edge_fraction = 0, .node_count = 2,
			      .visual = false, .cum_sort = true};
	cv_trim_result r;
	assert_int_equal(cv_graph_build_trimmed(&g, &r, &t->p, &o, &to), 0);
	assert_int_equal(g->n_nodes, 2);
	assert_string_equal(cv_node_name(g, g->nodes[0]), "main");
	assert_string_equal(cv_node_name(g, g->nodes[1]), "x");
	cv_graph_free(g);

	to.cum_sort = false; /* flat order: y (100), z (100) */
	assert_int_equal(cv_graph_build_trimmed(&g, &r, &t->p, &o, &to), 0);
	assert_int_equal(g->n_nodes, 2);
	cv_node *kept[2];
	assert_int_equal(find_all(g, "y", kept, 2), 1);
	assert_int_equal(find_all(g, "z", kept + 1, 1), 1);
	/* y lost its parent chain (main, x dropped): a root again */
	assert_int_equal(kept[0]->n_in, 0);
	/* z's caller y was kept: the edge y -> z is untouched and inline */
	assert_int_equal(kept[1]->n_in, 1);
	assert_true(kept[1]->in[0]->is_inline);
	assert_false(kept[1]->in[0]->residual);
	cv_graph_free(g);
	tp_free(t);
}

/* ---- granularity node keys, with and without inlined frames ------------------- */

/* Location "fg": f (file /src/f.go line 10) inlined into g (line 20). */
static tprof *gran_profile(void)
{
	tprof *t = prof_new();
	tp_loc(t, "fg", 0x4000, -1, 2, "f", 10, "g", 20);
	tp_loc(t, "g21", 0x4010, -1, 1, "g", 21);
	tp_sample2(t, 1, 3, "main fg");
	tp_sample2(t, 1, 5, "main g21");
	return t;
}

static void expect_nodes(cv_granularity gran, bool no_inlines, const char *const *names,
			 const int64_t *flats, size_t n)
{
	tprof *t = gran_profile();
	cv_graph_options o = gopts(false);
	o.granularity = gran;
	o.no_inlines = no_inlines;
	cv_graph *g;
	assert_int_equal(cv_graph_build(&g, &t->p, &o, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		cv_node *found[2];
		if (find_all(g, names[i], found, 2) != 1)
			fail_msg("granularity %d noinlines %d: no single node \"%s\"",
				 gran, no_inlines, names[i]);
		assert_int_equal(found[0]->flat, flats[i]);
	}
	if (g->n_nodes != n + 1) /* + main */
		fail_msg("granularity %d noinlines %d: %zu nodes", gran, no_inlines, g->n_nodes);
	cv_graph_free(g);
	tp_free(t);
}

static void test_granularity_keys(void **state)
{
	(void)state;
	/* functions: f and g; without inlines f's samples belong to g */
	expect_nodes(CV_GRAN_FUNCTIONS, false, (const char *[]){"f", "g"},
		     (int64_t[]){3, 5}, 2);
	expect_nodes(CV_GRAN_FUNCTIONS, true, (const char *[]){"g"}, (int64_t[]){8}, 1);
	expect_nodes(CV_GRAN_FILEFUNCTIONS, false,
		     (const char *[]){"f /src/f.go", "g /src/g.go"}, (int64_t[]){3, 5}, 2);
	expect_nodes(CV_GRAN_FILEFUNCTIONS, true, (const char *[]){"g /src/g.go"},
		     (int64_t[]){8}, 1);
	expect_nodes(CV_GRAN_FILES, false, (const char *[]){"/src/f.go", "/src/g.go"},
		     (int64_t[]){3, 5}, 2);
	expect_nodes(CV_GRAN_FILES, true, (const char *[]){"/src/g.go"}, (int64_t[]){8}, 1);
	/* lines: g's lines 20 (the inlined call site) and 21 are two nodes */
	expect_nodes(CV_GRAN_LINES, false,
		     (const char *[]){"f /src/f.go:10", "g /src/g.go:20", "g /src/g.go:21"},
		     (int64_t[]){3, 0, 5}, 3);
	expect_nodes(CV_GRAN_LINES, true, (const char *[]){"g /src/g.go:20", "g /src/g.go:21"},
		     (int64_t[]){3, 5}, 2);
	/* addresses: the inlined frames of one location share its address */
	expect_nodes(CV_GRAN_ADDRESSES, false,
		     (const char *[]){"0000000000004000 f /src/f.go:10",
				      "0000000000004000 g /src/g.go:20",
				      "0000000000004010 g /src/g.go:21"},
		     (int64_t[]){3, 0, 5}, 3);
	expect_nodes(CV_GRAN_ADDRESSES, true,
		     (const char *[]){"0000000000004000 g /src/g.go:20",
				      "0000000000004010 g /src/g.go:21"},
		     (int64_t[]){3, 5}, 2);
}

/* ---- reports: mean, divide_by, drop_negative, labels, comments ---------------- */

static void assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected \"%s\" in:\n%s", want, text);
}

/*
 * Contention-like profile: a 2 waits 3000ns in total, b 1 wait 500ns, c
 * a negative difference of 1 wait and -300ns.
 *   total |delay| = 3800; counts 2+1+(-1) = 2; mean total 3800/2 = 1900.
 *   -mean: a = 3000/2 = 1500, b = 500, c = -300/-1 = 300, main cum 3200/2.
 *   Rows stay in order of the raw flat values; the unit comes from the
 *   smallest mean (300ns) against the total (1.90us): 30000 is not under
 *   1900, so nanoseconds.
 */
static tprof *mean_profile(void)
{
	tprof *t = prof_new();
	tp_sample2(t, 2, 3000, "main a");
	tp_sample2(t, 1, 500, "main b");
	tp_sample2(t, -1, -300, "main c");
	return t;
}

static void test_mean_total(void **state)
{
	(void)state;
	tprof *t = mean_profile();
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	assert_int_equal(cv_report_options_total(&t->p, &o), 3800);
	assert_int_equal(cv_report_total(&t->p, 1), 3800);
	o.mean = true;
	assert_int_equal(cv_report_options_total(&t->p, &o), 1900);
	char *out = tp_report(cv_report_top, &t->p, &o);
	assert_contains(out, "Type: mean_delay\n");
	assert_contains(out, "Showing nodes accounting for 2300ns, 121.05% of 1900ns total\n");
	assert_contains(out, "    1500ns 78.95% 78.95%     1500ns 78.95%  a\n");
	assert_contains(out, "     500ns 26.32% 105.26%      500ns 26.32%  b\n");
	assert_contains(out, "     300ns 15.79% 121.05%      300ns 15.79%  c\n");
	assert_contains(out, "         0     0% 121.05%     1600ns 84.21%  main\n");
	free(out);
	tp_free(t);
}

/*
 * -divide_by=4 is a ratio of 0.25 on printed values only: percentages and
 * trimming still use the raw values. 3000ns/4 = 750ns, 500/4 = 125ns; the
 * unit is chosen from the scaled values (minimum 75ns -> "ns").
 */
static void test_divide_by(void **state)
{
	(void)state;
	tprof *t = mean_profile();
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	o.ratio = 1.0 / 4;
	char *out = tp_report(cv_report_top, &t->p, &o);
	assert_contains(out, "Showing nodes accounting for 800ns, 84.21% of 950ns total\n");
	assert_contains(out, "     750ns 78.95% 78.95%      750ns 78.95%  a\n");
	assert_contains(out, "     125ns 13.16% 92.11%      125ns 13.16%  b\n");
	assert_contains(out, "     -75ns  7.89% 84.21%      -75ns  7.89%  c\n");
	free(out);
	/* pprof applies only a positive ratio: -divide_by=-4 changes nothing */
	o.ratio = 1.0 / -4;
	out = tp_report(cv_report_top, &t->p, &o);
	assert_contains(out, "    3000ns 78.95% 78.95%     3000ns 78.95%  a\n");
	free(out);
	tp_free(t);
}

static void test_drop_negative(void **state)
{
	(void)state;
	tprof *t = mean_profile();
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	o.drop_negative = true;
	char *out = tp_report(cv_report_top, &t->p, &o);
	assert_null(strstr(out, "  c\n"));
	assert_contains(out, "  a\n");
	free(out);
	o.drop_negative = false;
	out = tp_report(cv_report_top, &t->p, &o);
	assert_contains(out, "  c\n");
	free(out);
	tp_free(t);
}

/*
 * Comments: those starting with '#' stay out of legends; -compact_labels
 * leaves text reports without the profile's lines but not graphs; the
 * -comments report prints every comment.
 */
static void test_comments_and_compact_labels(void **state)
{
	(void)state;
	tprof *t = mean_profile();
	assert_int_equal(cv_profile_add_comment(&t->p, "first note"), 0);
	assert_int_equal(cv_profile_add_comment(&t->p, "#hidden note"), 0);
	assert_int_equal(cv_profile_add_comment(&t->p, "last note"), 0);
	assert_int_equal(t->p.n_comments, 3);
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	char *out = tp_report(cv_report_comments, &t->p, &o);
	assert_string_equal(out, "first note\n#hidden note\nlast note\n");
	free(out);
	out = tp_report(cv_report_top, &t->p, &o);
	assert_true(!strncmp(out, "first note\nlast note\nType: delay\nShowing nodes", 46));
	free(out);
	o.compact_labels = true;
	out = tp_report(cv_report_top, &t->p, &o);
	assert_true(!strncmp(out, "Showing nodes accounting for", 28));
	free(out);
	char *dot;
	size_t len;
	assert_int_equal(cv_report_dot_string(&dot, &len, &t->p, &o), 0);
	assert_contains(dot, "label=\"first note\\llast note\\lType: delay\\l");
	free(dot);
	tp_free(t);
}

/*
 * A profile without mappings gets one empty mapping for every location, as
 * pprof's locateBinaries adds it; legends then still have no File line.
 */
static void test_ensure_mapping(void **state)
{
	(void)state;
	tprof *t = mean_profile();
	assert_int_equal(t->p.n_mappings, 0);
	assert_int_equal(cv_profile_ensure_mapping(&t->p), 0);
	assert_int_equal(t->p.n_mappings, 1);
	const cv_mapping *m = &t->p.mappings[0];
	assert_int_equal(m->id, 1);
	assert_string_equal(m->file, "");
	assert_string_equal(m->build_id, "");
	for (size_t i = 0; i < t->p.n_locations; i++)
		assert_ptr_equal(t->p.locations[i].mapping, m);
	/* a second call leaves the profile alone */
	assert_int_equal(cv_profile_ensure_mapping(&t->p), 0);
	assert_int_equal(t->p.n_mappings, 1);
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	char *out = tp_report(cv_report_top, &t->p, &o);
	assert_true(!strncmp(out, "Type: delay\n", 12));
	free(out);
	char *dot;
	size_t len;
	assert_int_equal(cv_report_dot_string(&dot, &len, &t->p, &o), 0);
	assert_true(!strncmp(dot, "digraph \"unnamed\" {", 19));
	free(dot);
	tp_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_contexts),
		cmocka_unit_test(test_tree_inline),
		cmocka_unit_test(test_tree_trim),
		cmocka_unit_test(test_tree_splice_marks),
		cmocka_unit_test(test_granularity_keys),
		cmocka_unit_test(test_mean_total),
		cmocka_unit_test(test_divide_by),
		cmocka_unit_test(test_drop_negative),
		cmocka_unit_test(test_comments_and_compact_labels),
		cmocka_unit_test(test_ensure_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
