#ifndef CV_UTIL_REGEX_H
#define CV_UTIL_REGEX_H

#include <stdbool.h>
#include <stddef.h>

/*
 * RE2-style regular expressions on PCRE2. Patterns are UTF-8; matching is
 * unanchored like Go's regexp.MatchString. Match limits are set so that a
 * hostile pattern cannot hang the process.
 */
typedef struct cv_regex cv_regex;

/*
 * Compile `pattern`. On error returns NULL and sets cv_error_last() to
 * "invalid regex for <what>: <reason>" (`what` names the option).
 */
cv_regex *cv_regex_compile(const char *pattern, const char *what);
/* Only whether cv_regex_compile would take it: 0, or CV_EINVAL with the
 * same error set. */
int cv_regex_check(const char *pattern, const char *what);
void cv_regex_free(cv_regex *re);

/* True if the pattern matches anywhere in s. */
bool cv_regex_match(const cv_regex *re, const char *s);

/*
 * Match s and report capture groups: ovec[2*i], ovec[2*i+1] are the start
 * and end offsets of group i (-1 when unset). Returns the number of groups
 * filled (at least 1 on a match) or 0 if there is no match.
 */
int cv_regex_exec(const cv_regex *re, const char *s, size_t len,
		  long *ovec, int max_groups);

#endif
