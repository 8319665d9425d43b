/*
 * Unit scaling and formatting against go tool pprof's measurement package
 * (internal/measurement/measurement.go): Scale, ScaledLabel, Percentage.
 *
 * The expectations follow measurement.go's rules:
 *  - unit names are lower-cased and, when longer than 2 bytes, lose one
 *    trailing "s" before the alias lookup ("nanoseconds" -> "nanosecond",
 *    "kbs" -> "kb", but "μs" is 3 bytes and becomes "μ", which no family
 *    knows);
 *  - "minimum"/"auto" (case-sensitive) pick the largest unit in which the
 *    value is >= 1, else the family's default unit (B, s, GCU);
 *  - an unknown target unit in a known family falls back to that default;
 *  - an unknown source unit leaves the value alone and prints the target
 *    unit unless it is count/sample/unit/minimum/auto;
 *  - negative values scale as their absolute value (INT64_MIN as is);
 *  - labels print "%.2f", drop a trailing ".00", and "0"/"-0" print "0".
 * Each row was checked against pprof's own measurement package (vendored
 * source built in a scratch module) so that C and Go formatting agree,
 * including %g in Percentage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/units.h"

typedef struct scale_case {
	int64_t value;
	const char *from, *to;
	double scaled;
	const char *unit;
	const char *label;
} scale_case;

static const scale_case scale_cases[] = {
	/* bytes: powers of 1024 */
	{1536LL, "bytes", "minimum", 1.5, "kB", "1.50kB"},
	{1024LL, "bytes", "minimum", 1, "kB", "1kB"},
	{0LL, "bytes", "minimum", 0, "B", "0"},
	{1LL, "bytes", "minimum", 1, "B", "1B"},
	{1023LL, "bytes", "minimum", 1023, "B", "1023B"},
	{1025LL, "bytes", "minimum", 1.0009765625, "kB", "1kB"},
	{1535LL, "bytes", "minimum", 1.4990234375, "kB", "1.50kB"},
	{1048576LL, "bytes", "minimum", 1, "MB", "1MB"},
	{3221225472LL, "bytes", "auto", 3, "GB", "3GB"},
	{1099511627776LL, "B", "minimum", 1, "TB", "1TB"},
	{2251799813685248LL, "Bytes", "minimum", 2, "PB", "2PB"},
	{4611686018427387904LL, "BYTES", "minimum", 4096, "PB", "4096PB"},
	{3LL, "kilobytes", "minimum", 3, "kB", "3kB"},
	{3LL, "kb", "B", 3072, "B", "3072B"},
	{3LL, "kbs", "minimum", 3, "kB", "3kB"},
	{5242880LL, "bytes", "kB", 5120, "kB", "5120kB"},
	{5242880LL, "bytes", "GB", 0.0048828125, "GB", "0"},
	/* time */
	{1500LL, "nanoseconds", "minimum", 1.5, "us", "1.50us"},
	{999LL, "nanoseconds", "minimum", 999, "ns", "999ns"},
	{1000000LL, "nanoseconds", "minimum", 1, "ms", "1ms"},
	{2500000000LL, "nanoseconds", "minimum", 2.5, "s", "2.50s"},
	{7200000000000LL, "nanoseconds", "minimum", 2, "hrs", "2hrs"},
	{1500LL, "NanoSeconds", "auto", 1.5, "us", "1.50us"},
	{1500LL, "ns", "minimum", 1.5, "us", "1.50us"},
	{1500LL, "us", "minimum", 1.5, "ms", "1.50ms"},
	{1500LL, "microseconds", "minimum", 1.5, "ms", "1.50ms"},
	{1500LL, "ms", "minimum", 1.5, "s", "1.50s"},
	{90LL, "s", "minimum", 90, "s", "90s"},
	{90LL, "sec", "minimum", 90, "s", "90s"},
	{90LL, "seconds", "minimum", 90, "s", "90s"},
	{3LL, "hours", "minimum", 3, "hrs", "3hrs"},
	{3LL, "hrs", "minimum", 3, "hrs", "3hrs"},
	/* explicit target units */
	{1500000LL, "nanoseconds", "ms", 1.5, "ms", "1.50ms"},
	{1500000LL, "nanoseconds", "s", 0.0015, "s", "0"},
	{1500000LL, "nanoseconds", "seconds", 0.0015, "s", "0"},
	{1500000LL, "nanoseconds", "MS", 1.5, "ms", "1.50ms"},
	{2160000000000LL, "nanoseconds", "hrs", 0.6, "hrs", "0.60hrs"},
	{1500000LL, "nanoseconds", "us", 1500, "us", "1500us"},
	{10LL, "nanoseconds", "ms", 1e-05, "ms", "0"},
	{4999LL, "nanoseconds", "us", 4.999, "us", "5us"},
	{4995LL, "nanoseconds", "us", 4.995, "us", "5us"},
	{1005LL, "nanoseconds", "us", 1.005, "us", "1us"},
	/* a target from another family, or unknown: the family default */
	{2048LL, "bytes", "ms", 2048, "B", "2048B"},
	{1500000000LL, "nanoseconds", "kb", 1.5, "s", "1.50s"},
	{1500000000LL, "nanoseconds", "bogus", 1.5, "s", "1.50s"},
	/* "minimum" is matched case-sensitively: "Minimum" is an unknown unit */
	{1000LL, "bytes", "Minimum", 1000, "B", "1000B"},
	/* counts and unknown units pass through */
	{5LL, "count", "minimum", 5, "", "5"},
	{5LL, "count", "count", 5, "", "5"},
	{5LL, "count", "ms", 5, "ms", "5ms"},
	{42LL, "widgets", "minimum", 42, "", "42"},
	{42LL, "widgets", "auto", 42, "", "42"},
	{42LL, "widgets", "sample", 42, "", "42"},
	{42LL, "widgets", "unit", 42, "", "42"},
	{42LL, "widgets", "widgets", 42, "widgets", "42widgets"},
	{42LL, "", "minimum", 42, "", "42"},
	/* "μs" (3 bytes) loses its "s" before lookup: unknown as a source */
	{5LL, "\xce\xbcs", "ns", 5, "ns", "5ns"},
	{5LL, "\xc2\xb5s", "minimum", 5, "", "5"},
	/* negative values */
	{-1536LL, "bytes", "minimum", -1.5, "kB", "-1.50kB"},
	{-1LL, "nanoseconds", "minimum", -1, "ns", "-1ns"},
	{INT64_MIN, "bytes", "minimum", -9.223372036854776e+18, "B", "-9223372036854775808B"},
	{-1LL, "nanoseconds", "s", -1e-09, "s", "0"},
	/* GCU */
	{1500LL, "milligcu", "minimum", 1.5, "GCU", "1.50GCU"},
	{2LL, "gcu", "minimum", 2, "GCU", "2GCU"},
	{3LL, "kilogcu", "minimum", 3, "k*GCU", "3k*GCU"},
};

static void test_scale_and_label(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scale_cases) / sizeof(scale_cases[0]); i++) {
		const scale_case *c = &scale_cases[i];
		const char *unit = "unset";
		double v = cv_unit_scale(c->value, c->from, c->to, &unit);
		if (v != c->scaled || strcmp(unit, c->unit) != 0)
			fail_msg("cv_unit_scale(%lld, \"%s\", \"%s\") = %.17g \"%s\", want %.17g \"%s\"",
				 (long long)c->value, c->from, c->to, v, unit, c->scaled, c->unit);
		char buf[64];
		const char *l = cv_unit_label(buf, sizeof(buf), c->value, c->from, c->to);
		assert_ptr_equal(l, buf);
		if (strcmp(buf, c->label) != 0)
			fail_msg("cv_unit_label(%lld, \"%s\", \"%s\") = \"%s\", want \"%s\"",
				 (long long)c->value, c->from, c->to, buf, c->label);
	}
}

/* unit_out may be NULL; a short buffer is truncated and terminated. */
static void test_scale_null_unit_and_short_buffer(void **state)
{
	(void)state;
	assert_true(cv_unit_scale(2048, "bytes", "minimum", NULL) == 2.0);
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	cv_unit_label(buf, 4, 1536, "bytes", "minimum");
	assert_string_equal(buf, "1.5");
	assert_int_equal(buf[4], 'x');
	cv_unit_label(buf, 1, 1536, "bytes", "minimum");
	assert_string_equal(buf, "");
}

typedef struct pct_case {
	int64_t value, total;
	const char *want;
} pct_case;

static const pct_case pct_cases[] = {
	/* within 0.05 of 100% */
	{100LL, 100LL, "  100%"},
	{9995LL, 10000LL, "  100%"},
	{10005LL, 10000LL, "  100%"},
	{10006LL, 10000LL, "100.06%"},
	{9994LL, 10000LL, "99.94%"},
	/* %5.2f from 1% up */
	{1234LL, 10000LL, "12.34%"},
	{5LL, 10LL, "50.00%"},
	{1LL, 100LL, " 1.00%"},
	{200LL, 100LL, "200.00%"},
	{123456LL, 1000LL, "12345.60%"},
	{-50LL, 100LL, "50.00%"},
	/* %5.2g below 1% */
	{12LL, 10000LL, " 0.12%"},
	{-12LL, 10000LL, " 0.12%"},
	{1LL, 1000LL, "  0.1%"},
	{1LL, 101LL, " 0.99%"},
	{99LL, 10000LL, " 0.99%"},
	{9999LL, 1000000LL, "    1%"},
	{1LL, 3000000LL, "3.3e-05%"},
	{1LL, 1099511627776LL, "9.1e-11%"},
	/* zero, and a zero total */
	{0LL, 0LL, "    0%"},
	{0LL, 100LL, "    0%"},
	{5LL, 0LL, "    0%"},
};

static void test_percentage(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pct_cases) / sizeof(pct_cases[0]); i++) {
		const pct_case *c = &pct_cases[i];
		char buf[32];
		const char *r = cv_unit_percent(buf, sizeof(buf), c->value, c->total);
		assert_ptr_equal(r, buf);
		if (strcmp(buf, c->want) != 0)
			fail_msg("cv_unit_percent(%lld, %lld) = \"%s\", want \"%s\"",
				 (long long)c->value, (long long)c->total, buf, c->want);
	}
}

static void test_unit_known(void **state)
{
	(void)state;
	assert_true(cv_unit_known("minimum"));
	assert_true(cv_unit_known("auto"));
	assert_true(cv_unit_known("ms"));
	assert_true(cv_unit_known("MB"));
	assert_true(cv_unit_known("kilobytes"));
	assert_true(cv_unit_known("seconds"));
	assert_true(cv_unit_known("hrs"));
	assert_true(cv_unit_known("gcu"));
	assert_false(cv_unit_known("widgets"));
	assert_false(cv_unit_known("count"));
	assert_false(cv_unit_known(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_and_label),
		cmocka_unit_test(test_scale_null_unit_and_short_buffer),
		cmocka_unit_test(test_percentage),
		cmocka_unit_test(test_unit_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
