/*
 * Sample filters by frame name, pprof's FilterSamplesByName: focus keeps
 * samples with a matching frame, ignore drops them, hide removes matching
 * frames, show keeps only matching frames. A frame matches when its
 * function name or file name matches, or its mapping's file does.
 */
#include <stdlib.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "util/alloc.h"
#include "util/regex.h"
#include "util/options.h"

enum { MARK_NONE = 0, MARK_FOCUS = 1, MARK_IGNORE = 2 };

static bool line_matches(const cv_regex *re, const cv_line *ln)
{
	return ln->function && (cv_regex_match(re, ln->function->name) ||
				cv_regex_match(re, ln->function->filename));
}

static bool mapping_matches(const cv_regex *re, const cv_location *loc)
{
	return loc->mapping && cv_regex_match(re, loc->mapping->file);
}

static bool location_matches(const cv_regex *re, const cv_location *loc)
{
	for (size_t i = 0; i < loc->n_lines; i++)
		if (line_matches(re, &loc->lines[i]))
			return true;
	return mapping_matches(re, loc);
}

/* Keep the lines whose match equals `keep_matching` (frames with no function count as unmatched for hide, matched for show). */
static void filter_lines(cv_location *loc, const cv_regex *re, bool show)
{
	if (mapping_matches(re, loc)) {
		if (!show)
			loc->n_lines = 0;
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < loc->n_lines; i++) {
		const cv_line *ln = &loc->lines[i];
		bool keep = show ? (!ln->function || line_matches(re, ln))
				 : !line_matches(re, ln);
		if (keep)
			loc->lines[k++] = *ln;
	}
	loc->n_lines = k;
}

static bool focused_and_not_ignored(const cv_sample *s, const unsigned char *mark)
{
	bool focused = false;
	for (size_t i = 0; i < s->n_locs; i++) {
		unsigned char m = mark[s->locs[i]];
		if (m == MARK_IGNORE)
			return false;
		if (m == MARK_FOCUS)
			focused = true;
	}
	return focused;
}

static int compile(cv_regex **re, const char *pattern, const char *what)
{
	*re = NULL;
	if (!pattern || !pattern[0])
		return 0;
	*re = cv_regex_compile(pattern, what);
	return *re ? 0 : CV_EINVAL;
}

/* Mark each location focused/ignored and apply hide/show to its lines. */
static void mark_locations(cv_profile *p, cv_regex *const re[4], unsigned char *mark,
			   bool *hidden, cv_filter_result *r)
{
	cv_regex *focus = re[0], *ignore = re[1], *hide = re[2], *show = re[3];
	for (size_t i = 0; i < p->n_locations; i++) {
		cv_location *loc = &p->locations[i];
		if (ignore && location_matches(ignore, loc)) {
			r->ignore_matched = true;
			mark[i] = MARK_IGNORE;
		} else if (!focus || location_matches(focus, loc)) {
			r->focus_matched = true;
			mark[i] = MARK_FOCUS;
		}
		if (hide && location_matches(hide, loc)) {
			r->hide_matched = true;
			filter_lines(loc, hide, false);
			hidden[i] = loc->n_lines == 0;
		}
		if (show) {
			filter_lines(loc, show, true);
			if (loc->n_lines == 0)
				hidden[i] = true;
			else
				r->show_matched = true;
		}
	}
}

int cv_filter_samples(cv_profile *p, const cv_filter_options *o, cv_filter_result *res)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_FILTER_OPTIONS_VERSION, "cv_filter_options");
	if (vrc)
		return vrc;
	cv_filter_result r = {0};
	cv_regex *re[4] = {0};
	int rc = compile(&re[0], o->focus, "focus");
	if (!rc)
		rc = compile(&re[1], o->ignore, "ignore");
	if (!rc)
		rc = compile(&re[2], o->hide, "hide");
	if (!rc)
		rc = compile(&re[3], o->show, "show");
	unsigned char *mark = NULL;
	bool *hidden = NULL;
	if (!rc && !(re[0] || re[1] || re[2] || re[3]))
		goto done;
	if (!rc) {
		mark = calloc(p->n_locations + 1, 1);
		hidden = calloc(p->n_locations + 1, sizeof(*hidden));
		if (!mark || !hidden)
			rc = cv_error_nomem();
	}
	if (rc)
		goto done;
	mark_locations(p, re, mark, hidden, &r);
	bool any_hidden = re[2] || re[3];
	size_t kept = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample s = p->samples[i];
		if (!focused_and_not_ignored(&s, mark))
			continue;
		if (any_hidden) {
			size_t k = 0;
			for (size_t j = 0; j < s.n_locs; j++)
				if (!hidden[s.locs[j]])
					s.locs[k++] = s.locs[j];
			s.n_locs = k;
			if (k == 0)
				continue;
		}
		p->samples[kept++] = s;
	}
	p->n_samples = kept;
done:
	if (res)
		*res = r;
	for (int i = 0; i < 4; i++)
		cv_regex_free(re[i]);
	free(mark);
	free(hidden);
	return rc;
}
