#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "util/alloc.h"

struct cv_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	/* What PCRE2 knows before matching, to spare the call (see below). */
	uint32_t min_length;        /* characters: never more than bytes */
	const uint8_t *first_bytes; /* an anchored match's first byte, as a
				       256-bit set; NULL if not known */
};

/*
 * Go's regexp (RE2) lacks the Perl constructs that need backtracking:
 * lookaround, atomic groups, backreferences, possessive quantifiers, and
 * some escapes. PCRE2 has no switch to refuse them, so look for them here
 * and refuse what go tool pprof refuses. Returns the offending text.
 */
static const char *perl_only(const char *p, char *buf, size_t size)
{
	bool in_class = false;
	for (size_t i = 0; p[i]; i++) {
		char c = p[i], n = p[i + 1];
		if (c == '\\') {
			if (!n)
				return NULL;
			if (!in_class && ((n >= '1' && n <= '9') || strchr("gkZGKRXhHNCE", n))) {
				snprintf(buf, size, "\\%c", n);
				return buf;
			}
			i++;
		} else if (in_class) {
			in_class = c != ']';
		} else if (c == '[') {
			in_class = true;
			if (p[i + 1] == '^')
				i++;
			if (p[i + 1] == ']')
				i++;
		} else if (c == '(' && n == '?') {
			char k = p[i + 2];
			bool look_behind = k == '<' && (p[i + 3] == '=' || p[i + 3] == '!');
			if (look_behind || (k && strchr("=!>|#R&+(0123456789", k))) {
				snprintf(buf, size, "(?%.*s", look_behind ? 2 : 1, p + i + 2);
				return buf;
			}
		} else if ((c == '*' || c == '+' || c == '?') && n == '+') {
			snprintf(buf, size, "%c+", c);
			return buf;
		}
	}
	return NULL;
}

/* PCRE2's JIT takes longer to compile a pattern than to interpret it a
 * few hundred times, but far less time per match: worth it for patterns
 * that go on to match every name of a profile, not for a syntax check. */
static cv_regex *compile(const char *pattern, const char *what, bool jit)
{
	char bad[16];
	if (perl_only(pattern, bad, sizeof(bad))) {
		cv_error_set(CV_EINVAL, "invalid regex for %s: unsupported Perl syntax `%s` "
			     "(RE2 syntax, as in go tool pprof)", what, bad);
		return NULL;
	}
	int err;
	PCRE2_SIZE off;
	/* Runes, not bytes, as in Go; names from profiles may be invalid
	 * UTF-8, which MATCH_INVALID_UTF tolerates instead of failing. "$" is
	 * the end of the text, as in Go without (?m). */
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
			PCRE2_NEVER_BACKSLASH_C;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
					 opts, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		cv_error_set(CV_EINVAL, "invalid regex for %s: %s at offset %zu",
			     what, (const char *)msg, (size_t)off);
		return NULL;
	}
	cv_regex *re = calloc(1, sizeof(*re));
	if (!re) {
		pcre2_code_free(code);
		cv_error_nomem();
		return NULL;
	}
	re->code = code;
	if (jit)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx) {
		cv_regex_free(re);
		cv_error_nomem();
		return NULL;
	}
	uint32_t all = 0;
	pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all);
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &re->min_length);
	if (all & PCRE2_ANCHORED)
		pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &re->first_bytes);
	/* Bound backtracking: RE2 is linear time, PCRE2 is not. */
	pcre2_set_match_limit(re->mctx, 1000000);
	pcre2_set_depth_limit(re->mctx, 10000);
	return re;
}

cv_regex *cv_regex_compile(const char *pattern, const char *what)
{
	return compile(pattern, what, true);
}

int cv_regex_check(const char *pattern, const char *what)
{
	cv_regex *re = compile(pattern, what, false);
	cv_regex_free(re);
	return re ? 0 : CV_EINVAL;
}

void cv_regex_free(cv_regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}

bool cv_regex_match(const cv_regex *re, const char *s)
{
	return cv_regex_exec(re, s, strlen(s), NULL, 0) > 0;
}

/*
 * Matching every name of a profile against every hotspot class, most
 * calls fail at the first byte (the classes are anchored: "^runtime\\."),
 * and cost more in the call than in the match. PCRE2 says which subjects
 * it would turn down at once: too short, or (anchored) starting with a
 * byte no match starts with.
 */
static bool cannot_match(const cv_regex *re, const char *s, size_t len)
{
	if (len < re->min_length)
		return true;
	if (!re->first_bytes || len == 0)
		return false;
	uint8_t c = (uint8_t)s[0];
	return !(re->first_bytes[c >> 3] & (1u << (c & 7)));
}

int cv_regex_exec(const cv_regex *re, const char *s, size_t len,
		  long *ovec, int max_groups)
{
	if (cannot_match(re, s, len))
		return 0;
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (rc <= 0)
		return 0;
	if (ovec) {
		PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
		uint32_t n = pcre2_get_ovector_count(re->md);
		for (int i = 0; i < max_groups; i++) {
			if ((uint32_t)i < n && v[2 * i] != PCRE2_UNSET) {
				ovec[2 * i] = (long)v[2 * i];
				ovec[2 * i + 1] = (long)v[2 * i + 1];
			} else {
				ovec[2 * i] = ovec[2 * i + 1] = -1;
			}
		}
		return max_groups;
	}
	return 1;
}
