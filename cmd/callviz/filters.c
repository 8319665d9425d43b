/*
 * The sample filters of the command line, in go tool pprof's order
 * (driver.applyFocus): focus/ignore/hide/show, show_from, tagfocus and
 * tagignore, tagshow and taghide, prune_from; and what comes before them:
 * numeric label units and the -tagroot / -tagleaf pseudo frames. Warnings
 * go to stderr worded as pprof words them.
 */
#include <stdio.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"

static bool set(const char *s)
{
	return s && s[0];
}

static void warn_no_match(bool given, bool matched, const char *what)
{
	if (given && !matched)
		fprintf(stderr, "%s expression matched no samples\n", what);
}

int cli_label_units(cv_profile *p, cv_num_label_unit **units, size_t *n)
{
	if (cv_profile_num_label_units(p, units, n))
		return -1;
	for (size_t i = 0; i < *n; i++) {
		const cv_num_label_unit *u = &(*units)[i];
		if (!u->n_ignored)
			continue;
		fprintf(stderr, "For tag %s used unit %s, also encountered unit(s) ", u->key, u->unit);
		for (size_t k = 0; k < u->n_ignored; k++)
			fprintf(stderr, "%s%s", k ? ", " : "", u->ignored[k]);
		fputc('\n', stderr);
	}
	return 0;
}

int cli_add_label_frames(const cli_options *o, cv_profile *p)
{
	bool rootm, leafm;
	if (!set(o->tagroot) && !set(o->tagleaf))
		return 0;
	if (cv_filter_add_label_frames(p, o->tagroot, o->tagleaf, o->unit ? o->unit : "minimum",
				       &rootm, &leafm))
		return -1;
	warn_no_match(set(o->tagroot), rootm, "TagRoot");
	warn_no_match(set(o->tagleaf), leafm, "TagLeaf");
	return 0;
}

size_t cli_active_filters(const cli_options *o, const char **out, char *store, size_t size)
{
	const char *names[] = {"focus", "ignore", "hide", "show", "show_from",
			       "tagfocus", "tagignore", "tagshow", "taghide"};
	const char *values[] = {o->focus, o->ignore, o->hide, o->show, o->show_from,
				o->tagfocus, o->tagignore, o->tagshow, o->taghide};
	size_t n = 0, used = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!set(values[i]))
			continue;
		int len = snprintf(store + used, size - used, "%s=%s", names[i], values[i]);
		if (len < 0 || (size_t)len >= size - used)
			break;
		out[n++] = store + used;
		used += (size_t)len + 1;
	}
	return n;
}

/* Compile a tag filter, noting as pprof does when it reads as a range. */
static int tag_filter(cv_tag_filter **f, const char *option, const char *spec,
		      const cv_num_label_unit *units, size_t n_units)
{
	bool range;
	if (cv_tag_filter_compile(f, option, spec, units, n_units, &range))
		return -1;
	if (range) {
		const char *eq = strchr(spec, '=');
		fprintf(stderr, "%s:Interpreted '%s' as range, not regexp\n", option,
			eq ? eq + 1 : spec);
	}
	return 0;
}

static int by_name(const cli_options *o, cv_profile *p)
{
	cv_filter_options fo = {.focus = o->focus, .ignore = o->ignore,
				.hide = o->hide, .show = o->show};
	cv_filter_result r;
	if (cv_filter_samples(p, &fo, &r))
		return -1;
	warn_no_match(set(o->focus), r.focus_matched, "Focus");
	warn_no_match(set(o->ignore), r.ignore_matched, "Ignore");
	warn_no_match(set(o->hide), r.hide_matched, "Hide");
	warn_no_match(set(o->show), r.show_matched, "Show");
	return 0;
}

static int by_tag(const cli_options *o, cv_profile *p, cv_tag_filter *focus,
		  cv_tag_filter *ignore)
{
	bool fm, im;
	cv_filter_samples_by_tag(p, focus, ignore, &fm, &im);
	warn_no_match(focus != NULL, fm, "TagFocus");
	warn_no_match(ignore != NULL, im, "TagIgnore");
	if (cv_filter_tags_by_name(p, o->tagshow, o->taghide, &fm, &im))
		return -1;
	warn_no_match(set(o->tagshow), fm, "TagShow");
	warn_no_match(set(o->taghide), im, "TagHide");
	return 0;
}

int cli_apply_focus(const cli_options *o, cv_profile *p, const cv_num_label_unit *units,
		    size_t n_units)
{
	cv_tag_filter *focus = NULL, *ignore = NULL;
	bool matched;
	/* Every expression is checked before any is applied, as in pprof. */
	int rc = tag_filter(&focus, "tagfocus", o->tagfocus, units, n_units);
	if (rc == 0)
		rc = tag_filter(&ignore, "tagignore", o->tagignore, units, n_units);
	if (rc == 0)
		rc = by_name(o, p);
	if (rc == 0 && (rc = cv_filter_show_from(p, o->show_from, &matched)) == 0)
		warn_no_match(set(o->show_from), matched, "ShowFrom");
	if (rc == 0)
		rc = by_tag(o, p, focus, ignore);
	if (rc == 0)
		rc = cv_filter_prune_from(p, o->prune_from);
	cv_tag_filter_free(focus);
	cv_tag_filter_free(ignore);
	return rc ? -1 : 0;
}
