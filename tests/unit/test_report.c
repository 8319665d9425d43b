/*
 * cv_report_top on a hand-built CPU profile, checked line by line against
 * go tool pprof -top's layout (report.go printText / reportLabels):
 *   header labels, then "%10s %5s%% %5s%% %10s %5s%%" and one
 *   "%10s %s %s %10s %s  %s" row per node, "(inline)" /
 *   "(partial-inline)" marks, "Dropped N nodes (cum <= X)",
 *   "Showing top N nodes out of M", output unit selection.
 *
 * The profile (10ms per sample, values in nanoseconds):
 *   main work compute     250      main io RC   20   (RC = [copy, read]: copy inlined)
 *   main work             100      main copy    10   (copy also called for real)
 *   main work HC           50      main io       7
 *   (HC = [hash, compute]: hash inlined)            main gc       2
 *   main io read           40      main tiny     1
 * total 480 samples = 4800ms. The expected texts were derived from pprof's
 * algorithm and match go tool pprof 1.19's output on the same profile
 * written with pprof's profile package.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "callviz/profile.h"
#include "callviz/report.h"
#include "testprof.h"

/* ---- the profile ----------------------------------------------------------- */

/* `n` samples of 10ms along `stack` (location labels, root first). */
static void add_sample(tprof *t, int64_t n, const char *stack)
{
	tp_sample2(t, n, n * 10000000, stack);
}

static tprof *cpu_profile(void)
{
	tprof *t = tp_new();
	tp_types(t, "samples", "count", "cpu", "nanoseconds");
	t->p.period_type = (cv_value_type){"cpu", "nanoseconds"};
	t->p.period = 10000000;
	tp_loc(t, "HC", 0x10, -1, 2, "hash", 0, "compute", 0);
	tp_loc(t, "RC", 0x20, -1, 2, "copy", 0, "read", 0);
	add_sample(t, 250, "main work compute");
	add_sample(t, 100, "main work");
	add_sample(t, 50, "main work HC");
	add_sample(t, 40, "main io read");
	add_sample(t, 20, "main io RC");
	add_sample(t, 10, "main copy");
	add_sample(t, 7, "main io");
	add_sample(t, 2, "main gc");
	add_sample(t, 1, "main tiny");
	return t;
}

/* ---- running reports -------------------------------------------------------- */

static cv_report_options text_options(void)
{
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	o.node_count = 0;   /* go tool pprof -top: no node limit */
	return o;
}

static void expect_top(const cv_profile *p, const cv_report_options *o, const char *want)
{
	char *got = tp_report(cv_report_top, p, o);
	if (strcmp(got, want) != 0) {
		print_error("--- want ---\n%s--- got ---\n%s------------\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* go tool pprof -top */
static void test_top_default(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 4770ms, 99.38% of 4800ms total\n"
		   "Dropped 2 nodes (cum <= 24ms)\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "    2500ms 52.08% 52.08%     3000ms 62.50%  compute\n"
		   "    1000ms 20.83% 72.92%     4000ms 83.33%  work\n"
		   "     500ms 10.42% 83.33%      500ms 10.42%  hash (inline)\n"
		   "     400ms  8.33% 91.67%      600ms 12.50%  read\n"
		   "     300ms  6.25% 97.92%      300ms  6.25%  copy (partial-inline)\n"
		   "      70ms  1.46% 99.38%      670ms 13.96%  io\n"
		   "         0     0% 99.38%     4800ms   100%  main\n");
	tp_free(t);
}

/* go tool pprof -top -nodecount=3 */
static void test_top_node_count(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.node_count = 3;
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 4000ms, 83.33% of 4800ms total\n"
		   "Dropped 2 nodes (cum <= 24ms)\n"
		   "Showing top 3 nodes out of 7\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "    2500ms 52.08% 52.08%     3000ms 62.50%  compute\n"
		   "    1000ms 20.83% 72.92%     4000ms 83.33%  work\n"
		   "     500ms 10.42% 83.33%      500ms 10.42%  hash (inline)\n");
	tp_free(t);
}

/* go tool pprof -top -nodecount=3 -cum */
static void test_top_node_count_cum(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.node_count = 3;
	o.cum_sort = true;
	/* smallest flat is work's 1s; main's flat is 0 so its cum counts: the
	 * minimum is 1s -> unit s */
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 3.50s, 72.92% of 4.80s total\n"
		   "Dropped 2 nodes (cum <= 0.02s)\n"
		   "Showing top 3 nodes out of 7\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "         0     0%     0%      4.80s   100%  main\n"
		   "        1s 20.83% 20.83%         4s 83.33%  work\n"
		   "     2.50s 52.08% 72.92%         3s 62.50%  compute\n");
	tp_free(t);
}

/* go tool pprof -top -cum -unit=s */
static void test_top_cum_unit(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.cum_sort = true;
	o.output_unit = "s";
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 4.77s, 99.38% of 4.80s total\n"
		   "Dropped 2 nodes (cum <= 0.02s)\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "         0     0%     0%      4.80s   100%  main\n"
		   "        1s 20.83% 20.83%         4s 83.33%  work\n"
		   "     2.50s 52.08% 72.92%         3s 62.50%  compute\n"
		   "     0.07s  1.46% 74.38%      0.67s 13.96%  io\n"
		   "     0.40s  8.33% 82.71%      0.60s 12.50%  read\n"
		   "     0.50s 10.42% 93.12%      0.50s 10.42%  hash (inline)\n"
		   "     0.30s  6.25% 99.38%      0.30s  6.25%  copy (partial-inline)\n");
	tp_free(t);
}

/*
 * go tool pprof -top -nodefraction=0: nothing dropped. The smallest value
 * is tiny's 10ms, and 100 * 10ms < 4.8s, so pprof's selectOutputUnit
 * scales 1s instead and picks seconds.
 */
static void test_top_no_trim_unit_upscaled(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.node_fraction = 0;
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 4.80s, 100% of 4.80s total\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "     2.50s 52.08% 52.08%         3s 62.50%  compute\n"
		   "        1s 20.83% 72.92%         4s 83.33%  work\n"
		   "     0.50s 10.42% 83.33%      0.50s 10.42%  hash (inline)\n"
		   "     0.40s  8.33% 91.67%      0.60s 12.50%  read\n"
		   "     0.30s  6.25% 97.92%      0.30s  6.25%  copy (partial-inline)\n"
		   "     0.07s  1.46% 99.38%      0.67s 13.96%  io\n"
		   "     0.02s  0.42% 99.79%      0.02s  0.42%  gc\n"
		   "     0.01s  0.21%   100%      0.01s  0.21%  tiny\n"
		   "         0     0%   100%      4.80s   100%  main\n");
	tp_free(t);
}

/* go tool pprof -top -sample_index=0: counts have no unit; "1 node". */
static void test_top_counts(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.sample_index = 0;
	expect_top(&t->p, &o,
		   "Type: samples\n"
		   "Showing nodes accounting for 479, 99.79% of 480 total\n"
		   "Dropped 1 node (cum <= 2)\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "       250 52.08% 52.08%        300 62.50%  compute\n"
		   "       100 20.83% 72.92%        400 83.33%  work\n"
		   "        50 10.42% 83.33%         50 10.42%  hash (inline)\n"
		   "        40  8.33% 91.67%         60 12.50%  read\n"
		   "        30  6.25% 97.92%         30  6.25%  copy (partial-inline)\n"
		   "         7  1.46% 99.38%         67 13.96%  io\n"
		   "         2  0.42% 99.79%          2  0.42%  gc\n"
		   "         0     0% 99.79%        480   100%  main\n");
	tp_free(t);
}

/* go tool pprof -top -unit=hrs -nodefraction=0.1: everything rounds to 0. */
static void test_top_all_zero_labels(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.node_fraction = 0.1;
	o.output_unit = "hrs";
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 0, 93.12% of 0 total\n"
		   "Dropped 3 nodes (cum <= 0)\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "         0 52.08% 52.08%          0 62.50%  compute\n"
		   "         0 20.83% 72.92%          0 83.33%  work\n"
		   "         0 10.42% 83.33%          0 10.42%  hash (inline)\n"
		   "         0  8.33% 91.67%          0 12.50%  read\n"
		   "         0  1.46% 93.12%          0 13.96%  io\n"
		   "         0     0% 93.12%          0   100%  main\n");
	tp_free(t);
}

/* A profile duration adds "Duration: 5s, Total samples = 4800ms (96.00%)". */
static void test_top_duration(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	t->p.duration_nanos = 5000000000LL;
	cv_report_options o = text_options();
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Duration: 5s, Total samples = 4800ms (96.00%)\n"
		   "Showing nodes accounting for 4770ms, 99.38% of 4800ms total\n"
		   "Dropped 2 nodes (cum <= 24ms)\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "    2500ms 52.08% 52.08%     3000ms 62.50%  compute\n"
		   "    1000ms 20.83% 72.92%     4000ms 83.33%  work\n"
		   "     500ms 10.42% 83.33%      500ms 10.42%  hash (inline)\n"
		   "     400ms  8.33% 91.67%      600ms 12.50%  read\n"
		   "     300ms  6.25% 97.92%      300ms  6.25%  copy (partial-inline)\n"
		   "      70ms  1.46% 99.38%      670ms 13.96%  io\n"
		   "         0     0% 99.38%     4800ms   100%  main\n");
	tp_free(t);
}

/*
 * go tool pprof -top -focus=io: the total is taken before filtering, the
 * filter is listed, copy is now reached only inlined.
 */
static void test_top_focus(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.total = cv_report_total(&t->p, 1);
	assert_int_equal(o.total, 4800000000LL);
	cv_filter_options fo = {.focus = "io"};
	assert_int_equal(cv_filter_samples(&t->p, &fo, NULL), 0);
	const char *filters[] = {"focus=io"};
	o.active_filters = filters;
	o.n_active_filters = 1;
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Active filters:\n"
		   "   focus=io\n"
		   "Showing nodes accounting for 670ms, 13.96% of 4800ms total\n"
		   "      flat  flat%   sum%        cum   cum%\n"
		   "     400ms  8.33%  8.33%      600ms 12.50%  read\n"
		   "     200ms  4.17% 12.50%      200ms  4.17%  copy (inline)\n"
		   "      70ms  1.46% 13.96%      670ms 13.96%  io\n"
		   "         0     0% 13.96%      670ms 13.96%  main\n");
	tp_free(t);
}

/* An empty profile (no samples): only the header. */
static void test_top_empty(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	t->p.n_samples = 0;
	cv_report_options o = text_options();
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Showing nodes accounting for 0, 0% of 0 total\n"
		   "      flat  flat%   sum%        cum   cum%\n");
	/* with a duration but no samples: no ratio, a trailing space */
	t->p.duration_nanos = 5000000000LL;
	expect_top(&t->p, &o,
		   "Type: cpu\n"
		   "Duration: 5s, Total samples = 0 \n"
		   "Showing nodes accounting for 0, 0% of 0 total\n"
		   "      flat  flat%   sum%        cum   cum%\n");
	tp_free(t);
}

/* A bad sample index is an error, and nothing is printed. */
static void test_top_bad_sample_index(void **state)
{
	(void)state;
	tprof *t = cpu_profile();
	cv_report_options o = text_options();
	o.sample_index = 2;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int rc = cv_report_top(f, &t->p, &o);
	fclose(f);
	assert_true(rc < 0);
	assert_int_equal(len, 0);
	free(buf);
	tp_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_default),
		cmocka_unit_test(test_top_node_count),
		cmocka_unit_test(test_top_node_count_cum),
		cmocka_unit_test(test_top_cum_unit),
		cmocka_unit_test(test_top_no_trim_unit_upscaled),
		cmocka_unit_test(test_top_counts),
		cmocka_unit_test(test_top_all_zero_labels),
		cmocka_unit_test(test_top_duration),
		cmocka_unit_test(test_top_focus),
		cmocka_unit_test(test_top_empty),
		cmocka_unit_test(test_top_bad_sample_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
