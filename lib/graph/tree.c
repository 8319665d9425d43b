/*
 * Call trees (-call_tree): pprof's newTree and TrimTree. Unlike the graph,
 * a node stands for a function *in one calling context*: the same frame
 * reached from two different parents is two nodes, so every node has at
 * most one caller. Values are not de-duplicated under recursion, because
 * a recursive call is a deeper node, not the same one.
 *
 * Trimming cannot rebuild from the samples (the kept set names nodes, not
 * frames); a dropped node is spliced out instead, its children hanging off
 * its parent by residual edges.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"

/* A frame's node info and hash, computed once per location. */
typedef struct frame_key {
	cv_node_info info;
	uint64_t hash;
} frame_key;

typedef struct loc_keys {
	frame_key *keys;        /* innermost frame first, as in the location */
	uint32_t count;
} loc_keys;

/* Children by (parent, info): open addressing over node ids. */
typedef struct child_map {
	uint32_t *slots;        /* node id + 1, 0 empty */
	uint32_t *parent;       /* per node id: parent id + 1, 0 for roots */
	size_t mask, count, cap_parent;
} child_map;

static uint64_t child_hash(uint32_t parent, uint64_t info_hash)
{
	uint64_t h = info_hash ^ ((uint64_t)parent * 0x9e3779b97f4a7c15ULL);
	h ^= h >> 29;
	return h * 0xbf58476d1ce4e5b9ULL;
}

static int grow_slots(child_map *m, graph_impl *g)
{
	size_t cap = m->slots ? (m->mask + 1) * 2 : 1024;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return cv_error_nomem();
	for (size_t k = 0; k < g->n_all; k++) {
		size_t i = child_hash(m->parent[k], g->all[k]->hash) & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->mask = cap - 1;
	return 0;
}

static node_impl *new_node(graph_impl *g, child_map *m, const frame_key *fk,
			   uint32_t parent)
{
	if (g->n_all == g->cap_all) {
		size_t cap = cv_grow_cap(g->cap_all, g->cap_all + 1, 256);
		if (!cap)
			return NULL;
		node_impl **all = cv_realloc_array(g->all, cap, sizeof(*all));
		if (all)
			g->all = all;
		uint32_t *par = all ? cv_realloc_array(m->parent, cap, sizeof(*par)) : NULL;
		if (par)
			m->parent = par;
		if (!all || !par)
			return NULL;
		g->cap_all = cap;
	}
	node_impl *n = cv_arena_alloc(g->pub.arena, sizeof(*n));
	if (!n)
		return NULL;
	n->pub.info = fk->info;
	n->pub.id = (uint32_t)g->n_all;
	n->hash = fk->hash;
	m->parent[g->n_all] = parent;
	g->all[g->n_all++] = n;
	return n;
}

/* The child of `parent` (0 = no parent, else id + 1) for this frame. */
static node_impl *child(graph_impl *g, child_map *m, uint32_t parent, const frame_key *fk)
{
	uint64_t h = child_hash(parent, fk->hash);
	for (size_t i = m->slots ? h & m->mask : 0; m->slots; i = (i + 1) & m->mask) {
		uint32_t slot = m->slots[i];
		if (!slot)
			break;
		node_impl *n = g->all[slot - 1];
		if (m->parent[slot - 1] == parent && n->hash == fk->hash &&
		    cv_node_info_equal(&n->pub.info, &fk->info))
			return n;
	}
	if ((!m->slots || (g->n_all + 1) * 2 > m->mask + 1) && grow_slots(m, g))
		return NULL;
	node_impl *n = new_node(g, m, fk, parent);
	if (!n)
		return NULL;
	size_t i = h & m->mask;
	while (m->slots[i])
		i = (i + 1) & m->mask;
	m->slots[i] = n->pub.id + 1;
	return n;
}

/* Every location's frames as node keys; -noinlines keeps the outermost. */
static loc_keys *location_keys(graph_impl *g, const cv_profile *p, const cv_graph_options *o)
{
	cv_arena *a = g->pub.arena;
	loc_keys *lk = cv_arena_calloc(a, p->n_locations + 1, sizeof(*lk));
	if (!lk)
		return NULL;
	for (size_t i = 0; i < p->n_locations; i++) {
		const cv_location *loc = &p->locations[i];
		size_t nl = loc->n_lines, from = o->no_inlines && nl > 1 ? nl - 1 : 0;
		size_t used = nl ? nl - from : 1;
		lk[i].keys = cv_arena_calloc(a, used, sizeof(*lk[i].keys));
		if (!lk[i].keys)
			return NULL;
		lk[i].count = (uint32_t)used;
		for (size_t k = 0; k < used; k++) {
			frame_key *fk = &lk[i].keys[k];
			cv_graph_frame_info(&fk->info, loc, nl ? &loc->lines[from + k] : NULL, o, a);
			fk->hash = cv_node_info_hash(&fk->info);
		}
	}
	return lk;
}

/* Walk one sample from the root down, creating its path of nodes. */
static int add_path(graph_impl *g, child_map *m, const loc_keys *lk, const cv_sample *s,
		    const tag_sample *ts, int64_t dw, int64_t w)
{
	node_impl *parent = NULL;
	for (size_t i = s->n_locs; i-- > 0;) {
		const loc_keys *l = &lk[s->locs[i]];
		for (size_t k = l->count; k-- > 0;) {
			node_impl *n = child(g, m, parent ? parent->pub.id + 1 : 0, &l->keys[k]);
			if (!n || cv_graph_node_add(g, n, ts, dw, w, false))
				return cv_error_nomem();
			if (parent) {
				edge_impl *e = cv_graph_edge(g, parent, n);
				if (!e)
					return cv_error_nomem();
				/* inline only if every sample reached n by inlining */
				bool is_inline = k != l->count - 1;
				e->pub.is_inline = e->seen ? e->pub.is_inline && is_inline : is_inline;
				e->seen = 1;
				e->pub.weight_div += dw;
				e->pub.weight += w;
			}
			parent = n;
		}
	}
	if (parent && cv_graph_node_add(g, parent, ts, dw, w, true))
		return cv_error_nomem();
	return 0;
}

int cv_graph_build_tree(graph_impl *g, const cv_profile *p, const cv_graph_options *o)
{
	child_map m = {0};
	loc_keys *lk = location_keys(g, p, o);
	int rc = lk ? 0 : cv_error_nomem();
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t w = s->values[o->sample_index];
		int64_t dw = o->mean ? s->values[0] : 0;
		if (w == 0 && dw == 0)
			continue;
		tag_sample ts;
		int tagged = cv_graph_tag_sample(&ts, g->pub.arena, s, o);
		rc = tagged < 0 ? cv_error_nomem() : add_path(g, &m, lk, s, tagged ? &ts : NULL, dw, w);
	}
	free(m.slots);
	free(m.parent);
	return rc;
}

static void unlink(cv_edge **list, size_t *n, const cv_edge *e)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i] == e) {
			memmove(list + i, list + i + 1, (*n - i - 1) * sizeof(*list));
			(*n)--;
			return;
		}
}

static int append_out(cv_node *n, cv_edge *e)
{
	node_impl *ni = node_of(n);
	if (CV_GROW(n->out, ni->cap_out, n->n_out + 1, 4))
		return cv_error_nomem();
	n->out[n->n_out++] = e;
	return 0;
}

/*
 * Splice n out: its out edges start at its parent instead, residual, and
 * inline only if both calls they now stand for were inlined. A node
 * without a caller leaves its children as roots.
 */
static int splice(cv_node *n)
{
	if (n->n_in == 0) {
		for (size_t i = 0; i < n->n_out; i++)
			unlink(n->out[i]->dest->in, &n->out[i]->dest->n_in, n->out[i]);
		return 0;
	}
	cv_edge *up = n->in[0];
	cv_node *parent = up->src;
	unlink(parent->out, &parent->n_out, up);
	for (size_t i = 0; i < n->n_out; i++) {
		cv_edge *e = n->out[i];
		e->src = parent;
		e->residual = true;
		e->is_inline = up->is_inline && e->is_inline;
		if (append_out(parent, e))
			return cv_error_nomem();
	}
	return 0;
}

int cv_graph_trim_tree(cv_graph *g, size_t keep)
{
	for (size_t i = keep; i < g->n_nodes; i++)
		if (splice(g->nodes[i]))
			return cv_error_nomem();
	g->n_nodes = keep;
	return 0;
}
