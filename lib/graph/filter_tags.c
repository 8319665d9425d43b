/*
 * Sample filters by label, pprof's -tagfocus / -tagignore
 * (compileTagFilter + Profile.FilterSamplesByTag), and label removal by
 * key, -tagshow / -taghide (Profile.FilterTagsByName).
 *
 * A tag filter is "[key=]value". A value that reads as a numeric range
 * (see tag_range.c) selects numeric labels, in the unit the profile uses
 * for their key. Otherwise the value is a comma-separated list of regexes
 * over string labels: with a key, any regex matching any value of that
 * key selects the sample; without one, every regex must match some
 * "key:value" of the sample.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "util/alloc.h"
#include "util/regex.h"

struct cv_tag_filter {
	char *key;                  /* "" when the filter names no key */
	bool numeric;
	cv_tag_range range;
	cv_regex **res;
	size_t n_res;
	const cv_num_label_unit *units;
	size_t n_units;
};

void cv_tag_filter_free(cv_tag_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_res; i++)
		cv_regex_free(f->res[i]);
	free(f->res);
	free(f->key);
	free(f);
}

/* One regex per comma-separated part of `value`. */
static int compile_parts(cv_tag_filter *f, const char *value, const char *option)
{
	size_t n = 1;
	for (const char *c = value; *c; c++)
		n += *c == ',';
	f->res = calloc(n, sizeof(*f->res));
	if (!f->res)
		return cv_error_nomem();
	for (const char *part = value;; ) {
		const char *comma = strchr(part, ',');
		size_t len = comma ? (size_t)(comma - part) : strlen(part);
		char *pat = strndup(part, len);
		if (!pat)
			return cv_error_nomem();
		f->res[f->n_res] = cv_regex_compile(pat, option);
		free(pat);
		if (!f->res[f->n_res])
			return CV_EINVAL;
		f->n_res++;
		if (!comma)
			return 0;
		part = comma + 1;
	}
}

int cv_tag_filter_compile(cv_tag_filter **out, const char *option, const char *spec,
			  const cv_num_label_unit *units, size_t n_units, bool *is_range)
{
	*out = NULL;
	if (is_range)
		*is_range = false;
	if (!spec || !spec[0])
		return 0;
	cv_tag_filter *f = calloc(1, sizeof(*f));
	if (!f)
		return cv_error_nomem();
	f->units = units;
	f->n_units = n_units;
	const char *eq = strchr(spec, '=');
	const char *value = eq ? eq + 1 : spec;
	f->key = strndup(spec, eq ? (size_t)(eq - spec) : 0);
	int rc = f->key ? 0 : cv_error_nomem();
	if (rc == 0)
		rc = cv_tag_range_parse(value, &f->range);
	if (rc == 1) {
		f->numeric = true;
		rc = 0;
	} else if (rc == 0) {
		rc = compile_parts(f, value, option);
	}
	if (rc) {
		cv_tag_filter_free(f);
		return rc;
	}
	if (is_range)
		*is_range = f->numeric;
	*out = f;
	return 0;
}

static bool numeric_matches(const cv_tag_filter *f, const cv_sample *s)
{
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		if (l->str || (f->key[0] && strcmp(l->key, f->key) != 0))
			continue;
		const char *unit = cv_num_label_unit_of(f->units, f->n_units, l->key);
		if (cv_tag_range_match(&f->range, l->num, unit))
			return true;
	}
	return false;
}

/* Without a key pprof matches "key:value", so a regex may test either part. */
static bool any_key_value_matches(const cv_regex *re, const cv_sample *s)
{
	char small[256];
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		if (!l->str)
			continue;
		size_t kl = strlen(l->key), vl = strlen(l->str);
		char *buf = kl + vl + 2 <= sizeof(small) ? small : malloc(kl + vl + 2);
		if (!buf)
			return false;
		memcpy(buf, l->key, kl);
		buf[kl] = ':';
		memcpy(buf + kl + 1, l->str, vl + 1);
		bool m = cv_regex_match(re, buf);
		if (buf != small)
			free(buf);
		if (m)
			return true;
	}
	return false;
}

static bool string_matches(const cv_tag_filter *f, const cv_sample *s)
{
	if (!f->key[0]) {
		for (size_t r = 0; r < f->n_res; r++)
			if (!any_key_value_matches(f->res[r], s))
				return false;
		return true;
	}
	for (size_t r = 0; r < f->n_res; r++)
		for (size_t i = 0; i < s->n_labels; i++) {
			const cv_label *l = &s->labels[i];
			if (l->str && strcmp(l->key, f->key) == 0 && cv_regex_match(f->res[r], l->str))
				return true;
		}
	return false;
}

bool cv_tag_filter_match(const cv_tag_filter *f, const cv_sample *s)
{
	return f->numeric ? numeric_matches(f, s) : string_matches(f, s);
}

void cv_filter_samples_by_tag(cv_profile *p, const cv_tag_filter *focus,
			      const cv_tag_filter *ignore, bool *focus_matched,
			      bool *ignore_matched)
{
	bool fm = false, im = false;
	size_t kept = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		bool focused = !focus || cv_tag_filter_match(focus, s);
		bool ignored = ignore && cv_tag_filter_match(ignore, s);
		fm |= focused;
		im |= ignored;
		if (focused && !ignored)
			p->samples[kept++] = *s;
	}
	p->n_samples = kept;
	if (focus_matched)
		*focus_matched = fm;
	if (ignore_matched)
		*ignore_matched = im;
}

int cv_filter_tags_by_name(cv_profile *p, const char *show, const char *hide,
			   bool *show_matched, bool *hide_matched)
{
	cv_regex *sre = NULL, *hre = NULL;
	*show_matched = *hide_matched = false;
	if (show && show[0] && !(sre = cv_regex_compile(show, "tagshow")))
		return CV_EINVAL;
	if (hide && hide[0] && !(hre = cv_regex_compile(hide, "taghide"))) {
		cv_regex_free(sre);
		return CV_EINVAL;
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		cv_sample *s = &p->samples[i];
		size_t k = 0;
		for (size_t j = 0; j < s->n_labels; j++) {
			bool in_show = !sre || cv_regex_match(sre, s->labels[j].key);
			bool in_hide = hre && cv_regex_match(hre, s->labels[j].key);
			*show_matched |= in_show;
			*hide_matched |= in_hide;
			if (in_show && !in_hide)
				s->labels[k++] = s->labels[j];
		}
		s->n_labels = k;
	}
	cv_regex_free(sre);
	cv_regex_free(hre);
	return 0;
}
