/*
 * Building the call graph from samples: pprof's graph.New for the default
 * (non call-tree) mode. Each sample adds its value once to the cum of every
 * node on its stack and once to every caller->callee edge, however often the
 * stack recurses; the leaf gets the flat value.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "graph/graph_internal.h"
#include "graph/names.h"
#include "graph/trie.h"
#include "util/options.h"
#include "util/hash.h"

/* A string and a terminating 0xff, so that ("ab", "c") != ("a", "bc"). */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return cv_fnv1a_byte(cv_fnv1a_str(h, s), 0xff);
}

uint64_t cv_node_info_hash(const cv_node_info *i)
{
	uint64_t h = CV_FNV_OFFSET;
	h = hash_str(h, i->name);
	h = hash_str(h, i->orig_name);
	h = hash_str(h, i->file);
	h = hash_str(h, i->objfile);
	h = cv_hash_mix(h, i->address);
	h = cv_hash_mix(h, (uint64_t)i->start_line);
	h = cv_hash_mix(h, (uint64_t)i->lineno);
	return h;
}

int cv_node_info_equal(const cv_node_info *a, const cv_node_info *b)
{
	return a->address == b->address && a->lineno == b->lineno &&
	       a->start_line == b->start_line && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->orig_name, b->orig_name) == 0 &&
	       strcmp(a->file, b->file) == 0 && strcmp(a->objfile, b->objfile) == 0;
}

node_impl *cv_graph_find_node(graph_impl *g, const cv_node_info *info, uint64_t hash)
{
	if (!g->node_slots)
		return NULL;
	for (size_t i = hash & g->node_mask;; i = (i + 1) & g->node_mask) {
		uint32_t slot = g->node_slots[i];
		if (!slot)
			return NULL;
		node_impl *n = g->all[slot - 1];
		if (n->hash == hash && cv_node_info_equal(&n->pub.info, info))
			return n;
	}
}

static int grow_node_table(graph_impl *g)
{
	size_t cap = g->node_slots ? (g->node_mask + 1) * 2 : 256;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return cv_error_nomem();
	for (size_t k = 0; k < g->n_all; k++) {
		size_t i = g->all[k]->hash & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(g->node_slots);
	g->node_slots = slots;
	g->node_mask = cap - 1;
	return 0;
}

static node_impl *insert_node(graph_impl *g, const cv_node_info *info, uint64_t hash)
{
	if (!g->node_slots || (g->n_all + 1) * 2 > g->node_mask + 1)
		if (grow_node_table(g))
			return NULL;
	if (CV_GROW(g->all, g->cap_all, g->n_all + 1, 256))
		return NULL;
	node_impl *n = cv_arena_alloc(g->pub.arena, sizeof(*n));
	if (!n)
		return NULL;
	n->pub.info = *info;
	n->pub.id = (uint32_t)g->n_all;
	n->hash = hash;
	g->all[g->n_all++] = n;
	size_t i = hash & g->node_mask;
	while (g->node_slots[i])
		i = (i + 1) & g->node_mask;
	g->node_slots[i] = (uint32_t)g->n_all;
	return n;
}

/* The node info of one frame, with what the granularity does not keep cleared. */
void cv_graph_frame_info(cv_node_info *ni, const cv_location *loc, const cv_line *line,
			 const cv_graph_options *o, cv_arena *arena)
{
	cv_granularity gr = o->granularity;
	const char *objfile = loc->mapping ? loc->mapping->file : "";
	memset(ni, 0, sizeof(*ni));
	ni->name = ni->orig_name = ni->file = ni->objfile = "";
	ni->address = gr == CV_GRAN_ADDRESSES ? loc->address : 0;
	if (!line || !line->function) {
		ni->objfile = objfile;
		return;
	}
	const cv_function *fn = line->function;
	if (gr != CV_GRAN_FILES)
		ni->name = fn->name;
	if (gr != CV_GRAN_FUNCTIONS && fn->filename[0])
		ni->file = cv_clean_path(arena, fn->filename);
	if (gr == CV_GRAN_LINES || gr == CV_GRAN_ADDRESSES)
		ni->lineno = line->line;
	if (o->obj_names || !ni->name[0]) {
		ni->objfile = objfile;
		ni->start_line = fn->start_line;
	}
}

/*
 * At function granularity a named frame's node info is its function's
 * name and nothing else, so every frame of a function has the same node:
 * found once per function, not once per frame (hashing and comparing
 * names is most of the mapping's time). The function's index, or -1 when
 * the frame's info depends on more than its function.
 */
static ptrdiff_t node_by_function(const cv_profile *p, const cv_line *line,
				  const cv_graph_options *o)
{
	const cv_function *fn = line ? line->function : NULL;
	if (o->granularity != CV_GRAN_FUNCTIONS || o->obj_names || !fn || !fn->name[0] ||
	    !p->functions || fn < p->functions || fn >= p->functions + p->n_functions)
		return -1;
	return fn - p->functions;
}

/* The node of one frame: NULL when `kept` (with `listed`) leaves it out. */
static int frame_node(node_impl **out, graph_impl *g, const cv_location *loc,
		      const cv_line *line, const cv_graph_options *o, graph_impl *kg,
		      const bool *listed)
{
	cv_node_info ni;
	cv_graph_frame_info(&ni, loc, line, o, g->pub.arena);
	uint64_t h = cv_node_info_hash(&ni);
	*out = NULL;
	if (kg) {
		node_impl *kn = cv_graph_find_node(kg, &ni, h);
		if (!kn || !listed[kn->pub.id])
			return 0;
	}
	node_impl *n = cv_graph_find_node(g, &ni, h);
	if (!n && !(n = insert_node(g, &ni, h)))
		return cv_error_nomem();
	*out = n;
	return 0;
}

/*
 * Map every location to the nodes of its frames, outermost caller last as
 * in the profile. Nodes outside `kept` map to NULL, which later turns the
 * edges that cross them into residual edges.
 */
static int map_locations(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
			 const cv_graph *kept, loc_nodes **map)
{
	*map = cv_arena_calloc(g->pub.arena, p->n_locations + 1, sizeof(**map));
	size_t total = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		total += p->locations[i].n_lines ? p->locations[i].n_lines : 1;
	node_impl **slots = cv_arena_calloc(g->pub.arena, total + 1, sizeof(*slots));
	/* Per function: its node (NULL if not kept), once fn_done says so. */
	node_impl **fn_node = calloc(p->n_functions + 1, sizeof(*fn_node));
	bool *fn_done = calloc(p->n_functions + 1, sizeof(*fn_done));
	graph_impl *kg = kept ? graph_of(kept) : NULL;
	bool *listed = kg ? cv_arena_calloc(g->pub.arena, kg->n_all + 1, sizeof(*listed)) : NULL;
	int rc = !*map || !slots || !fn_node || !fn_done || (kg && !listed)
			 ? cv_error_nomem() : 0;
	for (size_t i = 0; rc == 0 && kg && i < kept->n_nodes; i++)
		listed[kept->nodes[i]->id] = true;
	for (size_t i = 0; rc == 0 && i < p->n_locations; i++) {
		const cv_location *loc = &p->locations[i];
		size_t nl = loc->n_lines, from = 0;
		if (o->no_inlines && nl > 1)
			from = nl - 1;
		size_t used = nl ? nl - from : 1;
		(*map)[i].nodes = slots;
		(*map)[i].count = (uint32_t)used;
		for (size_t k = 0; rc == 0 && k < used; k++) {
			const cv_line *line = nl ? &loc->lines[from + k] : NULL;
			ptrdiff_t f = node_by_function(p, line, o);
			if (f >= 0 && fn_done[f]) {
				slots[k] = fn_node[f];
				continue;
			}
			rc = frame_node(&slots[k], g, loc, line, o, kg, listed);
			if (f >= 0) {
				fn_node[f] = slots[k];
				fn_done[f] = true;
			}
		}
		slots += used;
	}
	free(fn_node);
	free(fn_done);
	return rc;
}

/* pprof's joinLabels: "key:value" pairs, sorted, joined by a literal \n. */
static const char *join_labels(cv_arena *a, const cv_sample *s)
{
	const char *parts[64];
	size_t n = 0, len = 0;
	for (size_t i = 0; i < s->n_labels && n < 64; i++) {
		const cv_label *l = &s->labels[i];
		/* The diff-base marker is bookkeeping, never shown as a tag. */
		if (!l->str || strcmp(l->key, "pprof::base") == 0)
			continue;
		char *kv = cv_arena_printf(a, "%s:%s", l->key, l->str);
		if (!kv)
			return NULL;
		parts[n++] = kv;
		len += strlen(kv) + 2;
	}
	if (n == 0)
		return "";
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(parts[j - 1], parts[j]) > 0; j--) {
			const char *t = parts[j];
			parts[j] = parts[j - 1];
			parts[j - 1] = t;
		}
	char *out = cv_arena_alloc(a, len + 1), *w = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			*w++ = '\\';
			*w++ = 'n';
		}
		size_t l = strlen(parts[i]);
		memcpy(w, parts[i], l);
		w += l;
	}
	*w = '\0';
	return out;
}

static bool sample_has_labels(const cv_sample *s)
{
	return s->n_labels != 0;
}

static bool is_negative(const cv_node *n)
{
	return n->flat < 0 || (n->flat == 0 && n->cum < 0);
}

/* pprof's selectNodesForGraph: nodes that carry any value. */
static int select_nodes(graph_impl *g, bool drop_negative)
{
	g->pub.nodes = malloc((g->n_all + 1) * sizeof(*g->pub.nodes));
	if (!g->pub.nodes)
		return cv_error_nomem();
	size_t n = 0;
	for (size_t i = 0; i < g->n_all; i++) {
		cv_node *nd = &g->all[i]->pub;
		if (nd->cum == 0 && nd->flat == 0)
			continue;
		if (drop_negative && is_negative(nd))
			continue;
		g->pub.nodes[n++] = nd;
	}
	g->pub.n_nodes = n;
	return 0;
}

static bool wants_tags(const cv_sample *s)
{
	return sample_has_labels(s);
}

int cv_graph_node_add(graph_impl *g, node_impl *n, const tag_sample *ts,
		      int64_t dw, int64_t w, bool flat)
{
	if (flat) {
		n->pub.flat_div += dw;
		n->pub.flat += w;
	} else {
		n->pub.cum_div += dw;
		n->pub.cum += w;
	}
	return ts ? cv_node_add_tags(g, n, ts, dw, w, flat) : 0;
}

int cv_graph_tag_sample(tag_sample *ts, cv_arena *a, const cv_sample *s,
			const cv_graph_options *o)
{
	if (o->no_tags || !wants_tags(s))
		return 0;
	ts->labels = join_labels(a, s);
	if (!ts->labels)
		return cv_error_nomem();
	ts->nums = s->labels;
	ts->n_nums = s->n_labels;
	ts->tag_unit = o->tag_unit && o->tag_unit[0] ? o->tag_unit : "bytes";
	ts->output_unit = o->output_unit && o->output_unit[0] ? o->output_unit : "minimum";
	return 1;
}

/*
 * pprof's newGraph: one node per distinct frame info, shared by all paths,
 * valued by a walk over the samples' stack trie (walk.c), built here
 * unless the caller shares one across rebuilds.
 */
static int build_graph(graph_impl *g, const cv_profile *p, const cv_graph_options *o,
		       const cv_graph *kept, const cv_stack_trie *t)
{
	loc_nodes *map = NULL;
	int rc = map_locations(g, p, o, kept, &map);
	if (rc)
		return rc;
	if (!t && !o->no_tags && cv_graph_tags_need_order(p))
		return cv_graph_add_samples(g, p, o, map);
	cv_stack_trie *own = NULL;
	if (!t && (rc = cv_stack_trie_build(&own, p, o->sample_index, cv_graph_mean_index(o),
					    !o->no_tags)))
		return rc;
	rc = cv_graph_walk_trie(g, p, o, map, t ? t : own);
	cv_stack_trie_free(own);
	return rc;
}

int cv_graph_build_with(cv_graph **out, const cv_profile *p, const cv_graph_options *o,
			const cv_graph *kept, const cv_stack_trie *t, bool values_only,
			cv_class_count *classes)
{
	*out = NULL;
	graph_impl *g = calloc(1, sizeof(*g));
	if (!g || !(g->pub.arena = cv_arena_new())) {
		free(g);
		return cv_error_nomem();
	}
	g->values_only = values_only;
	g->classes = classes;
	int rc = o->call_tree ? cv_graph_build_tree(g, p, o) : build_graph(g, p, o, kept, t);
	if (rc == 0 && select_nodes(g, o->drop_negative))
		rc = cv_error_nomem();
	if (rc) {
		cv_graph_free(&g->pub);
		if (rc == CV_ENOMEM)
			return cv_error_nomem();
		return rc;
	}
	*out = &g->pub;
	return 0;
}

int cv_graph_build(cv_graph **out, const cv_profile *p,
		   const cv_graph_options *o, const cv_graph *kept)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_GRAPH_OPTIONS_VERSION, "cv_graph_options");
	if (vrc)
		return vrc;
	return cv_graph_build_with(out, p, o, kept, NULL, false, NULL);
}

void cv_graph_free(cv_graph *pg)
{
	if (!pg)
		return;
	graph_impl *g = graph_of(pg);
	for (size_t i = 0; i < g->n_all; i++) {
		cv_node *n = &g->all[i]->pub;
		free(n->in);
		free(n->out);
		for (size_t k = 0; k < n->n_numeric_tags; k++)
			free(n->numeric_tags[k].tags);
		free(n->numeric_tags);
		free(n->label_tags);
	}
	free(g->all);
	free(g->node_slots);
	free(g->edge_slots);
	free(g->pub.nodes);
	cv_arena_free(g->pub.arena);
	free(g);
}

void cv_graph_sum(const cv_graph *g, int64_t *flat, int64_t *cum)
{
	/* Flat values fit (the decoder refuses value sums over 64 bits), but
	 * cum counts a sample once per node of its stack: wrap as Go does
	 * rather than overflow. */
	uint64_t f = 0, c = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		f += (uint64_t)g->nodes[i]->flat;
		c += (uint64_t)g->nodes[i]->cum;
	}
	if (flat)
		*flat = (int64_t)f;
	if (cum)
		*cum = (int64_t)c;
}

int64_t cv_node_flat(const cv_node *n)
{
	return n->flat_div ? n->flat / n->flat_div : n->flat;
}

int64_t cv_node_cum(const cv_node *n)
{
	return n->cum_div ? n->cum / n->cum_div : n->cum;
}

int64_t cv_edge_weight(const cv_edge *e)
{
	return e->weight_div ? e->weight / e->weight_div : e->weight;
}
