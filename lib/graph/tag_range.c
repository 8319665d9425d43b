/*
 * Numeric ranges in -tagfocus / -tagignore, as pprof reads them: one or two
 * numbers, each optionally followed by a unit word, in the forms "N", "N:",
 * ":N" and "N:M" ("64kb:", "1kb:16kb", ":1mb", "128"). Anything else is
 * not a range, and the caller treats the text as regular expressions.
 * Bounds are converted to the unit of the first number; a label value
 * matches only if it converts to that same unit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "callviz/units.h"

typedef struct num_token {
	const char *start, *end;    /* the whole token: sign, digits, unit */
	const char *unit, *unit_end;
} num_token;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The leftmost "[+-]?[0-9]+[A-Za-z]*" at or after s; false if none. */
static bool next_token(const char *s, num_token *t)
{
	for (const char *p = s; *p; p++) {
		const char *q = p + (*p == '+' || *p == '-');
		if (!is_digit(*q))
			continue;
		while (is_digit(*q))
			q++;
		t->start = p;
		t->unit = q;
		while (is_alpha(*q))
			q++;
		t->unit_end = t->end = q;
		return true;
	}
	return false;
}

static bool token_is(const num_token *t, const char *s, size_t len)
{
	return (size_t)(t->end - t->start) == len && memcmp(t->start, s, len) == 0;
}

/* The token's integer (with Go's ParseInt range) and its unit word. */
static int token_value(const num_token *t, int64_t *v, char *unit, size_t size)
{
	size_t ulen = (size_t)(t->unit_end - t->unit);
	if (ulen >= size)
		return 1; /* longer than any unit: not a range we can hold */
	memcpy(unit, t->unit, ulen);
	unit[ulen] = '\0';
	errno = 0;
	long long x = strtoll(t->start, NULL, 10);
	if (errno == ERANGE)
		return cv_error_set(CV_EINVAL, "number out of range in tag filter \"%.*s\"",
				    (int)(t->end - t->start), t->start);
	*v = (int64_t)x;
	return 0;
}

/* Scale v from `from` to `to` and store the resulting unit in r->unit. */
static double scale_into(cv_tag_range *r, int64_t v, const char *from, const char *to)
{
	const char *u;
	double d = cv_unit_scale(v, from, to, &u);
	size_t n = strlen(u);
	if (n >= sizeof(r->unit))
		n = sizeof(r->unit) - 1;
	memcpy(r->unit, u, n);
	r->unit[n] = '\0';
	return d;
}

/* The single-number forms: "N", "N:" and ":N". */
static int one_number(cv_tag_range *r, const char *s, const num_token *t)
{
	size_t len = strlen(s), tlen = (size_t)(t->end - t->start);
	if (token_is(t, s, len))
		r->kind = CV_TAG_RANGE_EQUAL;
	else if (len == tlen + 1 && s[tlen] == ':' && t->start == s)
		r->kind = CV_TAG_RANGE_MIN;
	else if (len == tlen + 1 && s[0] == ':' && t->start == s + 1)
		r->kind = CV_TAG_RANGE_MAX;
	else
		return 0;
	r->hi = r->lo;
	return 1;
}

int cv_tag_range_parse(const char *s, cv_tag_range *r)
{
	memset(r, 0, sizeof(*r));
	num_token t1, t2;
	if (!next_token(s, &t1))
		return 0;
	char unit[sizeof(r->unit)];
	int64_t v = 0;
	int rc = token_value(&t1, &v, unit, sizeof(unit));
	if (rc)
		return rc < 0 ? rc : 0;
	r->lo = scale_into(r, v, unit, unit);
	if (!next_token(t1.end, &t2))
		return one_number(r, s, &t1);
	/* Two numbers: the text must be exactly "N:M". */
	if (t1.start != s || *t1.end != ':' || t2.start != t1.end + 1 || *t2.end)
		return 0;
	char unit2[sizeof(r->unit)];
	if ((rc = token_value(&t2, &v, unit2, sizeof(unit2))))
		return rc < 0 ? rc : 0;
	const char *u;
	r->hi = cv_unit_scale(v, unit2, r->unit, &u);
	if (strcmp(u, r->unit) != 0)
		return 0;
	r->kind = CV_TAG_RANGE_BETWEEN;
	return 1;
}

bool cv_tag_range_match(const cv_tag_range *r, int64_t value, const char *unit)
{
	const char *u;
	double v = cv_unit_scale(value, unit, r->unit, &u);
	if (strcmp(u, r->unit) != 0)
		return false;
	switch (r->kind) {
	case CV_TAG_RANGE_EQUAL:
		return v == r->lo;
	case CV_TAG_RANGE_MIN:
		return v >= r->lo;
	case CV_TAG_RANGE_MAX:
		return v <= r->lo;
	case CV_TAG_RANGE_BETWEEN:
		return v >= r->lo && v <= r->hi;
	}
	return false;
}
