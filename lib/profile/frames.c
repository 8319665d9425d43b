/*
 * Growing a decoded profile by new functions and locations, for reports
 * that turn labels into pseudo frames (pprof's -tagroot / -tagleaf). The
 * arrays are reallocated in the profile's arena; the old ones stay there,
 * unused, until the profile is freed.
 */
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "util/alloc.h"
#include "util/arena.h"

static uint64_t max_function_id(const cv_profile *p)
{
	uint64_t m = 0;
	for (size_t i = 0; i < p->n_functions; i++)
		if (p->functions[i].id > m)
			m = p->functions[i].id;
	return m;
}

static uint64_t max_location_id(const cv_profile *p)
{
	uint64_t m = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		if (p->locations[i].id > m)
			m = p->locations[i].id;
	return m;
}

/*
 * Lines point at functions by address, so moving the function array means
 * re-aiming every line that pointed into the old one.
 */
static void move_functions(cv_profile *p, cv_function *fresh)
{
	const cv_function *old = p->functions;
	if (p->n_functions)
		memcpy(fresh, old, p->n_functions * sizeof(*fresh));
	for (size_t i = 0; i < p->n_locations; i++) {
		cv_location *l = &p->locations[i];
		for (size_t k = 0; k < l->n_lines; k++) {
			const cv_function *f = l->lines[k].function;
			if (f && f >= old && f < old + p->n_functions)
				l->lines[k].function = fresh + (f - old);
		}
	}
	p->functions = fresh;
}

int cv_profile_append_frames(cv_profile *p, const cv_frame_spec *specs, size_t n,
			     size_t *first)
{
	*first = p->n_locations;
	if (n == 0)
		return 0;
	cv_arena *a = p->arena;
	cv_function *fns = cv_arena_calloc(a, p->n_functions + n, sizeof(*fns));
	cv_location *locs = cv_arena_calloc(a, p->n_locations + n, sizeof(*locs));
	cv_line *lines = cv_arena_calloc(a, n, sizeof(*lines));
	if (!fns || !locs || !lines)
		return cv_error_nomem();
	uint64_t fid = max_function_id(p), lid = max_location_id(p);
	if (p->n_locations)
		memcpy(locs, p->locations, p->n_locations * sizeof(*locs));
	for (size_t i = 0; i < n; i++) {
		cv_function *f = &fns[p->n_functions + i];
		f->id = ++fid;
		f->name = cv_arena_strdup(a, specs[i].name);
		f->filename = cv_arena_strdup(a, specs[i].filename);
		f->system_name = "";
		if (!f->name || !f->filename)
			return cv_error_nomem();
		cv_location *l = &locs[p->n_locations + i];
		l->id = ++lid;
		l->lines = &lines[i];
		l->n_lines = 1;
	}
	/* Nothing is changed until every allocation has succeeded. */
	p->locations = locs;
	move_functions(p, fns);
	p->n_functions += n;
	p->n_locations += n;
	for (size_t i = 0; i < n; i++)
		lines[i].function = &p->functions[p->n_functions - n + i];
	return 0;
}
