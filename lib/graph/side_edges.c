/*
 * Edges counted apart from the graph, by a trie walk on a second thread
 * (walk.c): the graph's own edge table and edge lists are the first
 * walk's alone. Afterwards they join the graph in the order they were
 * made, as if one walk had gone on into the second half's trees.
 */
#include <stdlib.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"
#include "util/index_table.h"

typedef struct side_made {
	uint32_t src, dest;
	edge_impl *e;
} side_made;

struct side_edges {
	cv_arena *arena;        /* the edges: pointers stay put as the table grows */
	side_made *made;        /* in order of making */
	size_t n, cap;
	uint32_t *slots;        /* open addressing: index + 1 into made */
	size_t mask;
};

side_edges *cv_side_edges_new(void)
{
	side_edges *s = calloc(1, sizeof(*s));
	if (s && !(s->arena = cv_arena_new())) {
		free(s);
		return NULL;
	}
	return s;
}

void cv_side_edges_free(side_edges *s)
{
	if (!s)
		return;
	cv_arena_free(s->arena);
	free(s->made);
	free(s->slots);
	free(s);
}

static size_t side_hash(uint32_t src, uint32_t dest)
{
	uint64_t k = ((uint64_t)src << 32) | dest;
	k *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(k >> 29);
}

static uint64_t made_hash(const void *ctx, size_t k)
{
	const side_made *m = &((const side_edges *)ctx)->made[k];
	return side_hash(m->src, m->dest);
}

static int grow(side_edges *s)
{
	size_t cap = s->slots ? (s->mask + 1) * 2 : 1024;
	side_made *made = cv_realloc_array(s->made, cap / 2, sizeof(*made));
	if (!made)
		return cv_error_nomem();
	s->made = made;
	if (cv_index_table_rebuild(&s->slots, &s->mask, cap, s->n, made_hash, s))
		return cv_error_nomem();
	s->cap = cap / 2;
	return 0;
}

edge_impl *cv_side_edge(side_edges *s, uint32_t src, uint32_t dest)
{
	if (s->n == s->cap && grow(s))
		return NULL;
	size_t i = side_hash(src, dest) & s->mask;
	for (; s->slots[i]; i = (i + 1) & s->mask) {
		const side_made *m = &s->made[s->slots[i] - 1];
		if (m->src == src && m->dest == dest)
			return m->e;
	}
	edge_impl *e = cv_arena_calloc(s->arena, 1, sizeof(*e));
	if (!e)
		return NULL;
	s->made[s->n] = (side_made){src, dest, e};
	s->slots[i] = (uint32_t)++s->n;
	return e;
}

int cv_side_edges_merge(graph_impl *g, const side_edges *s)
{
	for (size_t k = 0; k < s->n; k++) {
		const side_made *m = &s->made[k];
		edge_impl *e = cv_graph_edge_by_id(g, m->src, m->dest);
		if (!e)
			return cv_error_nomem();
		if (!e->seen) {
			e->seen = 1;
			e->pub.residual = m->e->pub.residual;
			e->pub.is_inline = m->e->pub.is_inline;
		} else {
			e->pub.residual |= m->e->pub.residual;
			e->pub.is_inline &= m->e->pub.is_inline;
		}
		e->pub.weight += m->e->pub.weight;
		e->pub.weight_div += m->e->pub.weight_div;
	}
	return 0;
}
