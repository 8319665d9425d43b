/* Edge storage: a hash table by (caller, callee) plus per-node edge lists. */
#include <stdlib.h>

#include "graph/graph_internal.h"
#include "util/hash.h"

/* The key beside the pointer: a probe compares ids without a cache miss
 * on the edge itself (the table is far bigger than the cache on big
 * profiles). */
typedef struct edge_slot {
	uint32_t src, dest;
	edge_impl *e;           /* NULL: empty */
} edge_slot;

static size_t edge_hash(uint32_t src, uint32_t dest)
{
	return (size_t)cv_hash_pair32(src, dest);
}

static int grow_edges(graph_impl *g)
{
	size_t cap = g->edge_slots ? (g->edge_mask + 1) * 2 : 512;
	edge_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return cv_error_nomem();
	for (size_t i = 0; g->edge_slots && i <= g->edge_mask; i++) {
		edge_slot *es = &g->edge_slots[i];
		if (!es->e)
			continue;
		size_t j = edge_hash(es->src, es->dest) & (cap - 1);
		while (slots[j].e)
			j = (j + 1) & (cap - 1);
		slots[j] = *es;
	}
	free(g->edge_slots);
	g->edge_slots = slots;
	g->edge_mask = cap - 1;
	return 0;
}

static int push_edge(cv_edge ***list, size_t *n, size_t *cap, cv_edge *e)
{
	if (CV_GROW(*list, *cap, *n + 1, 4))
		return cv_error_nomem();
	(*list)[(*n)++] = e;
	return 0;
}

edge_impl *cv_graph_edge_by_id(graph_impl *g, uint32_t sid, uint32_t did)
{
	size_t i = 0;
	if (g->edge_slots) {
		for (i = edge_hash(sid, did) & g->edge_mask;; i = (i + 1) & g->edge_mask) {
			edge_slot *es = &g->edge_slots[i];
			if (!es->e)
				break;
			if (es->src == sid && es->dest == did)
				return es->e;
		}
	}
	if (!g->edge_slots || (g->n_edges + 1) * 2 > g->edge_mask + 1) {
		if (grow_edges(g))
			return NULL;
		i = edge_hash(sid, did) & g->edge_mask;
		while (g->edge_slots[i].e)
			i = (i + 1) & g->edge_mask;
	}
	node_impl *src = g->all[sid], *dest = g->all[did];
	edge_impl *e = cv_arena_alloc(g->pub.arena, sizeof(*e));
	if (!e)
		return NULL;
	e->pub.src = &src->pub;
	e->pub.dest = &dest->pub;
	if (push_edge(&src->pub.out, &src->pub.n_out, &src->cap_out, &e->pub) ||
	    push_edge(&dest->pub.in, &dest->pub.n_in, &dest->cap_in, &e->pub))
		return NULL;
	g->edge_slots[i] = (edge_slot){sid, did, e};
	g->n_edges++;
	return e;
}

edge_impl *cv_graph_edge(graph_impl *g, node_impl *src, node_impl *dest)
{
	return cv_graph_edge_by_id(g, src->pub.id, dest->pub.id);
}

static void unlink_edge(cv_edge **list, size_t *n, const cv_edge *e)
{
	for (size_t i = 0; i < *n; i++) {
		if (list[i] == e) {
			/* Keep the list order: sorted views rely on a stable base. */
			for (size_t j = i + 1; j < *n; j++)
				list[j - 1] = list[j];
			(*n)--;
			return;
		}
	}
}

void cv_graph_remove_edge(cv_edge *e)
{
	unlink_edge(e->src->out, &e->src->n_out, e);
	unlink_edge(e->dest->in, &e->dest->n_in, e);
}

/* Keep the edges of a list that are not dropped, in order. Edges into
 * nodes the graph does not show are never looked at, so never dropped. */
static void keep_undropped(cv_edge **list, size_t *n)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++)
		if (!((edge_impl *)list[i])->dropped)
			list[kept++] = list[i];
	*n = kept;
}

size_t cv_graph_remove_light_edges(cv_graph *pg, int64_t cutoff)
{
	graph_impl *g = graph_of(pg);
	size_t dropped = 0;
	for (size_t i = 0; i < pg->n_nodes; i++) {
		cv_node *n = pg->nodes[i];
		for (size_t k = 0; k < n->n_in; k++) {
			edge_impl *e = (edge_impl *)n->in[k];
			e->dropped = cv_abs64(e->pub.weight) < cutoff;
			dropped += e->dropped;
		}
	}
	if (dropped == 0)
		return 0;
	for (size_t i = 0; i < g->n_all; i++) {
		keep_undropped(g->all[i]->pub.in, &g->all[i]->pub.n_in);
		keep_undropped(g->all[i]->pub.out, &g->all[i]->pub.n_out);
	}
	return dropped;
}
