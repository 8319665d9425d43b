/*
 * The unit of each numeric label key, as pprof's NumLabelUnits decides it:
 * the first unit written for that key in sample order wins; keys written
 * without any unit are in "bytes" for the allocator's "alignment" and
 * "request" labels and otherwise in a unit named after the key itself.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "util/alloc.h"
#include "util/arena.h"

typedef struct unit_acc {
	const char *key;
	const char *unit;           /* first unit seen, "" if none yet */
	const char **others;        /* other units, distinct, malloc'd */
	size_t n_others;
} unit_acc;

static unit_acc *find_key(unit_acc *acc, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(acc[i].key, key) == 0)
			return &acc[i];
	return NULL;
}

static int note_other(unit_acc *u, const char *unit)
{
	for (size_t i = 0; i < u->n_others; i++)
		if (strcmp(u->others[i], unit) == 0)
			return 0;
	const char **o = cv_realloc_array(u->others, u->n_others + 1, sizeof(*o));
	if (!o)
		return cv_error_nomem();
	u->others = o;
	u->others[u->n_others++] = unit;
	return 0;
}

/* One numeric label: remember its key, and its unit if it has one. */
static int note_label(unit_acc **acc, size_t *n, size_t *cap, const cv_label *l)
{
	unit_acc *u = find_key(*acc, *n, l->key);
	if (!u) {
		if (CV_GROW(*acc, *cap, *n + 1, 8))
			return cv_error_nomem();
		u = &(*acc)[(*n)++];
		memset(u, 0, sizeof(*u));
		u->key = l->key;
		u->unit = "";
	}
	if (!l->num_unit[0])
		return 0;
	if (!u->unit[0]) {
		u->unit = l->num_unit;
		return 0;
	}
	return strcmp(u->unit, l->num_unit) ? note_other(u, l->num_unit) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_acc(const void *a, const void *b)
{
	return strcmp(((const unit_acc *)a)->key, ((const unit_acc *)b)->key);
}

static const char *implied_unit(const char *key)
{
	if (strcmp(key, "alignment") == 0 || strcmp(key, "request") == 0)
		return "bytes";
	return key;
}

/* Copy the accumulated table into the profile's arena, sorted by key. */
static int publish(cv_profile *p, unit_acc *acc, size_t n, cv_num_label_unit **out)
{
	if (n > 1) /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(acc, n, sizeof(*acc), cmp_acc);
	cv_num_label_unit *t = cv_arena_calloc(p->arena, n + 1, sizeof(*t));
	if (!t)
		return cv_error_nomem();
	for (size_t i = 0; i < n; i++) {
		t[i].key = acc[i].key;
		t[i].unit = acc[i].unit[0] ? acc[i].unit : implied_unit(acc[i].key);
		t[i].n_ignored = acc[i].n_others;
		if (!acc[i].n_others)
			continue;
		qsort(acc[i].others, acc[i].n_others, sizeof(char *), cmp_str);
		const char **ig = cv_arena_calloc(p->arena, acc[i].n_others, sizeof(*ig));
		if (!ig)
			return cv_error_nomem();
		memcpy(ig, acc[i].others, acc[i].n_others * sizeof(*ig));
		t[i].ignored = ig;
	}
	*out = t;
	return 0;
}

int cv_profile_num_label_units(cv_profile *p, cv_num_label_unit **out, size_t *n_out)
{
	unit_acc *acc = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		for (size_t k = 0; rc == 0 && k < s->n_labels; k++)
			if (!s->labels[k].str)
				rc = note_label(&acc, &n, &cap, &s->labels[k]);
	}
	if (rc == 0)
		rc = publish(p, acc, n, out);
	for (size_t i = 0; i < n; i++)
		free(acc[i].others);
	free(acc);
	if (rc)
		return cv_error_nomem();
	*n_out = n;
	return 0;
}

const char *cv_num_label_unit_of(const cv_num_label_unit *units, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(units[i].key, key) == 0)
			return units[i].unit;
	return "";
}
