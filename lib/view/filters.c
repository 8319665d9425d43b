/*
 * The sample filters, in go tool pprof's order (driver.applyFocus):
 * focus/ignore/hide/show, show_from, tagfocus and tagignore, tagshow and
 * taghide, prune_from; and what comes before them: numeric label units
 * and the -tagroot / -tagleaf pseudo frames. Notes are worded as pprof
 * words them, for the caller to print as they are.
 */
#include <stdio.h>
#include <string.h>

#include "util/message.h"
#include "util/strbuf.h"
#include "view/view_internal.h"

static bool set(const char *s)
{
	return s && s[0];
}

static void note(const cv_view_options *o, const char *text)
{
	cv_message(o->message, o->message_data, CV_MSG_NOTE, o->subject, "%s", text);
}

static void note_no_match(const cv_view_options *o, bool given, bool matched, const char *what)
{
	if (given && !matched)
		cv_message(o->message, o->message_data, CV_MSG_NOTE, o->subject,
			   "%s expression matched no samples", what);
}

/* pprof names the units it did not pick for a key written in several. */
static void note_ignored_units(const cv_view_options *o, const cv_num_label_unit *u)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_printf(&sb, "For tag %s used unit %s, also encountered unit(s) ", u->key, u->unit);
	for (size_t k = 0; k < u->n_ignored; k++)
		cv_strbuf_printf(&sb, "%s%s", k ? ", " : "", u->ignored[k]);
	if (!cv_strbuf_failed(&sb))
		note(o, sb.buf);
	cv_strbuf_free(&sb);
}

int view_label_units(const cv_view_options *o, cv_profile *p, cv_num_label_unit **units,
		     size_t *n)
{
	int rc = cv_profile_num_label_units(p, units, n);
	if (rc)
		return rc;
	for (size_t i = 0; i < *n; i++)
		if ((*units)[i].n_ignored)
			note_ignored_units(o, &(*units)[i]);
	return 0;
}

int view_add_label_frames(const cv_view_options *o, cv_profile *p)
{
	bool rootm, leafm;
	if (!set(o->tagroot) && !set(o->tagleaf))
		return 0;
	int rc = cv_filter_add_label_frames(p, o->tagroot, o->tagleaf,
					    o->unit ? o->unit : "minimum", &rootm, &leafm);
	if (rc)
		return rc;
	note_no_match(o, set(o->tagroot), rootm, "TagRoot");
	note_no_match(o, set(o->tagleaf), leafm, "TagLeaf");
	return 0;
}

size_t view_active_filters(const cv_view_options *o, const char **out, char *store, size_t size)
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
static int tag_filter(const cv_view_options *o, cv_tag_filter **f, const char *option,
		      const char *spec, const cv_num_label_unit *units, size_t n_units)
{
	bool range;
	int rc = cv_tag_filter_compile(f, option, spec, units, n_units, &range);
	if (rc)
		return rc;
	if (range) {
		const char *eq = strchr(spec, '=');
		cv_message(o->message, o->message_data, CV_MSG_NOTE, o->subject,
			   "%s:Interpreted '%s' as range, not regexp", option, eq ? eq + 1 : spec);
	}
	return 0;
}

static int by_name(const cv_view_options *o, cv_profile *p)
{
	cv_filter_options fo = {.focus = o->focus, .ignore = o->ignore,
				.hide = o->hide, .show = o->show};
	cv_filter_result r;
	int rc = cv_filter_samples(p, &fo, &r);
	if (rc)
		return rc;
	note_no_match(o, set(o->focus), r.focus_matched, "Focus");
	note_no_match(o, set(o->ignore), r.ignore_matched, "Ignore");
	note_no_match(o, set(o->hide), r.hide_matched, "Hide");
	note_no_match(o, set(o->show), r.show_matched, "Show");
	return 0;
}

static int by_tag(const cv_view_options *o, cv_profile *p, cv_tag_filter *focus,
		  cv_tag_filter *ignore)
{
	bool fm, im;
	cv_filter_samples_by_tag(p, focus, ignore, &fm, &im);
	note_no_match(o, focus != NULL, fm, "TagFocus");
	note_no_match(o, ignore != NULL, im, "TagIgnore");
	int rc = cv_filter_tags_by_name(p, o->tagshow, o->taghide, &fm, &im);
	if (rc)
		return rc;
	note_no_match(o, set(o->tagshow), fm, "TagShow");
	note_no_match(o, set(o->taghide), im, "TagHide");
	return 0;
}

int view_apply_filters(const cv_view_options *o, cv_profile *p, const cv_num_label_unit *units,
		       size_t n_units)
{
	cv_tag_filter *focus = NULL, *ignore = NULL;
	bool matched;
	/* Every expression is checked before any is applied, as in pprof. */
	int rc = tag_filter(o, &focus, "tagfocus", o->tagfocus, units, n_units);
	if (rc == 0)
		rc = tag_filter(o, &ignore, "tagignore", o->tagignore, units, n_units);
	if (rc == 0)
		rc = by_name(o, p);
	if (rc == 0 && (rc = cv_filter_show_from(p, o->show_from, &matched)) == 0)
		note_no_match(o, set(o->show_from), matched, "ShowFrom");
	if (rc == 0)
		rc = by_tag(o, p, focus, ignore);
	if (rc == 0)
		rc = cv_filter_prune_from(p, o->prune_from);
	cv_tag_filter_free(focus);
	cv_tag_filter_free(ignore);
	return rc;
}
