#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile/simplify.h"
#include "util/alloc.h"
#include "util/regex.h"

/*
 * drop_frames / keep_frames as `go tool pprof` applies them on load
 * (profile/prune.go: RemoveUninteresting and Prune). The regexes must
 * match a whole simplified function name, and a location is judged from
 * its outermost inlined frame inwards.
 */

enum { KEEP = 0, CUT_BELOW = 1, CUT_ALL = 2 };

static bool matches(const cv_regex *re, const char *s, size_t len)
{
	return cv_regex_exec(re, s, len, NULL, 0) > 0;
}

/* Whole-name match, as pprof's "^(" + pattern + ")$" in Go syntax. */
static cv_regex *compile_anchored(const char *pattern, const char *what)
{
	size_t n = strlen(pattern);
	char *full = malloc(n + 8);
	if (!full) {
		cv_error_nomem();
		return NULL;
	}
	/* \z, not $: PCRE's $ would also match before a trailing newline. */
	memcpy(full, "^(", 2);
	memcpy(full + 2, pattern, n);
	memcpy(full + 2 + n, ")\\z", 4);
	cv_regex *re = cv_regex_compile(full, what);
	free(full);
	return re;
}

/* Decide once per function rather than once per line that calls it. */
static bool *mark_functions(const cv_profile *p, const cv_regex *drop,
			    const cv_regex *keep)
{
	bool *cut = calloc(p->n_functions ? p->n_functions : 1, sizeof(*cut));
	if (!cut)
		return NULL;
	for (size_t i = 0; i < p->n_functions; i++) {
		const char *name = p->functions[i].name;
		size_t len;
		if (!*name)
			continue;
		name = cv_simplify_func_name(name, &len);
		cut[i] = matches(drop, name, len) && !(keep && matches(keep, name, len));
	}
	return cut;
}

/*
 * Scan each location's lines from the caller end; at the first cut frame,
 * drop it with everything inlined into it. This edits the location itself,
 * so every sample sees the shortened lines, as in pprof.
 */
static void mark_locations(cv_profile *p, const bool *fn_cut, unsigned char *state)
{
	for (size_t i = 0; i < p->n_locations; i++) {
		cv_location *l = &p->locations[i];
		size_t j = l->n_lines;
		while (j > 0 && !fn_cut[l->lines[j - 1].function - p->functions])
			j--;
		if (j == 0)
			continue;
		if (j == l->n_lines) {
			state[i] = CUT_ALL;
		} else {
			state[i] = CUT_BELOW;
			l->lines += j;
			l->n_lines -= j;
		}
	}
}

/*
 * Walk from the root and cut at the first marked location, but only after
 * an unmarked ("user") frame has been seen, so that a stack made only of
 * runtime frames is not emptied.
 */
static void cut_samples(cv_profile *p, const unsigned char *state)
{
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample *s = &p->samples[i];
		bool seen_user = false;
		for (size_t k = s->n_locs; k-- > 0;) {
			unsigned char st = state[s->locs[k]];
			if (st == KEEP) {
				seen_user = true;
				continue;
			}
			if (!seen_user)
				continue;
			size_t drop = st == CUT_ALL ? k + 1 : k;
			s->locs += drop;
			s->n_locs -= drop;
			break;
		}
	}
}

/*
 * A bad regex leaves the profile untouched and returns CV_EINVAL; pprof
 * ignores that error, so callers may warn and carry on.
 */
int cv_profile_prune_frames(cv_profile *p)
{
	if (!*p->drop_frames)
		return 0;
	cv_regex *drop = compile_anchored(p->drop_frames, "drop_frames");
	if (!drop)
		return CV_EINVAL;
	cv_regex *keep = NULL;
	if (*p->keep_frames && !(keep = compile_anchored(p->keep_frames, "keep_frames"))) {
		cv_regex_free(drop);
		return CV_EINVAL;
	}
	bool *fn_cut = mark_functions(p, drop, keep);
	unsigned char *state = calloc(p->n_locations ? p->n_locations : 1, 1);
	int rc = 0;
	if (fn_cut && state) {
		mark_locations(p, fn_cut, state);
		cut_samples(p, state);
	} else {
		rc = cv_error_nomem();
	}
	free(fn_cut);
	free(state);
	cv_regex_free(drop);
	cv_regex_free(keep);
	return rc;
}
