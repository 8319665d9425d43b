#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"

struct cv_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

cv_regex *cv_regex_compile(const char *pattern, const char *what)
{
	int err;
	PCRE2_SIZE off;
	/* PCRE2_UTF without CHECK would crash on bad UTF-8 subjects; names
	 * from profiles may hold anything, so match bytes instead. */
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
					 0, &err, &off, NULL);
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
		cv_error_set(CV_ENOMEM, "out of memory");
		return NULL;
	}
	re->code = code;
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx) {
		cv_regex_free(re);
		cv_error_set(CV_ENOMEM, "out of memory");
		return NULL;
	}
	/* Bound backtracking: RE2 is linear time, PCRE2 is not. */
	pcre2_set_match_limit(re->mctx, 1000000);
	pcre2_set_depth_limit(re->mctx, 10000);
	return re;
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

int cv_regex_exec(const cv_regex *re, const char *s, size_t len,
		  long *ovec, int max_groups)
{
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
