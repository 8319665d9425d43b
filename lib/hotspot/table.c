/*
 * The class table: creating classes, adding patterns, and asking which
 * class a function name belongs to.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "hotspot/hotspot_internal.h"
#include "util/alloc.h"

/*
 * Colours for classes that do not name one: distinct from each other, from
 * the built-in classes' and from pprof's red-to-grey weight scale.
 */
static const char *const palette[] = {
	"#bcbd22", "#8c564b", "#ff7f0e", "#17a589", "#7f7f7f", "#6a3d9a",
	"#b15928", "#1b9e77", "#e7298a", "#66a61e", "#a6761d", "#386cb0",
};

int cv_hotspot_new(cv_hotspots **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return cv_error_nomem();
	return 0;
}

void cv_hotspot_free(cv_hotspots *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->cls[i].pattern);
		cv_regex_free(h->cls[i].re);
	}
	free(h);
}

bool hs_valid_name(const char *name, size_t len)
{
	if (len == 0 || len > 32)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") >= len;
}

bool hs_valid_color(const char *color)
{
	return strlen(color) == 7 && color[0] == '#' &&
	       strspn(color + 1, "0123456789abcdefABCDEF") == 6;
}

static bool color_used(const cv_hotspots *h, const char *color)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcasecmp(h->cls[i].color, color))
			return true;
	return false;
}

static const char *next_color(const cv_hotspots *h)
{
	size_t n = sizeof(palette) / sizeof(palette[0]);
	for (size_t i = 0; i < n; i++)
		if (!color_used(h, palette[i]))
			return palette[i];
	return palette[h->n % n];
}

int cv_hotspot_find(const cv_hotspots *h, const char *name)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (!strcmp(h->cls[i].name, name))
			return (int)i;
	return -1;
}

static int new_class(cv_hotspots *h, const char *name, const char *color)
{
	if (h->n >= CV_HOTSPOT_MAX)
		return cv_error_set(CV_EINVAL, "too many hotspot classes (at most %d)", CV_HOTSPOT_MAX);
	hs_class *c = &h->cls[h->n];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->color, sizeof(c->color), "%s", color ? color : next_color(h));
	for (char *p = c->color; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	snprintf(c->css, sizeof(c->css), "hotspot hs-%s", name);
	c->pub.name = c->name;
	c->pub.color = c->color;
	c->pub.css = c->css;
	c->pub.pattern = "";
	return (int)h->n++;
}

/*
 * A class with one pattern matches exactly that pattern; with several,
 * each is grouped so that flags such as (?i) stay inside their own
 * pattern. The result is what go tool pprof -focus would be given.
 */
static char *join_pattern(const char *old, const char *regex)
{
	char *s = NULL;
	int rc;
	if (!old)
		rc = asprintf(&s, "%s", regex);
	else if (strncmp(old, "(?:", 3) == 0)
		rc = asprintf(&s, "%s|(?:%s)", old, regex);
	else
		rc = asprintf(&s, "(?:%s)|(?:%s)", old, regex);
	return rc < 0 ? NULL : s;
}

static int add_pattern(hs_class *c, const char *regex)
{
	char what[64];
	snprintf(what, sizeof(what), "hotspot class %s", c->name);
	/* A pattern's own mistakes are reported against it, not the join. */
	if (c->pattern && cv_regex_check(regex, what))
		return CV_EINVAL;
	char *joined = join_pattern(c->pattern, regex);
	if (!joined)
		return cv_error_nomem();
	cv_regex *re = cv_regex_compile(joined, what);
	if (!re) {
		free(joined);
		return CV_EINVAL;
	}
	free(c->pattern);
	cv_regex_free(c->re);
	c->pattern = joined;
	c->re = re;
	c->pub.pattern = joined;
	return 0;
}

int cv_hotspot_add(cv_hotspots *h, const char *name, const char *regex, const char *color)
{
	if (!h || !name || !regex)
		return cv_error_set(CV_EINVAL, "hotspot class: missing argument");
	if (!hs_valid_name(name, strlen(name)))
		return cv_error_set(CV_EINVAL, "invalid hotspot class name \"%s\": want a letter, "
				    "then letters, digits, '_' or '-', at most 32", name);
	if (color && !hs_valid_color(color))
		return cv_error_set(CV_EINVAL, "invalid colour \"%s\" for hotspot class %s: want #rrggbb",
				    color, name);
	if (!regex[0])
		return cv_error_set(CV_EINVAL, "empty pattern for hotspot class %s", name);
	int i = cv_hotspot_find(h, name);
	bool created = i < 0;
	if (created && (i = new_class(h, name, color)) < 0)
		return i;
	int rc = add_pattern(&h->cls[i], regex);
	if (rc && created)
		h->n--;
	return rc;
}

int cv_hotspot_highlight(cv_hotspots *h, const char *spec)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	if (eq && hs_valid_name(spec, (size_t)(eq - spec))) {
		char name[33];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - spec), spec);
		return cv_hotspot_add(h, name, eq + 1, NULL);
	}
	return cv_hotspot_add(h, "custom", spec, NULL);
}

/*
 * A built-in class's patterns joined as add_pattern joins them one by one,
 * so that the class is compiled once rather than once per pattern: that
 * was most of the start-up time of a run on a small profile.
 */
static char *builtin_pattern(const hs_builtin *b)
{
	char *joined = NULL;
	for (const char *const *p = b->patterns; *p; p++) {
		char *next = join_pattern(joined, *p);
		free(joined);
		if (!(joined = next))
			return NULL;
	}
	return joined;
}

int cv_hotspot_add_builtin(cv_hotspots *h)
{
	for (const hs_builtin *b = cv_hotspot_builtins; b->name; b++) {
		char *pattern = builtin_pattern(b);
		int rc = pattern ? cv_hotspot_add(h, b->name, pattern, b->color)
				 : cv_error_nomem();
		free(pattern);
		if (rc)
			return rc;
	}
	return 0;
}

size_t cv_hotspot_count(const cv_hotspots *h)
{
	return h ? h->n : 0;
}

const cv_hotspot_class *cv_hotspot_get(const cv_hotspots *h, size_t i)
{
	return h && i < h->n ? &h->cls[i].pub : NULL;
}

int cv_hotspot_classify(const cv_hotspots *h, const char *function_name)
{
	if (!h || !function_name || !function_name[0])
		return -1;
	for (size_t i = 0; i < h->n; i++)
		if (cv_regex_match(h->cls[i].re, function_name))
			return (int)i;
	return -1;
}

uint64_t hs_mask(const cv_hotspots *h, const char *s)
{
	uint64_t mask = 0;
	for (size_t i = 0; h && s && i < h->n; i++)
		if (cv_regex_match(h->cls[i].re, s))
			mask |= (uint64_t)1 << i;
	return mask;
}

uint64_t cv_hotspot_match_mask(const cv_hotspots *h, const char *function_name)
{
	if (!function_name || !function_name[0])
		return 0;
	return hs_mask(h, function_name);
}
