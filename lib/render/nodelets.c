/*
 * Tag boxes ("nodelets") in pprof's style. Which tags get a box, in which
 * order and under which id follows pprof exactly, including its quirks:
 * a skipped zero-weight tag still uses up its index, and numeric boxes
 * take their parent's id with another "N" in front ("NN3_0_1").
 */
#include "render/nodelets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/units.h"
#include "render/dot_style.h"
#include "util/goconv.h"

#define MAX_NODELETS 4
#define RANGE_MAX (2 * CV_DOT_VALUE_MAX + 4)

static const char *str(const char *s)
{
	return s ? s : "";
}

/* pprof's tag order: heavier first (cum unless flat), then by name. */
static bool tag_less(const cv_tag *a, const cv_tag *b, bool flat)
{
	if (!flat && a->cum != b->cum)
		return cv_abs64(a->cum) > cv_abs64(b->cum);
	if (a->flat != b->flat)
		return cv_abs64(a->flat) > cv_abs64(b->flat);
	return strcmp(str(a->name), str(b->name)) < 0;
}

/* Insertion sort: what Go's sort.Sort does for the short lists here. */
static void sort_tags(const cv_tag **t, size_t n, bool flat)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && tag_less(t[j], t[j - 1], flat); j--) {
			const cv_tag *tmp = t[j];
			t[j] = t[j - 1];
			t[j - 1] = tmp;
		}
}

static double tag_distance(const cv_tag *t, const cv_tag *u)
{
	const char *unit;
	double v = cv_unit_scale(u->value, str(u->unit), str(t->unit), &unit);
	double tv = (double)t->value;
	return v < tv ? tv - v : v - tv;
}

/* Name and weight of a group of numeric tags: "min..max" of the values. */
static void group_summary(cv_tag *out, char *name, const cv_tag **g, size_t n)
{
	const char *unit;
	char lo[CV_DOT_VALUE_MAX], hi[CV_DOT_VALUE_MAX];
	if (n == 1) {
		cv_unit_label(name, RANGE_MAX, g[0]->value, str(g[0]->unit), "auto");
		out->flat = cv_dot_div(g[0]->flat, g[0]->flat_div);
		out->cum = cv_dot_div(g[0]->cum, g[0]->cum_div);
		return;
	}
	const cv_tag *min = g[0], *max = g[0];
	uint64_t f = (uint64_t)min->flat, df = (uint64_t)min->flat_div;
	uint64_t c = (uint64_t)min->cum, dc = (uint64_t)min->cum_div;
	for (size_t i = 1; i < n; i++) {
		const cv_tag *t = g[i];
		double v = cv_unit_scale(t->value, str(t->unit), str(min->unit), &unit);
		if (cv_go_int64(v) < min->value)
			min = t;
		v = cv_unit_scale(t->value, str(t->unit), str(max->unit), &unit);
		if (cv_go_int64(v) > max->value)
			max = t;
		f += (uint64_t)t->flat;
		df += (uint64_t)t->flat_div;
		c += (uint64_t)t->cum;
		dc += (uint64_t)t->cum_div;
	}
	out->flat = cv_dot_div((int64_t)f, (int64_t)df);
	out->cum = cv_dot_div((int64_t)c, (int64_t)dc);
	/* tags keep their own unit: scaled to the report's they'd read "0..0" */
	cv_unit_label(lo, sizeof(lo), min->value, str(min->unit), "auto");
	cv_unit_label(hi, sizeof(hi), max->value, str(max->unit), "auto");
	snprintf(name, RANGE_MAX, "%s..%s", lo, hi);
}

/*
 * pprof's collapsedTags: with more than MAX_NODELETS tags, the heaviest
 * ones seed groups and every other tag joins the seed nearest in value.
 * Sorts t[] in place; returns the count left in t[], which may then point
 * into `groups`.
 */
static size_t collapse(const cv_tag **t, size_t n, bool flat,
		       cv_tag groups[MAX_NODELETS],
		       char names[MAX_NODELETS][RANGE_MAX])
{
	sort_tags(t, n, flat);
	if (n <= MAX_NODELETS)
		return n;
	const cv_tag **members = malloc(n * sizeof(*members));
	int *owner = malloc(n * sizeof(*owner));
	if (!members || !owner) {
		free(members);
		free(owner);
		return MAX_NODELETS; /* fall back to the top tags, uncollapsed */
	}
	for (size_t k = 0; k < n; k++) {
		int best = k < MAX_NODELETS ? (int)k : 0;
		if (k >= MAX_NODELETS) {
			double d = tag_distance(t[k], t[0]);
			for (int i = 1; i < MAX_NODELETS; i++) {
				double nd = tag_distance(t[k], t[i]);
				if (nd < d) {
					best = i;
					d = nd;
				}
			}
		}
		owner[k] = best;
	}
	for (int i = 0; i < MAX_NODELETS; i++) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (owner[k] == i)
				members[m++] = t[k];
		groups[i] = (cv_tag){.name = names[i], .unit = ""};
		group_summary(&groups[i], names[i], members, m);
	}
	free(members);
	free(owner);
	for (int i = 0; i < MAX_NODELETS; i++)
		t[i] = &groups[i];
	sort_tags(t, MAX_NODELETS, flat);
	return MAX_NODELETS;
}

static void put_box(cv_strbuf *sb, const char *id, const char *name,
		    const char *weight)
{
	cv_strbuf_printf(sb, "%s [label = \"", id);
	cv_dot_repair(sb, name, true);
	cv_strbuf_printf(sb, "\" id=\"%s\" fontsize=8 shape=box3d tooltip=\"%s\"]\n",
			 id, weight);
}

static void put_link(cv_strbuf *sb, const char *from, const char *to,
		     const char *weight, const char *extra)
{
	cv_strbuf_printf(sb, "%s -> %s [label=\" %s\" weight=100 tooltip=\"%s\" "
			 "labeltooltip=\"%s\"%s]\n", from, to, weight, weight,
			 weight, extra);
}

static bool numeric_nodelets(cv_strbuf *sb, const cv_tag **t, size_t n,
			     bool flat_tags, const char *source,
			     const cv_dot_config *cfg)
{
	cv_tag groups[MAX_NODELETS];
	char names[MAX_NODELETS][RANGE_MAX];
	bool wrote = false;
	n = collapse(t, n, flat_tags, groups, names);
	for (size_t j = 0; j < n; j++) {
		int64_t fv = cv_dot_div(t[j]->flat, t[j]->flat_div);
		int64_t w = cv_dot_div(t[j]->cum, t[j]->cum_div);
		const char *extra = " style=\"dotted\"";
		if (flat_tags || fv == w) {
			w = fv;
			extra = "";
		}
		if (w == 0)
			continue;
		char weight[CV_DOT_VALUE_MAX], id[64];
		cv_dot_value(weight, sizeof(weight), w, cfg);
		snprintf(id, sizeof(id), "N%s_%zu", source, j);
		put_box(sb, id, str(t[j]->name), weight);
		put_link(sb, source, id, weight, extra);
		wrote = true;
	}
	return wrote;
}

/* The numeric tags filed under string label `labels`, or NULL if none. */
static const cv_tag **numeric_tags_for(const cv_node *n, const char *labels,
				       size_t *count)
{
	size_t total = 0;
	for (size_t i = 0; i < n->n_numeric_tags; i++)
		if (strcmp(str(n->numeric_tags[i].labels), labels) == 0)
			total += n->numeric_tags[i].n_tags;
	*count = total;
	if (total == 0)
		return NULL;
	const cv_tag **t = malloc(total * sizeof(*t));
	if (!t)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n->n_numeric_tags; i++) {
		const cv_tag_group *grp = &n->numeric_tags[i];
		if (strcmp(str(grp->labels), labels) != 0)
			continue;
		for (size_t j = 0; j < grp->n_tags; j++)
			t[k++] = &grp->tags[j];
	}
	return t;
}

static bool numeric_under(cv_strbuf *sb, const cv_node *n, const char *labels,
			  bool flat_tags, const char *source,
			  const cv_dot_config *cfg)
{
	size_t count;
	const cv_tag **t = numeric_tags_for(n, labels, &count);
	if (!t) {
		if (count)
			sb->failed = true;
		return false;
	}
	bool wrote = numeric_nodelets(sb, t, count, flat_tags, source, cfg);
	free(t);
	return wrote;
}

static bool label_nodelets(cv_strbuf *sb, const cv_node *n, int id,
			   bool flat_tags, const cv_dot_config *cfg)
{
	size_t count = n->n_label_tags;
	if (count == 0)
		return false;
	const cv_tag **t = malloc(count * sizeof(*t));
	if (!t) {
		sb->failed = true;
		return false;
	}
	for (size_t i = 0; i < count; i++)
		t[i] = &n->label_tags[i];
	sort_tags(t, count, flat_tags);
	bool wrote = false;
	for (size_t i = 0; i < count && i < MAX_NODELETS; i++) {
		int64_t w = flat_tags ? cv_dot_div(t[i]->flat, t[i]->flat_div)
				      : cv_dot_div(t[i]->cum, t[i]->cum_div);
		if (w == 0)
			continue;
		char weight[CV_DOT_VALUE_MAX], box[64], parent[32];
		cv_dot_value(weight, sizeof(weight), w, cfg);
		snprintf(box, sizeof(box), "N%d_%zu", id, i);
		snprintf(parent, sizeof(parent), "N%d", id);
		put_box(sb, box, str(t[i]->name), weight);
		put_link(sb, parent, box, weight, "");
		numeric_under(sb, n, str(t[i]->name), flat_tags, box, cfg);
		wrote = true;
	}
	free(t);
	return wrote;
}

bool cv_dot_nodelets(cv_strbuf *sb, const cv_node *n, int id,
		     const cv_dot_config *cfg)
{
	/* Leaves show cum tags, which include the weight of trimmed callees;
	 * inner nodes show flat ones. */
	bool flat_tags = n->n_out > 0;
	char self[32];
	snprintf(self, sizeof(self), "N%d", id);
	bool wrote = label_nodelets(sb, n, id, flat_tags, cfg);
	if (numeric_under(sb, n, "", flat_tags, self, cfg))
		wrote = true;
	return wrote;
}
