/*
 * The DOT writer against go tool pprof 1.19: the expected texts below are
 * what pprof's ComposeDot printed for the same hand-built graphs (via a
 * small driver around the vendored package), so they pin the output byte
 * for byte. Also the libgvc renderer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "render/dot_style.h"
#include "util/arena.h"

#define MAX_NODES 16
#define MAX_EDGES 8

static const char expect_basic[] =
	"digraph \"prog\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"subgraph cluster_L { \"File: prog\" [shape=box fontsize=16 label=\"File: prog\\lType: cpu\\lShowing nodes accounting for 10s, 100% of 10s total\\l\" tooltip=\"prog\"] }\n"
	"N1 [label=\"main\\nmain\\nmain.go\\n0 of 10s (100%)\" id=\"node1\" fontsize=8 shape=box tooltip=\"main.main /src/main.go (10s)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N2 [label=\"store\\n(*DB)\\nQuery\\n6s (60.00%)\\nof 8s (80.00%)\" id=\"node2\" fontsize=24 shape=box tooltip=\"github.com/acme/pkg/v2/store.(*DB).Query (8s)\" color=\"#b20b00\" fillcolor=\"#edd6d5\"]\n"
	"N3 [label=\"runtime\\nmallocgc\\n2s (20.00%)\" id=\"node3\" fontsize=18 shape=box tooltip=\"runtime.mallocgc (2s)\" color=\"#b24400\" fillcolor=\"#edded5\"]\n"
	"N4 [label=\"Cache\\nlookup<int>\\n2s (20.00%)\" id=\"node4\" fontsize=18 shape=box tooltip=\"(anonymous namespace)::ns::Cache::lookup<int>() (2s)\" color=\"#b24400\" fillcolor=\"#edded5\"]\n"
	"N1 -> N2 [label=\" 8s\" weight=81 penwidth=5 color=\"#b20b00\" tooltip=\"main.main /src/main.go -> github.com/acme/pkg/v2/store.(*DB).Query (8s)\" labeltooltip=\"main.main /src/main.go -> github.com/acme/pkg/v2/store.(*DB).Query (8s)\"]\n"
	"N2 -> N3 [label=\" 2s\\n (inline)\" weight=21 penwidth=2 color=\"#b24400\" tooltip=\"github.com/acme/pkg/v2/store.(*DB).Query -> runtime.mallocgc (2s)\" labeltooltip=\"github.com/acme/pkg/v2/store.(*DB).Query -> runtime.mallocgc (2s)\"]\n"
	"N1 -> N4 [label=\" 2s\" weight=21 penwidth=2 color=\"#b24400\" tooltip=\"main.main /src/main.go ... (anonymous namespace)::ns::Cache::lookup<int>() (2s)\" labeltooltip=\"main.main /src/main.go ... (anonymous namespace)::ns::Cache::lookup<int>() (2s)\" style=\"dotted\"]\n"
	"}\n";

static const char expect_tags[] =
	"digraph \"heap\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"N1 [label=\"main\\nalloc\\n512kB (50.00%)\\nof 1MB (100%)\" id=\"node1\" fontsize=24 shape=box tooltip=\"main.alloc (1MB)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N1_0 [label = \"a:1\" id=\"N1_0\" fontsize=8 shape=box3d tooltip=\"292.97kB\"]\n"
	"N1 -> N1_0 [label=\" 292.97kB\" weight=100 tooltip=\"292.97kB\" labeltooltip=\"292.97kB\"]\n"
	"NN1_0_0 [label = \"64kB\" id=\"NN1_0_0\" fontsize=8 shape=box3d tooltip=\"256kB\"]\n"
	"N1_0 -> NN1_0_0 [label=\" 256kB\" weight=100 tooltip=\"256kB\" labeltooltip=\"256kB\"]\n"
	"NN1_0_1 [label = \"1kB\" id=\"NN1_0_1\" fontsize=8 shape=box3d tooltip=\"36.97kB\"]\n"
	"N1_0 -> NN1_0_1 [label=\" 36.97kB\" weight=100 tooltip=\"36.97kB\" labeltooltip=\"36.97kB\"]\n"
	"N1_1 [label = \"b:2\" id=\"N1_1\" fontsize=8 shape=box3d tooltip=\"195.31kB\"]\n"
	"N1 -> N1_1 [label=\" 195.31kB\" weight=100 tooltip=\"195.31kB\" labeltooltip=\"195.31kB\"]\n"
	"N1_2 [label = \"d:4\" id=\"N1_2\" fontsize=8 shape=box3d tooltip=\"23.72kB\"]\n"
	"N1 -> N1_2 [label=\" 23.72kB\" weight=100 tooltip=\"23.72kB\" labeltooltip=\"23.72kB\"]\n"
	"N1_3 [label = \"e:5\" id=\"N1_3\" fontsize=8 shape=box3d tooltip=\"10B\"]\n"
	"N1 -> N1_3 [label=\" 10B\" weight=100 tooltip=\"10B\" labeltooltip=\"10B\"]\n"
	"NN1_0 [label = \"2MB\" id=\"NN1_0\" fontsize=8 shape=box3d tooltip=\"1000B\"]\n"
	"N1 -> NN1_0 [label=\" 1000B\" weight=100 tooltip=\"1000B\" labeltooltip=\"1000B\"]\n"
	"N2 [label=\"main\\nleaf\\n512kB (50.00%)\" id=\"node2\" fontsize=24 shape=box tooltip=\"main.leaf (512kB)\" color=\"#b22100\" fillcolor=\"#edd9d5\"]\n"
	"NN2_0 [label = \"8kB..2MB\" id=\"NN2_0\" fontsize=8 shape=box3d tooltip=\"175.78kB\"]\n"
	"N2 -> NN2_0 [label=\" 175.78kB\" weight=100 tooltip=\"175.78kB\" labeltooltip=\"175.78kB\" style=\"dotted\"]\n"
	"NN2_1 [label = \"2kB..3kB\" id=\"NN2_1\" fontsize=8 shape=box3d tooltip=\"136.72kB\"]\n"
	"N2 -> NN2_1 [label=\" 136.72kB\" weight=100 tooltip=\"136.72kB\" labeltooltip=\"136.72kB\"]\n"
	"NN2_2 [label = \"1kB\" id=\"NN2_2\" fontsize=8 shape=box3d tooltip=\"97.66kB\"]\n"
	"N2 -> NN2_2 [label=\" 97.66kB\" weight=100 tooltip=\"97.66kB\" labeltooltip=\"97.66kB\"]\n"
	"NN2_3 [label = \"4kB\" id=\"NN2_3\" fontsize=8 shape=box3d tooltip=\"78.12kB\"]\n"
	"N2 -> NN2_3 [label=\" 78.12kB\" weight=100 tooltip=\"78.12kB\" labeltooltip=\"78.12kB\"]\n"
	"N1 -> N2 [label=\" 512kB\" weight=51 penwidth=3 color=\"#b22100\" tooltip=\"main.alloc -> main.leaf (512kB)\" labeltooltip=\"main.alloc -> main.leaf (512kB)\" minlen=2]\n"
	"}\n";

static const char expect_hostile[] =
	"digraph \"prog\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"subgraph cluster_L { \"Type: \\\"quoted\\\" \\\\\\lnext\" [shape=box fontsize=16 label=\"Type: \\\"quoted\\\" \\\\\\lnext\\l\" tooltip=\"prog\"] }\n"
	"N1 [label=\"a\\\"b\\\\c\\ld\\ne\\nf\\n60 (60.00%)\\nof 100 (100%)\" id=\"node1\" fontsize=24 shape=box tooltip=\"a\\\"b\\\\c\\ld.e::f (100)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N2 [label=\"<>&{}|[\xe2\x80\xa6" "]\\nx\\n40 (40.00%)\" id=\"node2\" fontsize=22 shape=box tooltip=\"<>&{}|[...].x (40)\" color=\"#b22a00\" fillcolor=\"#eddbd5\"]\n"
	"N1 -> N2 [label=\" 40\" weight=41 penwidth=3 color=\"#b22a00\" tooltip=\"a\\\"b\\\\c\\ld.e::f -> <>&{}|[...].x (40)\" labeltooltip=\"a\\\"b\\\\c\\ld.e::f -> <>&{}|[...].x (40)\"]\n"
	"}\n";

static const char expect_misc[] =
	"digraph \"unnamed\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"N1 [label=\"0000000000401000\\n[libc.so.6]\\n0 of 3kB (0%)\" id=\"node1\" fontsize=8 shape=box tooltip=\"0000000000401000 [libc.so.6] (3kB)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N2 [label=\"main\\nf\\nmain.go:42\\n300B (0%)\" id=\"node2\" fontsize=24 shape=box tooltip=\"main.f /src/app/main.go:42 (300B)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N3 [label=\"<unknown>\\n-50B (0%)\" id=\"node3\" fontsize=15 shape=box tooltip=\"<unknown> (-50B)\" color=\"#00b200\" fillcolor=\"#d5edd5\"]\n"
	"N1 -> N2 [label=\" 300B\\n (inline)\" tooltip=\"0000000000401000 [libc.so.6] ... main.f /src/app/main.go:42 (300B)\" labeltooltip=\"0000000000401000 [libc.so.6] ... main.f /src/app/main.go:42 (300B)\" style=\"dotted\"]\n"
	"N1 -> N3 [label=\" -50B\" tooltip=\"0000000000401000 [libc.so.6] -> <unknown> (-50B)\" labeltooltip=\"0000000000401000 [libc.so.6] -> <unknown> (-50B)\"]\n"
	"}\n";

static const char expect_misc2[] =
	"digraph \"t\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"N1 [label=\"main\\ng\\n-0.25ms (25.00%)\\nof -1ms (100%)\" id=\"node1\" fontsize=18 shape=box tooltip=\"main.g (-1ms)\" color=\"#00b200\" fillcolor=\"#d5edd5\"]\n"
	"N2 [label=\"main\\nh\\n-0.75ms (75.00%)\" id=\"node2\" fontsize=24 shape=box tooltip=\"main.h (-0.75ms)\" color=\"#0eb200\" fillcolor=\"#d7edd5\"]\n"
	"N1 -> N2 [label=\" -0.75ms\" weight=76 penwidth=4 color=\"#0eb200\" tooltip=\"main.g -> main.h (-0.75ms)\" labeltooltip=\"main.g -> main.h (-0.75ms)\"]\n"
	"}\n";

static const char expect_ratio[] =
	"digraph \"unnamed\" {\n"
	"node [style=filled fillcolor=\"#f8f8f8\"]\n"
	"N1 [label=\"main\\na\\n1.50ms (75.00%)\\nof 2ms (100%)\" id=\"node1\" fontsize=24 shape=box tooltip=\"main.a (2ms)\" color=\"#b20000\" fillcolor=\"#edd5d5\"]\n"
	"N2 [label=\"main\\nb\\n500us (25.00%)\" id=\"node2\" fontsize=18 shape=box tooltip=\"main.b (500us)\" color=\"#b23c00\" fillcolor=\"#edddd5\"]\n"
	"N1 -> N2 [label=\" 500us\" weight=26 penwidth=2 color=\"#b23c00\" tooltip=\"main.a -> main.b (500us)\" labeltooltip=\"main.a -> main.b (500us)\"]\n"
	"}\n";

/* ---- building graphs by hand ---- */

static cv_graph *new_graph(void)
{
	cv_arena *a = cv_arena_new();
	assert_non_null(a);
	cv_graph *g = cv_arena_alloc(a, sizeof(*g));
	g->arena = a;
	g->nodes = cv_arena_calloc(a, MAX_NODES, sizeof(cv_node *));
	return g;
}

static void free_graph(cv_graph *g)
{
	cv_arena_free(g->arena);
}

static cv_node *add_node(cv_graph *g, const char *name, int64_t flat, int64_t cum)
{
	assert_true(g->n_nodes < MAX_NODES);
	cv_node *n = cv_arena_alloc(g->arena, sizeof(*n));
	n->info = (cv_node_info){.name = name, .orig_name = "", .file = "",
				 .objfile = ""};
	n->flat = flat;
	n->cum = cum;
	n->in = cv_arena_calloc(g->arena, MAX_EDGES, sizeof(cv_edge *));
	n->out = cv_arena_calloc(g->arena, MAX_EDGES, sizeof(cv_edge *));
	n->id = (uint32_t)g->n_nodes;
	g->nodes[g->n_nodes++] = n;
	return n;
}

static cv_edge *add_edge(cv_graph *g, cv_node *src, cv_node *dest, int64_t w,
			 bool residual, bool is_inline)
{
	assert_true(src->n_out < MAX_EDGES && dest->n_in < MAX_EDGES);
	cv_edge *e = cv_arena_alloc(g->arena, sizeof(*e));
	*e = (cv_edge){.src = src, .dest = dest, .weight = w,
		       .residual = residual, .is_inline = is_inline};
	src->out[src->n_out++] = e;
	dest->in[dest->n_in++] = e;
	return e;
}

static cv_tag *tags(cv_graph *g, size_t n)
{
	return cv_arena_calloc(g->arena, n, sizeof(cv_tag));
}

static cv_tag label_tag(const char *name, int64_t flat, int64_t cum)
{
	return (cv_tag){.name = name, .unit = "", .flat = flat, .cum = cum};
}

static cv_tag num_tag(const char *name, int64_t value, int64_t flat, int64_t cum)
{
	return (cv_tag){.name = name, .unit = "bytes", .value = value,
			.flat = flat, .cum = cum};
}

/* Not inlined: GCC 12 then takes the pointers into the returned text for
 * pointers to this function's local and warns (-Wdangling-pointer). */
static __attribute__((noinline)) char *dot(const cv_graph *g, const cv_dot_config *cfg)
{
	char *s = NULL;
	size_t len = 0;
	int rc = cv_render_dot_string(&s, &len, g, cfg);
	if (rc != 0)
		fail_msg("cv_render_dot_string: %d %s", rc, cv_error_last());
	assert_int_equal(len, strlen(s));
	return s;
}

/* The first line of `text` containing `needle`, for readable failures. */
static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing %s\nin:\n%s", needle, text);
}

/* ---- the graphs ---- */

static const char *basic_labels[] = {
	"File: prog", "Type: cpu",
	"Showing nodes accounting for 10s, 100% of 10s total",
};

static const cv_dot_config basic_cfg = {
	.title = "prog", .labels = basic_labels, .n_labels = 3,
	.total = 10000000000, .sample_unit = "nanoseconds",
	.output_unit = "minimum",
};

/* main.main -> Query (8s) -> mallocgc (2s, inlined); main ... Cache (2s). */
static cv_graph *basic_graph(void)
{
	cv_graph *g = new_graph();
	cv_node *main_ = add_node(g, "main.main", 0, 10000000000);
	main_->info.file = "/src/main.go";
	cv_node *query = add_node(g, "github.com/acme/pkg/v2/store.(*DB).Query",
				  6000000000, 8000000000);
	cv_node *malloc_ = add_node(g, "runtime.mallocgc", 2000000000, 2000000000);
	cv_node *cache = add_node(g, "(anonymous namespace)::ns::Cache::lookup<int>()",
				  2000000000, 2000000000);
	/* out of order on purpose: the writer sorts edges by weight */
	add_edge(g, main_, cache, 2000000000, true, false);
	add_edge(g, main_, query, 8000000000, false, false);
	add_edge(g, query, malloc_, 2000000000, false, true);
	return g;
}

static void test_basic_graph_matches_pprof(void **state)
{
	cv_graph *g = basic_graph();
	char *s = dot(g, &basic_cfg);
	assert_string_equal(s, expect_basic);
	free(s);
	free_graph(g);
}

static void test_render_dot_to_stream(void **state)
{
	cv_graph *g = basic_graph();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(cv_render_dot(f, g, &basic_cfg), 0);
	fclose(f);
	assert_string_equal(buf, expect_basic);
	free(buf);
	free_graph(g);
}

static void test_node_labels_and_font_sizes(void **state)
{
	cv_graph *g = basic_graph();
	char *s = dot(g, &basic_cfg);
	/* short name split at dots, flat (flat%), then "of cum (cum%)" */
	assert_has(s, "N2 [label=\"store\\n(*DB)\\nQuery\\n6s (60.00%)\\nof 8s (80.00%)\"");
	/* no flat: "0 of ..." on one line; the file's base name is kept whole */
	assert_has(s, "N1 [label=\"main\\nmain\\nmain.go\\n0 of 10s (100%)\"");
	/* cum == flat: a single value line */
	assert_has(s, "N3 [label=\"runtime\\nmallocgc\\n2s (20.00%)\" id=\"node3\"");
	/* C++: namespaces dropped, class and method on their own lines */
	assert_has(s, "N4 [label=\"Cache\\nlookup<int>\\n2s (20.00%)\"");
	/* 8 + ceil(16 * sqrt(flat / max flat)) */
	assert_has(s, "id=\"node1\" fontsize=8 ");
	assert_has(s, "id=\"node2\" fontsize=24 ");
	assert_has(s, "id=\"node3\" fontsize=18 ");
	/* the full name in the tooltip */
	assert_has(s, "tooltip=\"github.com/acme/pkg/v2/store.(*DB).Query (8s)\"");
	free(s);
	free_graph(g);
}

static void test_edges(void **state)
{
	cv_graph *g = basic_graph();
	char *s = dot(g, &basic_cfg);
	char *heavy = strstr(s, "N1 -> N2 ");
	char *inl = strstr(s, "N2 -> N3 ");
	char *resid = strstr(s, "N1 -> N4 ");
	assert_non_null(heavy);
	assert_non_null(inl);
	assert_non_null(resid);
	/* heaviest first, ties by source then destination name */
	assert_true(heavy < inl && inl < resid);
	assert_has(heavy, "[label=\" 8s\" weight=81 penwidth=5 color=\"#b20b00\" "
		   "tooltip=\"main.main /src/main.go -> "
		   "github.com/acme/pkg/v2/store.(*DB).Query (8s)\"");
	assert_has(inl, "[label=\" 2s\\n (inline)\" weight=21 penwidth=2");
	assert_has(resid, "tooltip=\"main.main /src/main.go ... (anonymous "
		   "namespace)::ns::Cache::lookup<int>() (2s)\"");
	assert_has(resid, "style=\"dotted\"]\n");
	free(s);
	free_graph(g);
}

static void test_colors_match_pprof(void **state)
{
	static const struct {
		double score;
		const char *fg, *bg;
	} want[] = {
		{0.0, "#b2b2b2", "#ededed"},  {0.05, "#b2a085", "#edeae7"},
		{0.1, "#b28559", "#ede7e1"},  {0.19, "#b24b08", "#eddfd6"},
		{0.2, "#b24400", "#edded5"},  {0.5, "#b22100", "#edd9d5"},
		{0.8, "#b20b00", "#edd6d5"},  {1.0, "#b20000", "#edd5d5"},
		{-0.3, "#36b200", "#dcedd5"}, {-1.0, "#00b200", "#d5edd5"},
		{2.0, "#b20000", "#edd5d5"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char c[8];
		cv_dot_color(c, want[i].score, false);
		assert_string_equal(c, want[i].fg);
		cv_dot_color(c, want[i].score, true);
		assert_string_equal(c, want[i].bg);
	}
}

static void test_legend(void **state)
{
	cv_graph *g = basic_graph();
	char *s = dot(g, &basic_cfg);
	assert_has(s, "subgraph cluster_L { \"File: prog\" [shape=box fontsize=16 "
		   "label=\"File: prog\\lType: cpu\\lShowing nodes accounting for "
		   "10s, 100% of 10s total\\l\" tooltip=\"prog\"] }\n");
	free(s);

	cv_dot_config cfg = basic_cfg;
	cfg.n_labels = 0;
	cfg.title = NULL;
	s = dot(g, &cfg);
	assert_null(strstr(s, "cluster_L"));
	assert_true(strncmp(s, "digraph \"unnamed\" {\n", 20) == 0);
	free(s);
	free_graph(g);
}

/* Two nodes: an inner one with string and numeric tags, and a leaf with
 * seven numeric tags that collapse into four ranges. */
static cv_graph *tagged_graph(void)
{
	cv_graph *g = new_graph();
	cv_node *alloc = add_node(g, "main.alloc", 524288, 1048576);
	cv_node *leaf = add_node(g, "main.leaf", 524288, 524288);
	add_edge(g, alloc, leaf, 524288, false, false);

	alloc->label_tags = tags(g, 5);
	alloc->n_label_tags = 5;
	alloc->label_tags[0] = label_tag("e:5", 10, 10);
	alloc->label_tags[1] = label_tag("b:2", 200000, 200000);
	alloc->label_tags[2] = label_tag("a:1", 300000, 600000);
	alloc->label_tags[3] = label_tag("c:3", 0, 100000);
	alloc->label_tags[4] = label_tag("d:4", 24288, 24288);

	alloc->numeric_tags = cv_arena_calloc(g->arena, 2, sizeof(cv_tag_group));
	alloc->n_numeric_tags = 2;
	cv_tag *under_a = tags(g, 2);
	under_a[0] = num_tag("1kB", 1024, 37856, 37856);
	under_a[1] = num_tag("64kB", 65536, 262144, 262144);
	alloc->numeric_tags[0] = (cv_tag_group){"a:1", under_a, 2};
	cv_tag *plain = tags(g, 1);
	plain[0] = num_tag("2MB", 2097152, 1000, 2000);
	alloc->numeric_tags[1] = (cv_tag_group){"", plain, 1};

	static const struct { const char *name; int64_t v, flat, cum; } nt[] = {
		{"1kB", 1024, 100000, 100000},   {"2kB", 2048, 90000, 90000},
		{"4kB", 4096, 80000, 80000},     {"8kB", 8192, 70000, 70000},
		{"1MB", 1048576, 60000, 60000},  {"3kB", 3072, 50000, 50000},
		{"2MB", 2097152, 40000, 50000},
	};
	cv_tag *lt = tags(g, 7);
	for (size_t i = 0; i < 7; i++)
		lt[i] = num_tag(nt[i].name, nt[i].v, nt[i].flat, nt[i].cum);
	leaf->numeric_tags = cv_arena_calloc(g->arena, 1, sizeof(cv_tag_group));
	leaf->n_numeric_tags = 1;
	leaf->numeric_tags[0] = (cv_tag_group){"", lt, 7};
	return g;
}

static void test_nodelets_match_pprof(void **state)
{
	cv_graph *g = tagged_graph();
	cv_dot_config cfg = {.title = "heap", .total = 1048576,
			     .sample_unit = "bytes", .output_unit = "minimum"};
	char *s = dot(g, &cfg);
	assert_string_equal(s, expect_tags);
	/* at most four string tags, heaviest flat first on an inner node */
	assert_null(strstr(s, "\"c:3\""));
	/* collapsed numeric ranges; a leaf shows cum, dotted when != flat */
	assert_has(s, "NN2_0 [label = \"8kB..2MB\"");
	assert_has(s, "N2 -> NN2_0 [label=\" 175.78kB\" weight=100 tooltip=\"175.78kB\" "
		   "labeltooltip=\"175.78kB\" style=\"dotted\"]");
	/* edges out of a node with tag boxes are pushed further away */
	assert_has(s, "minlen=2]\n");
	free(s);
	free_graph(g);
}

static void test_hostile_names_escaped_like_pprof(void **state)
{
	cv_graph *g = new_graph();
	cv_node *a = add_node(g, "a\"b\\c\nd.e::f", 60, 100);
	cv_node *b = add_node(g, "<>&{}|[...].x", 40, 40);
	add_edge(g, a, b, 40, false, false);
	const char *labels[] = {"Type: \"quoted\" \\\nnext"};
	cv_dot_config cfg = {.title = "prog", .labels = labels, .n_labels = 1,
			     .total = 100, .sample_unit = "count",
			     .output_unit = "minimum"};
	char *s = dot(g, &cfg);
	assert_string_equal(s, expect_hostile);

	char *svg = NULL;
	size_t len = 0;
	assert_int_equal(cv_render_layout(&svg, &len, s, "svg"), 0);
	assert_non_null(strstr(svg, "<svg"));
	free(svg);
	free(s);
	free_graph(g);
}

/* Where pprof prints text unescaped its DOT would break; ours stays valid. */
static void test_unescaped_fields_stay_valid(void **state)
{
	cv_graph *g = new_graph();
	cv_node *a = add_node(g, "main.f", 5, 10);
	a->info.file = "/src/q\"uote.go";
	a->info.lineno = 3;
	cv_node *b = add_node(g, "main.g", 5, 5);
	b->info.file = "/src/end\\";
	add_edge(g, a, b, 5, false, false);
	a->label_tags = tags(g, 2);
	a->n_label_tags = 2;
	a->label_tags[0] = label_tag("k\\", 3, 3);
	a->label_tags[1] = label_tag("h\"x", 2, 2);
	cv_dot_config cfg = {.title = "a\"b\\", .total = 10,
			     .sample_unit = "count", .output_unit = "minimum"};
	char *s = dot(g, &cfg);
	{
		const char *head = "digraph \"a\\\"b\\\\\" {\n";
		assert_true(strncmp(s, head, strlen(head)) == 0);
	}
	assert_has(s, "q\\\"uote.go:3\\n");
	assert_has(s, "end\\\\n5 (50.00%)");   /* pprof's own bytes */
	assert_has(s, "[label = \"k\\\\\" id=");
	assert_has(s, "[label = \"h\\\"x\" id=");

	char *svg = NULL;
	size_t len = 0;
	assert_int_equal(cv_render_layout(&svg, &len, s, "svg"), 0);
	free(svg);
	free(s);
	free_graph(g);
}

static void test_addresses_objfiles_means_no_total(void **state)
{
	cv_graph *g = new_graph();
	cv_node *lib = add_node(g, "", 0, 3072);
	lib->info.address = 0x401000;
	lib->info.objfile = "/usr/lib/libc.so.6";
	cv_node *f = add_node(g, "main.f", 900, 900);
	f->flat_div = f->cum_div = 3;
	f->info.file = "/src/app/main.go";
	f->info.lineno = 42;
	cv_node *unknown = add_node(g, "", -50, -50);
	cv_edge *e = add_edge(g, lib, f, 900, true, true);
	e->weight_div = 3;
	add_edge(g, lib, unknown, -50, false, false);
	cv_dot_config cfg = {.total = 0, .sample_unit = "bytes",
			     .output_unit = "minimum"};
	char *s = dot(g, &cfg);
	assert_string_equal(s, expect_misc);
	free(s);
	free_graph(g);
}

static void test_negative_total(void **state)
{
	cv_graph *g = new_graph();
	cv_node *a = add_node(g, "main.g", -250000, -1000000);
	cv_node *b = add_node(g, "main.h", -750000, -750000);
	add_edge(g, a, b, -750000, false, false);
	cv_dot_config cfg = {.title = "t", .total = -1000000,
			     .sample_unit = "nanoseconds", .output_unit = "ms"};
	char *s = dot(g, &cfg);
	assert_string_equal(s, expect_misc2);
	free(s);
	free_graph(g);
}

static void test_ratio(void **state)
{
	cv_graph *g = new_graph();
	cv_node *a = add_node(g, "main.a", 3000000, 4000000);
	cv_node *b = add_node(g, "main.b", 1000000, 1000000);
	add_edge(g, a, b, 1000000, false, false);
	cv_dot_config cfg = {.total = 4000000, .sample_unit = "nanoseconds",
			     .output_unit = "minimum", .ratio = 0.5};
	char *s = dot(g, &cfg);
	assert_string_equal(s, expect_ratio);
	free(s);
	free_graph(g);
}

static void test_empty_graph(void **state)
{
	cv_graph *g = new_graph();
	cv_dot_config cfg = {.title = "x"};
	char *s = dot(g, &cfg);
	assert_string_equal(s, "digraph \"x\" {\nnode [style=filled "
			    "fillcolor=\"#f8f8f8\"]\n}\n");
	free(s);
	free_graph(g);
}

static void test_bad_arguments(void **state)
{
	char *s = NULL;
	size_t len;
	cv_dot_config cfg = {0};
	assert_int_equal(cv_render_dot_string(&s, &len, NULL, &cfg), CV_EINVAL);
	assert_null(s);
	cv_graph *g = new_graph();
	assert_int_equal(cv_render_dot_string(&s, &len, g, NULL), CV_EINVAL);
	assert_int_equal(cv_render_dot(NULL, g, &cfg), CV_EINVAL);
	assert_int_equal(cv_render_layout(NULL, &len, "digraph{}", "svg"), CV_EINVAL);
	free_graph(g);
}

/* ---- graphviz in process ---- */

static char *layout(const char *format, size_t *len)
{
	cv_graph *g = basic_graph();
	char *s = dot(g, &basic_cfg);
	char *out = NULL;
	int rc = cv_render_layout(&out, len, s, format);
	if (rc != 0)
		fail_msg("cv_render_layout %s: %d %s", format, rc, cv_error_last());
	free(s);
	free_graph(g);
	return out;
}

static void test_layout_svg(void **state)
{
	size_t len;
	char *out = layout("svg", &len);
	assert_true(len > 100);
	assert_true(strncmp(out, "<?xml", 5) == 0);
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "<title>N1</title>"));
	assert_non_null(strstr(out, "mallocgc"));
	free(out);
}

static void test_layout_pdf(void **state)
{
	size_t len;
	char *out = layout("pdf", &len);
	assert_true(len > 100);
	assert_memory_equal(out, "%PDF", 4);
	free(out);
}

static void test_layout_png(void **state)
{
	size_t len;
	char *out = layout("png", &len);
	assert_true(len > 100);
	assert_memory_equal(out, "\x89PNG\r\n\x1a\n", 8);
	free(out);
}

/* Run fn with stderr sent into a pipe; return what it printed there. */
static char *stderr_of(void (*fn)(void))
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fds[1], 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	static char buf[4096];
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	return buf;
}

static int bad_rc, fmt_rc;
static char bad_msg[512];

static void render_bad_inputs(void)
{
	char *out = (char *)1;
	size_t len = 7;
	bad_rc = cv_render_layout(&out, &len, "digraph { a -> ; }", "svg");
	snprintf(bad_msg, sizeof(bad_msg), "%s", cv_error_last());
	assert_null(out);
	assert_int_equal(len, 0);
	fmt_rc = cv_render_layout(&out, &len, "digraph { a -> b }", "nosuchformat");
}

static void test_layout_errors(void **state)
{
	char *err = stderr_of(render_bad_inputs);
	assert_int_equal(bad_rc, CV_ERENDER);
	assert_non_null(strstr(bad_msg, "syntax error"));
	assert_null(strchr(bad_msg, '\n'));
	assert_int_equal(fmt_rc, CV_ERENDER);
	assert_non_null(strstr(cv_error_last(), "nosuchformat"));
	/* graphviz's complaints became the error, not noise on stderr */
	assert_string_equal(err, "");

	/* and the parser recovers for the next call */
	size_t len;
	char *out = layout("svg", &len);
	free(out);

	char *empty = NULL;
	assert_int_equal(cv_render_layout(&empty, &len, "", "svg"), CV_ERENDER);
}

/* Text after the first graph must not leak into the next call's parse. */
static void test_layout_reads_one_graph_per_call(void **state)
{
	char *out = NULL;
	size_t len;
	assert_int_equal(cv_render_layout(&out, &len, "digraph a { x } digraph b { y }",
					  "plain"), 0);
	assert_non_null(strstr(out, "node x "));
	free(out);
	assert_int_equal(cv_render_layout(&out, &len, "digraph c { z }", "plain"), 0);
	assert_non_null(strstr(out, "node z "));
	assert_null(strstr(out, "node y "));
	free(out);
}

static void test_format_available(void **state)
{
	assert_true(cv_render_format_available("svg"));
	assert_true(cv_render_format_available("pdf"));
	assert_true(cv_render_format_available("png"));
	assert_true(cv_render_format_available("dot"));
	assert_false(cv_render_format_available("nosuchformat"));
	assert_false(cv_render_format_available(""));
	assert_false(cv_render_format_available(NULL));
	assert_false(cv_render_format_available("x11"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_graph_matches_pprof),
		cmocka_unit_test(test_render_dot_to_stream),
		cmocka_unit_test(test_node_labels_and_font_sizes),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_colors_match_pprof),
		cmocka_unit_test(test_legend),
		cmocka_unit_test(test_nodelets_match_pprof),
		cmocka_unit_test(test_hostile_names_escaped_like_pprof),
		cmocka_unit_test(test_unescaped_fields_stay_valid),
		cmocka_unit_test(test_addresses_objfiles_means_no_total),
		cmocka_unit_test(test_negative_total),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_layout_svg),
		cmocka_unit_test(test_layout_pdf),
		cmocka_unit_test(test_layout_png),
		cmocka_unit_test(test_layout_errors),
		cmocka_unit_test(test_layout_reads_one_graph_per_call),
		cmocka_unit_test(test_format_available),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
