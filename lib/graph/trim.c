/*
 * Trimming, in go tool pprof's order: drop nodes whose cum is under
 * nodefraction of the total, order the rest, keep the top nodecount, drop
 * edges under edgefraction, and (for graphs) drop residual edges that
 * another path already explains. Each time nodes are dropped the graph is
 * rebuilt from the samples, so the frames in between become residual edges
 * with exact weights.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"
#include "graph/trie.h"
#include "util/goconv.h"
#include "util/options.h"

/* The maximum number of tag boxes per node a graph shows. */
#define MAX_NODELETS 4

/*
 * Move the nodes whose |cum| reaches the cutoff to the front, in order, and
 * the others behind them (a call tree splices those out); *kept says how
 * many are in front.
 */
static int partition_by_cutoff(cv_graph *g, int64_t cutoff, size_t *kept)
{
	size_t k = 0, d = 0;
	cv_node **dropped = malloc((g->n_nodes + 1) * sizeof(*dropped));
	if (!dropped)
		return cv_error_nomem();
	for (size_t i = 0; i < g->n_nodes; i++) {
		if (cv_abs64(g->nodes[i]->cum) >= cutoff)
			g->nodes[k++] = g->nodes[i];
		else
			dropped[d++] = g->nodes[i];
	}
	memcpy(g->nodes + k, dropped, d * sizeof(*dropped));
	free(dropped);
	*kept = k;
	return 0;
}

static int trim_edges(cv_graph *g, int64_t cutoff)
{
	return (int)cv_graph_remove_light_edges(g, cutoff);
}

/* How many of the ordered nodes fit in max_nodes, counting tag boxes in visual mode. */
static size_t top_node_count(const cv_graph *g, size_t max_nodes, bool visual)
{
	if (max_nodes > 0 && visual) {
		size_t count = 0;
		for (size_t i = 0; i < g->n_nodes; i++) {
			int tags = cv_node_count_tags(g->nodes[i]);
			if (tags > MAX_NODELETS)
				tags = MAX_NODELETS;
			count += (size_t)tags + 1;
			if (count >= max_nodes) {
				max_nodes = i + 1;
				break;
			}
		}
	}
	return max_nodes > g->n_nodes ? g->n_nodes : max_nodes;
}

/* Can e->src still reach e->dest once e is gone? Walks callers from dest. */
static bool is_redundant(const cv_graph *g, const cv_edge *e, bool *seen, cv_node **queue)
{
	graph_impl *gi = graph_of(g);
	for (size_t i = 0; i < gi->n_all; i++)
		seen[i] = false;
	size_t head = 0, tail = 0;
	seen[e->dest->id] = true;
	queue[tail++] = e->dest;
	while (head < tail) {
		cv_node *n = queue[head++];
		for (size_t i = 0; i < n->n_in; i++) {
			cv_edge *ie = n->in[i];
			if (ie == e || seen[ie->src->id])
				continue;
			if (ie->src == e->src)
				return true;
			seen[ie->src->id] = true;
			queue[tail++] = ie->src;
		}
	}
	return false;
}

static int remove_redundant_edges(cv_graph *g)
{
	graph_impl *gi = graph_of(g);
	bool *seen = malloc((gi->n_all + 1) * sizeof(*seen));
	cv_node **queue = malloc((gi->n_all + 1) * sizeof(*queue));
	if (!seen || !queue) {
		free(seen);
		free(queue);
		return cv_error_nomem();
	}
	/* Lightest edges of the last nodes go first. */
	for (size_t i = g->n_nodes; i-- > 0;) {
		cv_node *n = g->nodes[i];
		size_t count = n->n_in;
		cv_edge **in = cv_node_sorted_edges(g, n, 0);
		for (size_t j = count; in && j-- > 0;) {
			cv_edge *e = in[j];
			/* Never drop a residual edge heavier than a real call edge. */
			if (!e->residual)
				break;
			if (is_redundant(g, e, seen, queue))
				cv_graph_remove_edge(e);
		}
	}
	free(seen);
	free(queue);
	return 0;
}

/* Keep the first `keep` nodes: rebuild a graph, splice a tree. */
static int rebuild(cv_graph **g, const cv_profile *p, const cv_graph_options *o,
		   const cv_stack_trie *t, size_t keep)
{
	if (o->call_tree) {
		int rc = cv_graph_trim_tree(*g, keep);
		if (rc) {
			cv_graph_free(*g);
			*g = NULL;
		}
		return rc;
	}
	cv_graph *kept = *g, *next;
	kept->n_nodes = keep;
	int rc = cv_graph_build_with(&next, p, o, kept, t, false, NULL);
	cv_graph_free(kept);
	*g = rc ? NULL : next;
	return rc;
}

/* The sketch kept every node: now the whole graph, built as if directly. */
static int build_whole(cv_graph **g, const cv_profile *p, const cv_graph_options *o,
		       const cv_stack_trie *t)
{
	cv_graph_free(*g);
	int rc = cv_graph_build_with(g, p, o, NULL, t, false, NULL);
	if (rc)
		*g = NULL;
	return rc;
}

static int build_trimmed(cv_graph **out, cv_trim_result *res, const cv_profile *p,
			 const cv_graph_options *go, const cv_trim_options *to,
			 const cv_stack_trie *t, cv_class_count *cc)
{
	cv_trim_result r = {0};
	cv_graph *g;
	/* The node cutoff needs node values only, and big profiles lose nodes
	 * to it, so the first walk over the trie is a sketch without edges or
	 * tags; the graph is then built with the nodes the cutoff keeps. */
	bool sketch = t && !go->call_tree;
	int rc = cv_graph_build_with(&g, p, go, NULL, t, sketch, cc);
	if (rc)
		return rc;
	int64_t total;
	cv_graph_sum(g, &total, NULL);
	r.node_cutoff = cv_abs64(cv_go_int64((double)total * to->node_fraction));
	r.edge_cutoff = cv_abs64(cv_go_int64((double)total * to->edge_fraction));
	node_order order = to->visual ? ORDER_ENTROPY : to->cum_sort ? ORDER_CUM : ORDER_FLAT;

	if (r.node_cutoff > 0) {
		size_t kept = 0;
		if ((rc = partition_by_cutoff(g, r.node_cutoff, &kept))) {
			cv_graph_free(g);
			return rc;
		}
		if (kept != g->n_nodes) {
			r.dropped_nodes = (int)(g->n_nodes - kept);
			if ((rc = rebuild(&g, p, go, t, kept)))
				return rc;
			sketch = false;
		}
	}
	if (sketch && (rc = build_whole(&g, p, go, t)))
		return rc;
	r.orig_count = (int)g->n_nodes;
	cv_graph_sort(g, order);
	if (to->node_count > 0) {
		cv_graph_trim_tags(g, r.node_cutoff);
		trim_edges(g, r.edge_cutoff);
		size_t top = top_node_count(g, (size_t)to->node_count, to->visual);
		if (top != g->n_nodes) {
			if ((rc = rebuild(&g, p, go, t, top)))
				return rc;
			cv_graph_sort(g, order);
		}
	}
	cv_graph_trim_tags(g, r.node_cutoff);
	r.dropped_edges = trim_edges(g, r.edge_cutoff);
	if (to->visual && (rc = remove_redundant_edges(g))) {
		cv_graph_free(g);
		return rc;
	}
	*out = g;
	if (res)
		*res = r;
	return 0;
}

bool cv_graph_walks_trie_first(const cv_profile *p, const cv_graph_options *o)
{
	return !o->call_tree && (o->no_tags || !cv_graph_tags_need_order(p));
}

/* The samples' stack trie is made once for the 1-3 builds trimming does. */
int cv_graph_build_trimmed_counting(cv_graph **out, cv_trim_result *res,
				    const cv_profile *p, const cv_graph_options *go,
				    const cv_trim_options *to, cv_class_count *cc)
{
	cv_stack_trie *t = NULL;
	int rc = !cv_graph_walks_trie_first(p, go)
			 ? 0
			 : cv_stack_trie_build(&t, p, go->sample_index, cv_graph_mean_index(go),
					       !go->no_tags);
	if (rc == 0)
		rc = build_trimmed(out, res, p, go, to, t, cc);
	cv_stack_trie_free(t);
	return rc;
}

int cv_graph_build_trimmed(cv_graph **out, cv_trim_result *res,
			   const cv_profile *p, const cv_graph_options *go,
			   const cv_trim_options *to)
{
	int vrc = CV_OPTIONS_CHECK(go, CV_GRAPH_OPTIONS_VERSION, "cv_graph_options");
	if (vrc == 0)
		vrc = CV_OPTIONS_CHECK(to, CV_TRIM_OPTIONS_VERSION, "cv_trim_options");
	if (vrc)
		return vrc;
	return cv_graph_build_trimmed_counting(out, res, p, go, to, NULL);
}
