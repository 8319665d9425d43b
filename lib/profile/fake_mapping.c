/*
 * A profile without mappings (some Go runtime profiles are written so)
 * gets one empty mapping as go tool pprof loads it, so that every location
 * has a mapping: it shows in -raw and -proto output as "M=1" and a 0/0/0
 * mapping, and as nothing in legends (no file, no build ID).
 */
#include "callviz/error.h"
#include "callviz/profile.h"
#include "util/alloc.h"
#include "util/arena.h"

int cv_profile_ensure_mapping(cv_profile *p)
{
	if (!p)
		return cv_error_set(CV_EINVAL, "ensure mapping: no profile");
	if (p->n_mappings > 0)
		return 0;
	cv_mapping *m = cv_arena_calloc(p->arena, 1, sizeof(*m));
	if (!m)
		return cv_error_nomem();
	m->id = 1;
	m->file = m->build_id = "";
	p->mappings = m;
	p->n_mappings = 1;
	for (size_t i = 0; i < p->n_locations; i++)
		p->locations[i].mapping = m;
	return 0;
}
