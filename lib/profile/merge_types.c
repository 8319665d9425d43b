/*
 * Which profiles may be merged, and in which units: go tool pprof first
 * gives every sample type (and the period type) of its profiles one common
 * unit, the finest among them (ScaleProfiles), then requires identical
 * types (Profile.compatible). Types are compatible when their names agree
 * up to a trailing "s" and their units are equal or of one family (bytes,
 * time, GCU).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "profile/merge_types.h"
#include "util/alloc.h"

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && s[n - 1] == 's' ? n - 1 : n;
}

static bool compatible_types(const cv_value_type *a, const cv_value_type *b)
{
	size_t na = trimmed_len(a->type), nb = trimmed_len(b->type);
	if (na != nb || memcmp(a->type, b->type, na) != 0)
		return false;
	if (strcmp(a->unit, b->unit) == 0)
		return true;
	int fa = cv_unit_family(a->unit);
	return fa >= 0 && fa == cv_unit_family(b->unit);
}

/* "type/unit", or "none" for an absent type. */
static const char *shown(char *buf, size_t size, const cv_value_type *t)
{
	if (!t->type[0] && !t->unit[0])
		return "none";
	snprintf(buf, size, "%s/%s", t->type, t->unit);
	return buf;
}

static int incompatible(const char *what, const cv_value_type *a, const cv_value_type *b)
{
	char ba[128], bb[128];
	return cv_error_set(CV_EFORMAT, "incompatible %s: %s and %s", what,
			    shown(ba, sizeof(ba), a), shown(bb, sizeof(bb), b));
}

/*
 * Of the n types types[k] (one per profile), the finest; NULL when n is 1.
 * After scaling to it the names must also be equal, not only compatible.
 */
static int finest(const cv_value_type **types, size_t n, const char *what,
		  const cv_value_type **out)
{
	*out = NULL;
	if (n <= 1)
		return 0; /* one profile keeps its units, as in pprof */
	const cv_value_type *min = types[0];
	for (size_t k = 1; k < n; k++) {
		const cv_value_type *t = types[k];
		if (!compatible_types(min, t))
			return incompatible(what, min, t);
		if (cv_unit_scale(1, t->unit, min->unit, NULL) < 1)
			min = t;
	}
	for (size_t k = 1; k < n; k++)
		if (strcmp(types[0]->type, types[k]->type) != 0)
			return incompatible(what, types[0], types[k]);
	*out = min;
	return 0;
}

static int sample_types(cv_merge_units_result *r, const cv_profile *const *ps, size_t n,
			const cv_value_type **scratch)
{
	size_t nt = ps[0]->n_sample_types;
	for (size_t k = 1; k < n; k++)
		if (ps[k]->n_sample_types != nt)
			return cv_error_set(CV_EFORMAT, "different numbers of sample types: %zu and %zu",
					    nt, ps[k]->n_sample_types);
	r->types = calloc(nt + 1, sizeof(*r->types));
	if (!r->types)
		return cv_error_nomem();
	r->n_types = nt;
	for (size_t i = 0; i < nt; i++) {
		for (size_t k = 0; k < n; k++)
			scratch[k] = &ps[k]->sample_types[i];
		int rc = finest(scratch, n, "sample types", &r->types[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int cv_merge_units(cv_merge_units_result *r, const cv_profile *const *ps, size_t n)
{
	memset(r, 0, sizeof(*r));
	const cv_value_type **scratch = calloc(n + 1, sizeof(*scratch));
	if (!scratch)
		return cv_error_nomem();
	for (size_t k = 0; k < n; k++)
		scratch[k] = &ps[k]->period_type;
	int rc = finest(scratch, n, "period types", &r->period);
	if (!rc)
		rc = sample_types(r, ps, n, scratch);
	free(scratch);
	if (rc)
		cv_merge_units_free(r);
	return rc;
}

void cv_merge_units_free(cv_merge_units_result *r)
{
	free(r->types);
	r->types = NULL;
}

double cv_merge_unit_ratio(const cv_merge_units_result *r, const cv_profile *p, size_t i)
{
	if (!r->types[i])
		return 1;
	return cv_unit_scale(1, p->sample_types[i].unit, r->types[i]->unit, NULL);
}

static void type_list(char *buf, size_t size, const cv_profile *p)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n_sample_types && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s/%s", i ? " " : "",
				 p->sample_types[i].type, p->sample_types[i].unit);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int cv_merge_same_types(const cv_profile *a, const cv_profile *b)
{
	const cv_value_type *pa = &a->period_type, *pb = &b->period_type;
	if (strcmp(pa->type, pb->type) || strcmp(pa->unit, pb->unit))
		return incompatible("period types", pa, pb);
	bool same = a->n_sample_types == b->n_sample_types;
	for (size_t i = 0; same && i < a->n_sample_types; i++)
		same = !strcmp(a->sample_types[i].type, b->sample_types[i].type) &&
		       !strcmp(a->sample_types[i].unit, b->sample_types[i].unit);
	if (same)
		return 0;
	char la[256], lb[256];
	type_list(la, sizeof(la), a);
	type_list(lb, sizeof(lb), b);
	return cv_error_set(CV_EFORMAT, "incompatible sample types: [%s] and [%s]", la, lb);
}
