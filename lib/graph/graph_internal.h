#ifndef CV_GRAPH_INTERNAL_H
#define CV_GRAPH_INTERNAL_H

#include "callviz/graph.h"
#include "graph/class_count.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/goconv.h"

/*
 * Private state behind cv_node / cv_graph. The public structs come first so
 * a cv_node * can be cast to node_impl * within lib/graph.
 */
typedef struct node_impl {
	cv_node pub;
	uint64_t hash;
	uint32_t seen;          /* sample stamp: cum counted once per sample */
	size_t cap_in, cap_out;
	size_t cap_label_tags, cap_numeric_tags;
	const char *printable;  /* cached cv_node_name */
} node_impl;

typedef struct edge_impl {
	cv_edge pub;
	uint32_t seen;          /* sample stamp: weight counted once per sample */
	uint32_t occurrence_end; /* trie walk: end of the subtree last counted at (walk.c) */
	bool dropped;           /* being removed (cv_graph_remove_light_edges) */
} edge_impl;

typedef struct graph_impl {
	cv_graph pub;
	node_impl **all;        /* every node created, kept or not */
	size_t n_all, cap_all;
	uint32_t *node_slots;   /* open addressing: index+1 into all, 0 empty */
	size_t node_mask;
	struct edge_slot *edge_slots; /* open addressing by (src id, dest id) */
	size_t edge_mask, n_edges;
	bool values_only;       /* a sketch: node values, no edges or tags */
	cv_class_count *classes; /* counted by the trie walk, if not NULL */
} graph_impl;

static inline node_impl *node_of(const cv_node *n)
{
	return (node_impl *)n;
}

static inline graph_impl *graph_of(const cv_graph *g)
{
	return (graph_impl *)g;
}

/* Node table (build.c). */
void cv_graph_frame_info(cv_node_info *ni, const cv_location *loc, const cv_line *line,
			 const cv_graph_options *o, cv_arena *arena);
uint64_t cv_node_info_hash(const cv_node_info *info);
int cv_node_info_equal(const cv_node_info *a, const cv_node_info *b);
node_impl *cv_graph_find_node(graph_impl *g, const cv_node_info *info, uint64_t hash);

/* The nodes of a location's frames, innermost first; NULL: not kept. */
typedef struct loc_nodes {
	node_impl **nodes;
	uint32_t count;
} loc_nodes;

/* The stack trie of trie.h; one serves every rebuild of a trimmed graph. */
struct cv_stack_trie;
int cv_graph_walk_trie(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
		       const loc_nodes *map, const struct cv_stack_trie *t);
/* Edges a walk on a second thread counts apart (side_edges.c), added
 * to the graph afterwards in the order they were made. */
typedef struct side_edges side_edges;
side_edges *cv_side_edges_new(void);
void cv_side_edges_free(side_edges *s);
/* Find or make the edge src -> dest (new: all zero); NULL: no memory. */
edge_impl *cv_side_edge(side_edges *s, uint32_t src, uint32_t dest);
int cv_side_edges_merge(graph_impl *g, const side_edges *s);
/* The per-sample build (samples.c), exact where sample order shows. */
int cv_graph_add_samples(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
			 const loc_nodes *map);
/* Do "bytes" labels make tags keep the first sample's value? Then no trie. */
bool cv_graph_tags_need_order(const cv_profile *p);
/*
 * cv_graph_build from a trie of p made with o's sample and mean index.
 * With values_only, a trie walk gives the nodes their flat and cum values
 * and nothing else (no edges, no tags): all that trimming needs to choose
 * the nodes it keeps before the graph is built again with them. With
 * `classes`, the walk also counts those (class_count.h).
 */
int cv_graph_build_with(cv_graph **out, const cv_profile *p, const cv_graph_options *o,
			const cv_graph *kept, const struct cv_stack_trie *t,
			bool values_only, cv_class_count *classes);

/* Edges (edges.c). */
/* Find or create the edge src -> dest (a new edge has seen == 0). */
edge_impl *cv_graph_edge(graph_impl *g, node_impl *src, node_impl *dest);
/* The same by node ids (indexes into graph_impl.all). */
edge_impl *cv_graph_edge_by_id(graph_impl *g, uint32_t src, uint32_t dest);
void cv_graph_remove_edge(cv_edge *e);
/* Remove every edge into g->nodes whose |weight| is under cutoff, in one
 * pass over the edge lists (removing them one by one is quadratic in a
 * node's edges); returns how many. The lists keep their order. */
size_t cv_graph_remove_light_edges(cv_graph *g, int64_t cutoff);

/* Tags (tags.c). */
typedef struct tag_sample {
	const char *labels;     /* joined string labels, "" if none */
	const cv_label *nums;   /* the sample's labels (numeric ones are used) */
	size_t n_nums;
	const char *tag_unit;
	const char *output_unit;
} tag_sample;
int cv_node_add_tags(graph_impl *g, node_impl *n, const tag_sample *ts,
		     int64_t dw, int64_t w, bool flat);
/* Add a sample's value (w, divisor dw) to n's flat or cum, and to its tags
 * when ts is not NULL: what every graph build does per node. */
int cv_graph_node_add(graph_impl *g, node_impl *n, const tag_sample *ts,
		      int64_t dw, int64_t w, bool flat);
/* Fill ts for sample s: 1 if it carries labels, 0 if not, CV_ENOMEM. */
int cv_graph_tag_sample(tag_sample *ts, cv_arena *a, const cv_sample *s,
			const cv_graph_options *o);
void cv_graph_trim_tags(cv_graph *g, int64_t cutoff);
int cv_node_count_tags(const cv_node *n);

/* Call trees (tree.c): pprof's newTree and TrimTree. */
int cv_graph_build_tree(graph_impl *g, const cv_profile *p, const cv_graph_options *o);
/*
 * Keep g->nodes[0, keep) and splice the others out of the tree: each
 * dropped node's children hang off its parent by residual edges.
 */
int cv_graph_trim_tree(cv_graph *g, size_t keep);

/* Ordering (order.c). */
typedef enum node_order { ORDER_FLAT, ORDER_CUM, ORDER_ENTROPY } node_order;
void cv_graph_sort(cv_graph *g, node_order order);

/* The divisor index of a graph's values: 0 with -mean, else -1. */
static inline int cv_graph_mean_index(const cv_graph_options *o)
{
	return o->mean ? 0 : -1;
}

#endif
