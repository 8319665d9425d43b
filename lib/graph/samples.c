/*
 * The graph straight from the samples, one after the other, for profiles
 * whose numeric "bytes" labels become tags: a tag keeps the value of the
 * first sample that names it, so there the order of samples shows in the
 * output and the stack trie's walk (walk.c), which visits them in another
 * order, is not exact. Each sample adds its value once to the cum of every
 * node on its stack and once to every edge, however often it recurses.
 */
#include <string.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"

/*
 * The first time a sample crosses an edge, its value and marks count: an
 * edge is residual if any sample crossed dropped nodes on it, and inline
 * only if every sample reached the callee through inlining.
 */
static void count_edge(edge_impl *e, uint32_t stamp, int64_t dw, int64_t w,
		       bool residual, bool is_inline)
{
	if (e->seen == 0) {
		e->pub.residual = residual;
		e->pub.is_inline = is_inline;
	} else {
		e->pub.residual |= residual;
		e->pub.is_inline &= is_inline;
	}
	e->seen = stamp;
	e->pub.weight_div += dw;
	e->pub.weight += w;
}

/* Add one sample's frames: cum once per node, weight once per edge. */
static int add_sample(graph_impl *g, const cv_sample *s, uint32_t stamp,
		      const loc_nodes *map, const tag_sample *ts, int64_t dw, int64_t w)
{
	node_impl *parent = NULL;
	bool residual = false;
	for (size_t i = s->n_locs; i-- > 0;) {
		const loc_nodes *ln = &map[s->locs[i]];
		for (size_t k = ln->count; k-- > 0;) {
			node_impl *n = ln->nodes[k];
			if (!n) {
				residual = true;
				continue;
			}
			if (n->seen != stamp) {
				n->seen = stamp;
				if (cv_graph_node_add(g, n, ts, dw, w, false))
					return cv_error_nomem();
			}
			if (parent && parent != n) {
				bool is_inline = k != ln->count - 1;
				edge_impl *e = cv_graph_edge(g, parent, n);
				if (!e)
					return cv_error_nomem();
				if (e->seen != stamp)
					count_edge(e, stamp, dw, w, residual, is_inline);
			}
			parent = n;
			residual = false;
		}
	}
	if (parent && !residual)
		return cv_graph_node_add(g, parent, ts, dw, w, true);
	return 0;
}

int cv_graph_add_samples(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
			 const loc_nodes *map)
{
	uint32_t stamp = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t w = s->values[o->sample_index];
		int64_t dw = o->mean ? s->values[0] : 0;
		if (w == 0 && dw == 0)
			continue;
		tag_sample ts;
		int tagged = cv_graph_tag_sample(&ts, g->pub.arena, s, o);
		if (tagged < 0)
			return cv_error_nomem();
		if (++stamp == 0)
			stamp = 1; /* wrapped: a stale stamp of 0 never equals 1.. */
		rc = add_sample(g, s, stamp, map, tagged ? &ts : NULL, dw, w);
	}
	return rc;
}

bool cv_graph_tags_need_order(const cv_profile *p)
{
	for (size_t i = 0; i < p->n_samples; i++)
		for (size_t k = 0; k < p->samples[i].n_labels; k++) {
			const cv_label *l = &p->samples[i].labels[k];
			if (!l->str && strcmp(l->key, "bytes") == 0)
				return true;
		}
	return false;
}
