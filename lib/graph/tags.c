/*
 * Node tags: the label and allocation-size boxes pprof hangs off graph
 * nodes. String labels form one tag per distinct label set; the numeric
 * "bytes" label forms one tag per printed size, grouped by label set.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/units.h"
#include "graph/graph_internal.h"

static cv_tag *find_or_add(cv_tag **tags, size_t *n, size_t *cap, cv_arena *a,
			   const char *name, const char *unit, int64_t value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*tags)[i].name, name) == 0)
			return &(*tags)[i];
	if (CV_GROW(*tags, *cap, *n + 1, 4))
		return NULL;
	cv_tag *t = &(*tags)[(*n)++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->unit = unit;
	t->value = value;
	(void)a;
	return t;
}

static void add_value(cv_tag *t, int64_t dw, int64_t w, bool flat)
{
	if (flat) {
		t->flat_div += dw;
		t->flat += w;
	} else {
		t->cum_div += dw;
		t->cum += w;
	}
}

static cv_tag_group *find_group(node_impl *n, const char *labels)
{
	cv_node *p = &n->pub;
	for (size_t i = 0; i < p->n_numeric_tags; i++)
		if (strcmp(p->numeric_tags[i].labels, labels) == 0)
			return &p->numeric_tags[i];
	if (CV_GROW(p->numeric_tags, n->cap_numeric_tags, p->n_numeric_tags + 1, 2))
		return NULL;
	cv_tag_group *gr = &p->numeric_tags[p->n_numeric_tags++];
	memset(gr, 0, sizeof(*gr));
	gr->labels = labels;
	return gr;
}

/* Group capacity lives beside the tags: the first slot past n_tags is
 * tracked by doubling from the count, which is enough for append-only use. */
static size_t group_cap(const cv_tag_group *gr)
{
	size_t cap = 4;
	while (cap < gr->n_tags)
		cap *= 2;
	return gr->n_tags ? cap : 0;
}

int cv_node_add_tags(graph_impl *g, node_impl *n, const tag_sample *ts,
		     int64_t dw, int64_t w, bool flat)
{
	cv_arena *a = g->pub.arena;
	if (ts->labels[0]) {
		cv_tag *t = find_or_add(&n->pub.label_tags, &n->pub.n_label_tags,
					&n->cap_label_tags, a, ts->labels, "", 0);
		if (!t)
			return cv_error_nomem();
		add_value(t, dw, w, flat);
	}
	for (size_t i = 0; i < ts->n_nums; i++) {
		const cv_label *l = &ts->nums[i];
		if (l->str || strcmp(l->key, "bytes") != 0)
			continue;
		cv_tag_group *gr = find_group(n, ts->labels);
		if (!gr)
			return cv_error_nomem();
		char buf[64];
		cv_unit_label(buf, sizeof(buf), l->num, ts->tag_unit, ts->output_unit);
		size_t cap = group_cap(gr);
		cv_tag *existing = NULL;
		for (size_t k = 0; k < gr->n_tags && !existing; k++)
			if (strcmp(gr->tags[k].name, buf) == 0)
				existing = &gr->tags[k];
		if (!existing) {
			char *name = cv_arena_strdup(a, buf);
			if (!name)
				return cv_error_nomem();
			existing = find_or_add(&gr->tags, &gr->n_tags, &cap, a, name,
					       ts->tag_unit, l->num);
			if (!existing)
				return cv_error_nomem();
		}
		add_value(existing, dw, w, flat);
	}
	return 0;
}

static size_t keep_tags(cv_tag *tags, size_t n, int64_t cutoff)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (cv_abs64(tags[i].flat) >= cutoff || cv_abs64(tags[i].cum) >= cutoff)
			tags[k++] = tags[i];
	return k;
}

void cv_graph_trim_tags(cv_graph *g, int64_t cutoff)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		cv_node *n = g->nodes[i];
		n->n_label_tags = keep_tags(n->label_tags, n->n_label_tags, cutoff);
		for (size_t k = 0; k < n->n_numeric_tags; k++) {
			cv_tag_group *gr = &n->numeric_tags[k];
			gr->n_tags = keep_tags(gr->tags, gr->n_tags, cutoff);
		}
	}
}

int cv_node_count_tags(const cv_node *n)
{
	int count = 0;
	for (size_t i = 0; i < n->n_label_tags; i++)
		count += n->label_tags[i].flat != 0;
	for (size_t k = 0; k < n->n_numeric_tags; k++)
		for (size_t i = 0; i < n->numeric_tags[k].n_tags; i++)
			count += n->numeric_tags[k].tags[i].flat != 0;
	return count;
}
