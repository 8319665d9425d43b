/*
 * The pattern parsers: regexes (RE2 syntax on PCRE2, with Perl-only syntax
 * refused), and -tagfocus / -tagignore values (numeric ranges with units,
 * or comma-separated regexes). The first byte picks the parser; the rest
 * is the pattern. A compiled regex is matched against names that stress
 * UTF-8 handling and backtracking, with its match limits in force.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "util/regex.h"

static const char *const subjects[] = {
	"",
	"main.main",
	"runtime.mallocgc",
	"github.com/x/y.(*T).Method[...]",
	"std::vector<int, std::allocator<int> >::push_back(int const&)",
	"\xff\xfe invalid \xc3 utf-8 \xe2\x82",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
	"a\nb\\c\"d{e}<f>&g",
};

#define N_SUBJECTS (sizeof(subjects) / sizeof(subjects[0]))

static void regex(const char *pattern)
{
	cv_regex *re = cv_regex_compile(pattern, "focus");
	if (!re)
		return;
	for (size_t i = 0; i < N_SUBJECTS; i++)
		cv_regex_match(re, subjects[i]);
	long ovec[8];
	cv_regex_exec(re, pattern, strlen(pattern), ovec, 4);
	cv_regex_free(re);
}

static void tag_filter(const char *spec)
{
	static const cv_num_label_unit units[] = {
		{"bytes", "bytes", NULL, 0},
		{"request", "bytes", NULL, 0},
		{"span", "nanoseconds", NULL, 0},
	};
	cv_tag_filter *f = NULL;
	bool range;
	if (cv_tag_filter_compile(&f, "tagfocus", spec, units, 3, &range) == 0 && f) {
		cv_label labels[] = {
			{"bytes", NULL, 4096, "bytes"},
			{"span", NULL, -1, "nanoseconds"},
			{"key", "value", 0, ""},
			{"\xff", "\xc3", 0, ""},
		};
		cv_sample s = {.labels = labels, .n_labels = 4};
		cv_tag_filter_match(f, &s);
	}
	cv_tag_filter_free(f);
	cv_tag_range r;
	if (cv_tag_range_parse(spec, &r) == 1) {
		cv_tag_range_match(&r, INT64_MAX, "bytes");
		cv_tag_range_match(&r, INT64_MIN, "ms");
		cv_tag_range_match(&r, 0, r.unit);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *pattern = malloc(size);
	memcpy(pattern, data + 1, size - 1);
	pattern[size - 1] = '\0';
	if (data[0] & 1)
		tag_filter(pattern);
	else
		regex(pattern);
	free(pattern);
	return 0;
}
