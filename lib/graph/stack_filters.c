/*
 * Filters that cut stacks at a matching frame rather than keep or drop
 * whole samples: pprof's -show_from (Profile.ShowFrom) and -prune_from
 * (Profile.PruneFrom). Both edit the locations' lines in place, so every
 * sample through a location sees the same cut, as in pprof.
 */
#include <stdlib.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "profile/simplify.h"
#include "util/alloc.h"
#include "util/regex.h"

static bool line_matches(const cv_regex *re, const cv_line *ln)
{
	return ln->function && (cv_regex_match(re, ln->function->name) ||
				cv_regex_match(re, ln->function->filename));
}

/*
 * Does the location hold a show_from frame? A matching mapping keeps all
 * lines; otherwise the callers inlined above the outermost matching line
 * are cut off (lines run from the inlined callee out to its caller).
 */
static bool show_from_location(cv_location *loc, const cv_regex *re)
{
	if (loc->mapping && cv_regex_match(re, loc->mapping->file))
		return true;
	for (size_t i = loc->n_lines; i-- > 0;) {
		if (line_matches(re, &loc->lines[i])) {
			loc->n_lines = i + 1;
			return true;
		}
	}
	return false;
}

int cv_filter_show_from(cv_profile *p, const char *pattern, bool *matched)
{
	*matched = false;
	if (!pattern || !pattern[0])
		return 0;
	cv_regex *re = cv_regex_compile(pattern, "show_from");
	if (!re)
		return CV_EINVAL;
	bool *hit = calloc(p->n_locations + 1, sizeof(*hit));
	if (!hit) {
		cv_regex_free(re);
		return cv_error_nomem();
	}
	for (size_t i = 0; i < p->n_locations; i++)
		if ((hit[i] = show_from_location(&p->locations[i], re)))
			*matched = true;
	/* Keep each stack from its leaf up to the match nearest the root. */
	size_t kept = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample s = p->samples[i];
		size_t k = s.n_locs;
		while (k > 0 && !hit[s.locs[k - 1]])
			k--;
		if (k == 0)
			continue;
		s.n_locs = k;
		p->samples[kept++] = s;
	}
	p->n_samples = kept;
	free(hit);
	cv_regex_free(re);
	return 0;
}

/* The innermost line whose simplified function name matches, or -1. */
static long prune_from_line(const cv_location *loc, const cv_regex *re)
{
	for (size_t i = 0; i < loc->n_lines; i++) {
		const cv_function *f = loc->lines[i].function;
		if (!f || !f->name[0])
			continue;
		size_t len;
		const char *name = cv_simplify_func_name(f->name, &len);
		if (cv_regex_exec(re, name, len, NULL, 0) > 0)
			return (long)i;
	}
	return -1;
}

int cv_filter_prune_from(cv_profile *p, const char *pattern)
{
	if (!pattern || !pattern[0])
		return 0;
	cv_regex *re = cv_regex_compile(pattern, "prune_from");
	if (!re)
		return CV_EINVAL;
	bool *cut = calloc(p->n_locations + 1, sizeof(*cut));
	if (!cut) {
		cv_regex_free(re);
		return cv_error_nomem();
	}
	/* Frames inlined into the matching one go with everything below it. */
	for (size_t i = 0; i < p->n_locations; i++) {
		cv_location *loc = &p->locations[i];
		long at = prune_from_line(loc, re);
		if (at < 0)
			continue;
		cut[i] = true;
		loc->lines += at;
		loc->n_lines -= (size_t)at;
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample *s = &p->samples[i];
		for (size_t k = 0; k < s->n_locs; k++) {
			if (cut[s->locs[k]]) {
				s->locs += k;
				s->n_locs -= k;
				break;
			}
		}
	}
	free(cut);
	cv_regex_free(re);
	return 0;
}
