/*
 * The graph from the stack trie: a depth-first walk that keeps, for every
 * graph node and edge, how often it occurs on the path from the root. A
 * trie node adds its subtree's value to the cum of a graph node (the weight
 * of an edge) only where that count is zero, the outermost occurrence:
 * each sample counts once per node and edge however deep it recurses, as
 * in pprof, and the work is per trie node, not per frame of every sample.
 */
#include <stdlib.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"
#include "graph/trie.h"

/* One trie node on the walk's path, with what to undo when leaving it. */
typedef struct step {
	uint32_t end;           /* preorder index past the trie node's subtree */
	size_t node_mark, edge_mark; /* undo log lengths on entry */
	node_impl *parent;      /* innermost kept frame above and at this node */
	bool residual;          /* dropped frames since `parent` */
} step;

typedef struct walker {
	graph_impl *g;
	const loc_nodes *map;
	const cv_stack_trie *t;
	const tag_sample *ts;   /* labels of the current root, NULL if none */
	step *stack;
	size_t n_stack, cap_stack;
	node_impl **node_log;   /* nodes whose `active` this path raised */
	size_t n_node_log, cap_node_log;
	edge_impl **edge_log;
	size_t n_edge_log, cap_edge_log;
} walker;

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 256;
	while (nc < need)
		nc *= 2;
	void *n = realloc(*arr, nc * elem);
	if (!n)
		return CV_ENOMEM;
	*arr = n;
	*cap = nc;
	return 0;
}

/*
 * An edge's marks come from the samples' first crossings: residual if any
 * crossed dropped nodes, inline only if all reached the callee inlined.
 */
static void count_edge(edge_impl *e, const cv_trie_node *tn, bool residual, bool is_inline)
{
	if (!e->seen) {
		e->seen = 1;
		e->pub.residual = residual;
		e->pub.is_inline = is_inline;
	} else {
		e->pub.residual |= residual;
		e->pub.is_inline &= is_inline;
	}
	e->pub.weight_div += tn->dw;
	e->pub.weight += tn->w;
}

/* Enter trie node tn: its location's frames, outermost first. */
static int enter(walker *w, step *s, const cv_trie_node *tn)
{
	const loc_nodes *ln = &w->map[tn->loc];
	s->node_mark = w->n_node_log;
	s->edge_mark = w->n_edge_log;
	if (grow((void **)&w->node_log, &w->cap_node_log, w->n_node_log + ln->count,
		 sizeof(*w->node_log)) ||
	    grow((void **)&w->edge_log, &w->cap_edge_log, w->n_edge_log + ln->count,
		 sizeof(*w->edge_log)))
		return CV_ENOMEM;
	for (size_t k = ln->count; k-- > 0;) {
		node_impl *n = ln->nodes[k];
		if (!n) {
			s->residual = true;
			continue;
		}
		if (n->active++ == 0 && cv_graph_node_add(w->g, n, w->ts, tn->dw, tn->w, false))
			return CV_ENOMEM;
		w->node_log[w->n_node_log++] = n;
		if (s->parent && s->parent != n && !w->g->values_only) {
			edge_impl *e = cv_graph_edge(w->g, s->parent, n);
			if (!e)
				return CV_ENOMEM;
			if (e->active++ == 0)
				count_edge(e, tn, s->residual, k != ln->count - 1);
			w->edge_log[w->n_edge_log++] = e;
		}
		s->parent = n;
		s->residual = false;
	}
	/* Samples ending here: the flat value, unless their leaf was dropped. */
	if (tn->n_self && s->parent && !s->residual)
		return cv_graph_node_add(w->g, s->parent, w->ts, tn->self_dw, tn->self_w, true);
	return 0;
}

static void leave(walker *w, const step *s)
{
	while (w->n_node_log > s->node_mark)
		w->node_log[--w->n_node_log]->active--;
	while (w->n_edge_log > s->edge_mark)
		w->edge_log[--w->n_edge_log]->active--;
}

/*
 * The nodes are in preorder, so the walk is one pass over the array: the
 * path is a stack of steps, and a step whose subtree ended is left.
 */
static int walk(walker *w, const cv_profile *p, const cv_graph_options *o)
{
	const cv_stack_trie *t = w->t;
	uint32_t root = 0;
	tag_sample ts;
	for (uint32_t i = 0; i < t->n_nodes; i++) {
		const cv_trie_node *tn = &t->nodes[i];
		while (w->n_stack && w->stack[w->n_stack - 1].end <= i)
			leave(w, &w->stack[--w->n_stack]);
		if (grow((void **)&w->stack, &w->cap_stack, w->n_stack + 1, sizeof(*w->stack)))
			return CV_ENOMEM;
		step *s = &w->stack[w->n_stack++];
		if (tn->loc == CV_TRIE_ROOT) {
			/* A new label set: its tags for every node below. */
			const cv_sample *rs = t->root_sample[root++];
			int tagged = rs && !w->g->values_only
				     ? cv_graph_tag_sample(&ts, w->g->pub.arena, rs, o) : 0;
			if (tagged < 0)
				return CV_ENOMEM;
			w->ts = tagged ? &ts : NULL;
			*s = (step){.end = tn->end, .node_mark = w->n_node_log,
				    .edge_mark = w->n_edge_log};
			continue;
		}
		*s = (step){.end = tn->end, .parent = s[-1].parent, .residual = s[-1].residual};
		int rc = enter(w, s, tn);
		if (rc)
			return rc;
	}
	return 0;
}

int cv_graph_walk_trie(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
		       const loc_nodes *map, const cv_stack_trie *t)
{
	walker w = {.g = g, .map = map, .t = t};
	int rc = walk(&w, p, o);
	free(w.stack);
	free(w.node_log);
	free(w.edge_log);
	return rc;
}
