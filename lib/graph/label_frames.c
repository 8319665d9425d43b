/*
 * Labels as pseudo frames, pprof's -tagroot / -tagleaf (addLabelNodes):
 * for each listed key, every sample gains a frame whose function is named
 * by the sample's values for that key ("v1,v2", "" if it has none) and
 * whose file name is the key. Root keys go above the stack, the first key
 * outermost; leaf keys go below it, the last key innermost. Frames with the
 * same name and key share one function and location, numbered in the order
 * they are first needed, as pprof numbers them.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "callviz/units.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/strpair_map.h"

typedef struct key_list {
	char **keys;
	size_t n;
} key_list;

typedef struct interner {
	cv_strpair_map frames;      /* (name, key), in first-use order */
	cv_arena *strings;
} interner;

/* Split "a,,b" into {"a", "b"}: empty keys are ignored, as in pprof. */
static int split_keys(key_list *l, const char *spec)
{
	l->keys = NULL;
	l->n = 0;
	if (!spec || !spec[0])
		return 0;
	l->keys = calloc(strlen(spec) + 1, sizeof(*l->keys));
	if (!l->keys)
		return cv_error_nomem();
	for (const char *p = spec;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len && !(l->keys[l->n++] = strndup(p, len)))
			return cv_error_nomem();
		if (!c)
			return 0;
		p = c + 1;
	}
}

static void free_keys(key_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->keys[i]);
	free(l->keys);
}

/* The index of the frame (name, key), added if new; -1 when out of memory. */
static long intern(interner *in, const char *name, const char *key)
{
	long i = cv_strpair_map_find(&in->frames, name, key);
	if (i >= 0)
		return i;
	char *copy = cv_arena_strdup(in->strings, name);
	return copy ? cv_strpair_map_add(&in->frames, copy, key) : -1;
}

/* The interned frames, as cv_profile_append_frames takes them. */
static int append_frames(cv_profile *p, const cv_strpair_map *m, size_t *first)
{
	cv_frame_spec *specs = calloc(m->n + 1, sizeof(*specs));
	if (!specs)
		return cv_error_nomem();
	for (size_t i = 0; i < m->n; i++)
		specs[i] = (cv_frame_spec){m->pairs[i].a, m->pairs[i].b};
	int rc = cv_profile_append_frames(p, specs, m->n, first);
	free(specs);
	return rc;
}

/*
 * pprof's formatLabelValues: string values first, then numeric ones with
 * their units; numbers of a key written without any unit print bare.
 */
static void label_values(cv_strbuf *sb, const cv_sample *s, const char *key,
			 const char *output_unit, bool *any)
{
	bool has_unit = false;
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		if (strcmp(l->key, key) != 0)
			continue;
		if (l->str) {
			if (*any)
				cv_strbuf_putc(sb, ',');
			cv_strbuf_puts(sb, l->str);
			*any = true;
		} else if (l->num_unit[0]) {
			has_unit = true;
		}
	}
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		if (l->str || strcmp(l->key, key) != 0)
			continue;
		char buf[64];
		if (has_unit)
			cv_unit_label(buf, sizeof(buf), l->num, l->num_unit, output_unit);
		else
			cv_unit_label(buf, sizeof(buf), l->num, "", "");
		if (*any)
			cv_strbuf_putc(sb, ',');
		cv_strbuf_puts(sb, buf);
		*any = true;
	}
}

/* Intern one sample's frames for `keys`, last key first; store their indexes. */
static int sample_frames(interner *in, const cv_sample *s, const key_list *keys,
			 const char *output_unit, uint32_t *out, bool *matched)
{
	for (size_t i = 0; i < keys->n; i++) {
		const char *key = keys->keys[keys->n - 1 - i];
		cv_strbuf sb = CV_STRBUF_INIT;
		bool any = false;
		label_values(&sb, s, key, output_unit, &any);
		*matched |= any;
		long idx = cv_strbuf_failed(&sb) ? -1 : intern(in, sb.buf ? sb.buf : "", key);
		cv_strbuf_free(&sb);
		if (idx < 0)
			return cv_error_nomem();
		out[i] = (uint32_t)idx;
	}
	return 0;
}

/* Give every sample its new stack: leaf frames, the old stack, root frames. */
static int restack(cv_profile *p, const uint32_t *frames, size_t n_root, size_t n_leaf,
		   size_t first)
{
	size_t per = n_root + n_leaf;
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample *s = &p->samples[i];
		const uint32_t *roots = frames + i * per, *leaves = roots + n_root;
		uint32_t *locs = cv_arena_calloc(p->arena, s->n_locs + per, sizeof(*locs));
		if (!locs)
			return cv_error_nomem();
		size_t k = 0;
		for (size_t j = 0; j < n_leaf; j++)
			locs[k++] = (uint32_t)(first + leaves[j]);
		if (s->n_locs)
			memcpy(locs + k, s->locs, s->n_locs * sizeof(*locs));
		k += s->n_locs;
		for (size_t j = 0; j < n_root; j++)
			locs[k++] = (uint32_t)(first + roots[j]);
		s->locs = locs;
		s->n_locs = k;
	}
	return 0;
}

static int add_frames(cv_profile *p, const key_list *root, const key_list *leaf,
		      const char *output_unit, interner *in, bool *rootm, bool *leafm)
{
	size_t per = root->n + leaf->n;
	uint32_t *frames = calloc(p->n_samples * per + 1, sizeof(*frames));
	if (!frames)
		return cv_error_nomem();
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		uint32_t *f = frames + i * per;
		rc = sample_frames(in, &p->samples[i], root, output_unit, f, rootm);
		if (rc == 0)
			rc = sample_frames(in, &p->samples[i], leaf, output_unit,
					   f + root->n, leafm);
	}
	size_t first = 0;
	if (rc == 0)
		rc = append_frames(p, &in->frames, &first);
	if (rc == 0)
		rc = restack(p, frames, root->n, leaf->n, first);
	free(frames);
	return rc;
}

int cv_filter_add_label_frames(cv_profile *p, const char *root_keys, const char *leaf_keys,
			       const char *output_unit, bool *root_matched,
			       bool *leaf_matched)
{
	*root_matched = *leaf_matched = false;
	key_list root, leaf;
	interner in = {0};
	int rc = split_keys(&root, root_keys);
	if (rc == 0)
		rc = split_keys(&leaf, leaf_keys);
	else
		leaf = (key_list){0};
	if (rc == 0 && root.n + leaf.n > 0) {
		in.strings = cv_arena_new();
		rc = in.strings ? add_frames(p, &root, &leaf,
					     output_unit ? output_unit : "minimum",
					     &in, root_matched, leaf_matched)
				: cv_error_nomem();
	}
	free_keys(&root);
	free_keys(&leaf);
	cv_strpair_map_free(&in.frames);
	cv_arena_free(in.strings);
	if (rc == CV_ENOMEM)
		return cv_error_nomem();
	return rc;
}
