/*
 * The graph from the stack trie: one pass over its nodes in preorder. A
 * sample counts once toward a graph node's cum (an edge's weight) however
 * deep it recurses, as in pprof: at the node's outermost occurrence on its
 * path. In preorder a trie node's subtree is the index range [i, end), so
 * each graph node (and edge) keeps the end of its latest outermost
 * occurrence: a trie node before that end lies inside it and adds nothing;
 * one past it is outermost, adds its subtree's value and becomes the
 * occurrence. No counts to raise on the way down and undo on the way up:
 * the path is kept only for each step's caller and its residual mark.
 * The work is per trie node, not per frame of every sample.
 *
 * The walk visits every trie node (millions on big profiles) and touches
 * a graph node at each, so what it touches is kept small and dense: node
 * ids per location instead of pointers, and each node's occurrence end
 * and running sums in arrays by id, added to the nodes once at the end.
 *
 * A trie built in two halves (trie.c) is walked by two walkers at once,
 * one per half, where no tags are wanted (tags go into the graph as the
 * walk goes): the second keeps its own sums and edges (side_edges.c),
 * added to the graph when both are done.
 *
 * Asked to (class_count.h), the first walk of a trimmed build also counts
 * samples per class of locations for the hotspot shares: each step carries
 * the classes of its path, and a node whose location adds one adds its
 * subtree's samples to that class.
 */
#include <stdlib.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"
#include "graph/trie.h"
#include "util/task.h"

#define NO_NODE UINT32_MAX

/* A graph node's state during the walk. */
typedef struct hot_node {
	uint32_t occurrence_end; /* end of the trie subtree it was last counted at */
	int64_t cum, cum_div, flat, flat_div;
} hot_node;

/* One trie node on the walk's path. */
typedef struct step {
	uint32_t end;           /* preorder index past the trie node's subtree */
	uint32_t parent;        /* innermost kept frame above and at this node */
	bool residual;          /* dropped frames since `parent` */
	uint64_t classes;       /* of the locations on the path (class_count.h) */
} step;

/* The location map as node ids, shared by the walkers. */
typedef struct flat_map {
	uint32_t *loc_first;    /* location i's node ids: ids[loc_first[i], loc_first[i + 1]) */
	uint32_t *ids;          /* innermost frame first; NO_NODE: not kept */
} flat_map;

typedef struct walker {
	graph_impl *g;
	const cv_stack_trie *t;
	const cv_graph_options *o;
	const uint32_t *loc_first, *ids; /* a flat_map's */
	uint32_t from, to;      /* the trie nodes it walks */
	uint32_t first_root;    /* the root_sample of the first root among them */
	side_edges *side;       /* its edges, if not the graph's own */
	int rc;
	hot_node *hot;          /* by node id */
	const tag_sample *ts;   /* labels of the current root, NULL if none */
	step *stack;
	size_t cap_stack;
	const uint64_t *masks;  /* class masks by location, when counting classes */
	cv_hotspot_share *sums; /* this walker's counts per class */
} walker;

static int grow_stack(walker *w, size_t need)
{
	return CV_GROW(w->stack, w->cap_stack, need, 256);
}

/* The dense form of the location map. */
static int flatten_map(flat_map *f, const cv_profile *p, const loc_nodes *map)
{
	size_t total = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		total += map[i].count;
	f->loc_first = malloc((p->n_locations + 1) * sizeof(*f->loc_first));
	f->ids = malloc((total + 1) * sizeof(*f->ids));
	if (!f->loc_first || !f->ids || total >= UINT32_MAX)
		return cv_error_nomem();
	uint32_t at = 0;
	for (size_t i = 0; i < p->n_locations; i++) {
		f->loc_first[i] = at;
		for (uint32_t k = 0; k < map[i].count; k++)
			f->ids[at++] = map[i].nodes[k] ? map[i].nodes[k]->pub.id : NO_NODE;
	}
	f->loc_first[p->n_locations] = at;
	return 0;
}

/* The walks' sums, into the nodes (no tags: those went in as it went). */
static void settle_nodes(graph_impl *g, const walker *w, int n)
{
	for (size_t i = 0; i < g->n_all; i++) {
		hot_node h = w[0].hot[i];
		if (n == 2) {
			h.cum += w[1].hot[i].cum;
			h.cum_div += w[1].hot[i].cum_div;
			h.flat += w[1].hot[i].flat;
			h.flat_div += w[1].hot[i].flat_div;
		}
		if (h.cum || h.cum_div)
			cv_graph_node_add(g, g->all[i], NULL, h.cum_div, h.cum, false);
		if (h.flat || h.flat_div)
			cv_graph_node_add(g, g->all[i], NULL, h.flat_div, h.flat, true);
	}
}

/*
 * An edge's marks come from the samples' first crossings: residual if any
 * crossed dropped nodes, inline only if all reached the callee inlined.
 */
static void count_edge(edge_impl *e, int64_t w, int64_t dw, bool residual, bool is_inline)
{
	if (!e->seen) {
		e->seen = 1;
		e->pub.residual = residual;
		e->pub.is_inline = is_inline;
	} else {
		e->pub.residual |= residual;
		e->pub.is_inline &= is_inline;
	}
	e->pub.weight_div += dw;
	e->pub.weight += w;
}

static int add_value(walker *w, uint32_t id, int64_t dw, int64_t v, bool flat)
{
	hot_node *h = &w->hot[id];
	if (flat) {
		h->flat += v;
		h->flat_div += dw;
	} else {
		h->cum += v;
		h->cum_div += dw;
	}
	return w->ts ? cv_node_add_tags(w->g, w->g->all[id], w->ts, dw, v, flat) : 0;
}

/*
 * Enter trie node i below step s: its location's frames, outermost first,
 * each counted where it is outermost (see the top of this file).
 */
static int enter(walker *w, step *s, uint32_t i)
{
	const cv_trie_node *tn = &w->t->nodes[i];
	int64_t dw = w->t->div ? w->t->div[i].dw : 0;
	const uint32_t *ids = w->ids + w->loc_first[tn->loc];
	uint32_t count = w->loc_first[tn->loc + 1] - w->loc_first[tn->loc];
	bool edges = !w->g->values_only;
	for (uint32_t k = count; k-- > 0;) {
		uint32_t id = ids[k];
		if (id == NO_NODE) {
			s->residual = true;
			continue;
		}
		hot_node *h = &w->hot[id];
		if (h->occurrence_end <= i) {
			h->occurrence_end = tn->end;
			if (add_value(w, id, dw, tn->w, false))
				return cv_error_nomem();
		}
		if (edges && s->parent != NO_NODE && s->parent != id) {
			edge_impl *e = w->side ? cv_side_edge(w->side, s->parent, id)
					       : cv_graph_edge_by_id(w->g, s->parent, id);
			if (!e)
				return cv_error_nomem();
			if (e->occurrence_end <= i) {
				e->occurrence_end = tn->end;
				count_edge(e, tn->w, dw, s->residual, k != count - 1);
			}
		}
		s->parent = id;
		s->residual = false;
	}
	/* Samples ending here: the flat value, unless their leaf was dropped. */
	if (tn->n_self && s->parent != NO_NODE && !s->residual)
		return add_value(w, s->parent, w->t->div ? w->t->div[i].self_dw : 0,
				 tn->self_w, true);
	return 0;
}

/* The classes trie node tn brings to its path: the samples of its whole
 * subtree are theirs, counted here once (class_count.h). */
static void count_classes(walker *w, step *s, const cv_trie_node *tn)
{
	uint64_t fresh = w->masks[tn->loc] & ~s->classes;
	s->classes |= fresh;
	for (; fresh; fresh &= fresh - 1) {
		cv_hotspot_share *c = &w->sums[__builtin_ctzll(fresh)];
		c->value += tn->w;
		c->samples += tn->n;
		c->any |= tn->n != 0;  /* the trie holds no zero-valued sample */
	}
}

/*
 * The nodes are in preorder, so the walk is one pass over the array: the
 * path is a stack of steps, and a step whose subtree ended is left.
 */
static int walk(walker *w)
{
	const cv_stack_trie *t = w->t;
	uint32_t root = w->first_root;
	size_t depth = 0;
	tag_sample ts;
	for (uint32_t i = w->from; i < w->to; i++) {
		const cv_trie_node *tn = &t->nodes[i];
		while (depth && w->stack[depth - 1].end <= i)
			depth--;
		if (depth == w->cap_stack && grow_stack(w, depth + 1))
			return cv_error_nomem();
		step *s = &w->stack[depth++];
		if (tn->loc == CV_TRIE_ROOT) {
			/* A new label set: its tags for every node below. */
			const cv_sample *rs = t->root_sample[root++];
			int tagged = rs && !w->g->values_only
				     ? cv_graph_tag_sample(&ts, w->g->pub.arena, rs, w->o) : 0;
			if (tagged < 0)
				return cv_error_nomem();
			w->ts = tagged ? &ts : NULL;
			*s = (step){.end = tn->end, .parent = NO_NODE};
			continue;
		}
		*s = (step){.end = tn->end, .parent = s[-1].parent, .residual = s[-1].residual,
			    .classes = s[-1].classes};
		if (w->masks)
			count_classes(w, s, tn);
		int rc = enter(w, s, i);
		if (rc)
			return rc;
	}
	return 0;
}

static void walk_task(void *arg)
{
	walker *w = arg;
	w->rc = walk(w);
}

static void walker_free(walker *w)
{
	free(w->hot);
	free(w->stack);
	free(w->sums);
	cv_side_edges_free(w->side);
}

static void add_class_counts(cv_class_count *cc, const walker *w, int n)
{
	for (int k = 0; k < n; k++)
		for (size_t c = 0; c < cc->n; c++) {
			cc->sums[c].value += w[k].sums[c].value;
			cc->sums[c].samples += w[k].sums[c].samples;
			cc->sums[c].any |= w[k].sums[c].any;
		}
	cc->counted = true;
}

/* The walkers: one for the whole trie, or one per half where no walk
 * adds tags (only a walk on the caller's thread may touch the graph). */
static int make_walkers(walker *w, graph_impl *g, const cv_graph_options *o,
			const cv_stack_trie *t, const flat_map *f, const uint64_t *masks)
{
	bool no_tags = g->values_only || o->no_tags;
	int n = t->second < t->n_nodes && no_tags ? 2 : 1;
	for (int k = 0; k < n; k++) {
		w[k] = (walker){.g = g, .t = t, .o = o, .loc_first = f->loc_first,
				.ids = f->ids, .from = k ? t->second : 0,
				.to = n == 2 && k == 0 ? t->second : t->n_nodes,
				.first_root = k ? t->second_root : 0};
		w[k].hot = calloc(g->n_all + 1, sizeof(*w[k].hot));
		if (!w[k].hot || (k && !g->values_only && !(w[k].side = cv_side_edges_new())))
			return cv_error_nomem();
		if (masks && !(w[k].sums = calloc(g->classes->n + 1, sizeof(*w[k].sums))))
			return cv_error_nomem();
		w[k].masks = masks;
	}
	return n;
}

int cv_graph_walk_trie(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
		       const loc_nodes *map, const cv_stack_trie *t)
{
	flat_map f = {0};
	walker w[2] = {{0}};
	int n = 0;
	cv_class_count *cc = g->classes;
	/* A divisor's samples may have no value: counts are of values only. */
	const uint64_t *masks = cc && !o->mean ? cc->masks(cc->ctx) : NULL;
	int rc = flatten_map(&f, p, map);
	if (rc == 0 && (n = make_walkers(w, g, o, t, &f, masks)) < 0)
		rc = cv_error_nomem();
	if (rc == 0) {
		cv_task_run_pair(walk_task, &w[0], n == 2 ? &w[1] : NULL);
		rc = w[0].rc;
		/* The second walker's message was set on its own thread. */
		if (rc == 0 && n == 2 && w[1].rc)
			rc = w[1].rc == CV_ENOMEM ? cv_error_nomem() : w[1].rc;
	}
	if (rc == 0)
		settle_nodes(g, w, n);
	if (rc == 0 && n == 2 && w[1].side)
		rc = cv_side_edges_merge(g, w[1].side);
	if (rc == 0 && masks)
		add_class_counts(cc, w, n);
	for (int k = 0; k < 2; k++)
		walker_free(&w[k]);
	free(f.loc_first);
	free(f.ids);
	return rc;
}
