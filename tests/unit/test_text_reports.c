/*
 * The text reports of lib/report (traces, raw, tree, peek, callgrind, list)
 * on a small hand-built CPU profile, after cv_profile_compact, checked byte
 * for byte against go tool pprof 1.19 on the same profile written with
 * pprof's profile package. The profile:
 *
 *   mapping /bin/app 0x1000-0x9000; functions main (main.go:10),
 *   work (work.go:20), hash (work.go:30), compute (work.go:40)
 *   L1 0x1100 main:12        L2 0x1200 work:22      L4 0x1400 compute:43
 *   L3 0x1300 hash:31 inlined into compute:45       L5 = L2 again
 *   samples (count, cpu):  L3 L2 L1  3, 30ms  worker=a
 *                          L4 L2 L1  2, 20ms  worker=b bytes=64
 *                          L2 L1     1, 10ms  worker=a
 *                          L5 L1     1, 10ms  worker=a  (merges with the one above)
 *                          L4 L1     0, 0               (dropped)
 *
 * Also: the source search rules of -list (trim_path, source_path).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "callviz/report.h"
#include "report/source_path.h"
#include "util/arena.h"
#include "testprof.h"

/* ---- what go tool pprof prints --------------------------------------------- */

/* go tool pprof -traces */
static const char want_traces[] =
	"File: app\n"
	"Type: cpu\n"
	"Duration: 1.50s, Total samples = 70ms ( 4.67%)\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  a\n"
	"      30ms   hash (inline)\n"
	"             compute\n"
	"             work\n"
	"             main\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  b\n"
	"     bytes:  64B\n"
	"      20ms   compute\n"
	"             work\n"
	"             main\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  a\n"
	"      20ms   work\n"
	"             main\n"
	"-----------+-------------------------------------------------------\n";

/* go tool pprof -traces -lines */
static const char want_traces_lines[] =
	"File: app\n"
	"Type: cpu\n"
	"Duration: 1.50s, Total samples = 70ms ( 4.67%)\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  a\n"
	"      30ms   hash work.go:31 (inline)\n"
	"             compute work.go:45\n"
	"             work work.go:22\n"
	"             main main.go:12\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  b\n"
	"     bytes:  64B\n"
	"      20ms   compute work.go:43\n"
	"             work work.go:22\n"
	"             main main.go:12\n"
	"-----------+-------------------------------------------------------\n"
	"    worker:  a\n"
	"      20ms   work work.go:22\n"
	"             main main.go:12\n"
	"-----------+-------------------------------------------------------\n";

/* go tool pprof -raw */
static const char want_raw[] =
	"PeriodType: cpu nanoseconds\n"
	"Period: 10000000\n"
	"Duration: 1.5s\n"
	"Samples:\n"
	"samples/count cpu/nanoseconds\n"
	"          3   30000000: 1 2 3 \n"
	"                worker:[a]\n"
	"          2   20000000: 4 2 3 \n"
	"                worker:[b]\n"
	"                bytes:[64]\n"
	"          2   20000000: 2 3 \n"
	"                worker:[a]\n"
	"Locations\n"
	"     1: 0x1300 M=1 hash work.go:31 s=30\n"
	"             compute work.go:45 s=40\n"
	"     2: 0x1200 M=1 work work.go:22 s=20\n"
	"     3: 0x1100 M=1 main main.go:12 s=10\n"
	"     4: 0x1400 M=1 compute work.go:43 s=40\n"
	"Mappings\n"
	"1: 0x1000/0x9000/0x0 /bin/app  [FN]\n";

/* go tool pprof -tree */
static const char want_tree[] =
	"File: app\n"
	"Type: cpu\n"
	"Duration: 1.50s, Total samples = 70ms ( 4.67%)\n"
	"Showing nodes accounting for 70ms, 100% of 70ms total\n"
	"----------------------------------------------------------+-------------\n"
	"      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n"
	"----------------------------------------------------------+-------------\n"
	"                                              30ms   100% |   compute (inline)\n"
	"      30ms 42.86% 42.86%       30ms 42.86%                | hash\n"
	"----------------------------------------------------------+-------------\n"
	"                                              50ms   100% |   work\n"
	"      20ms 28.57% 71.43%       50ms 71.43%                | compute\n"
	"                                              30ms 60.00% |   hash (inline)\n"
	"----------------------------------------------------------+-------------\n"
	"                                              70ms   100% |   main\n"
	"      20ms 28.57%   100%       70ms   100%                | work\n"
	"                                              50ms 71.43% |   compute\n"
	"----------------------------------------------------------+-------------\n"
	"         0     0%   100%       70ms   100%                | main\n"
	"                                              70ms   100% |   work\n"
	"----------------------------------------------------------+-------------\n";

/* go tool pprof -peek=work|hash */
static const char want_peek[] =
	"File: app\n"
	"Type: cpu\n"
	"Duration: 1.50s, Total samples = 70ms ( 4.67%)\n"
	"Showing nodes accounting for 70ms, 100% of 70ms total\n"
	"----------------------------------------------------------+-------------\n"
	"      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n"
	"----------------------------------------------------------+-------------\n"
	"                                              30ms   100% |   compute (inline)\n"
	"      30ms 42.86% 42.86%       30ms 42.86%                | hash\n"
	"----------------------------------------------------------+-------------\n"
	"                                              70ms   100% |   main\n"
	"      20ms 28.57% 71.43%       70ms   100%                | work\n"
	"                                              50ms 71.43% |   compute\n"
	"----------------------------------------------------------+-------------\n";

/* go tool pprof -callgrind */
static const char want_callgrind[] =
	"positions: instr line\n"
	"events: cpu(ms)\n"
	"\n"
	"ob=(1) /bin/app\n"
	"fl=(1) work.go\n"
	"fn=(1) hash\n"
	"0x1300 31 30\n"
	"\n"
	"ob=(1)\n"
	"fl=(1)\n"
	"fn=(2) work\n"
	"-256 22 20\n"
	"cfl=(1)\n"
	"cfn=(3) compute\n"
	"calls=0 * 45\n"
	"* * 30\n"
	"cfl=(1)\n"
	"cfn=(3)\n"
	"calls=0 +256 43\n"
	"* * 20\n"
	"\n"
	"ob=(1)\n"
	"fl=(1)\n"
	"fn=(3)\n"
	"+512 43 20\n"
	"\n"
	"ob=(1)\n"
	"fl=(2) main.go\n"
	"fn=(4) main\n"
	"-768 12 0\n"
	"cfl=(1)\n"
	"cfn=(2)\n"
	"calls=0 -512 22\n"
	"* * 70\n"
	"\n"
	"ob=(1)\n"
	"fl=(1)\n"
	"fn=(3)\n"
	"+512 45 0\n"
	"cfl=(1)\n"
	"cfn=(1)\n"
	"calls=0 +512 31\n"
	"* * 30\n";

/* go tool pprof -list=compute|main */
static const char want_list[] =
	"Total: 70ms\n"
	"ROUTINE ======================== compute in work.go\n"
	"      20ms       50ms (flat, cum) 71.43% of Total\n"
	"         .          .     40:work line 40\n"
	"         .          .     41:work line 41\n"
	"         .          .     42:work line 42\n"
	"      20ms       20ms     43:work line 43\n"
	"         .          .     44:\twork line 44\n"
	"         .       30ms     45:work line 45\n"
	"         .          .     46:work line 46\n"
	"         .          .     47:work line 47\n"
	"         .          .     48:work line 48\n"
	"         .          .     49:work line 49\n"
	"         .          .     50:work line 50\n"
	"ROUTINE ======================== main in main.go\n"
	"         0       70ms (flat, cum)   100% of Total\n"
	"         .          .     10:main line 10\n"
	"         .          .     11:main line 11\n"
	"         .       70ms     12:main line 12\n"
	"         .          .     13:main line 13\n"
	"         .          .     14:main line 14\n"
	"         .          .     15:main line 15\n"
	"         .          .     16:main line 16\n"
	"         .          .     17:main line 17\n";


/* ---- the profile ----------------------------------------------------------- */

/* A sample's labels: worker (a string), then bytes (a number), each if set. */
static void add_sample(cv_profile *p, const uint32_t *locs, size_t n, int64_t count,
		       const char *worker, int64_t bytes)
{
	cv_label l[2];
	size_t k = 0;
	if (worker)
		l[k++] = (cv_label){.key = "worker", .str = worker, .num_unit = ""};
	if (bytes)
		l[k++] = (cv_label){.key = "bytes", .num = bytes, .num_unit = ""};
	tp_arena_sample(p, locs, n, count, l, k);
}

static void add_location(cv_profile *p, uint64_t addr, int f1, int64_t l1, int f2, int64_t l2)
{
	tp_arena_location(p, p->n_locations + 1, &p->mappings[0], addr, f1, l1, f2, l2);
}

static cv_profile *tiny_profile(void)
{
	cv_profile *p = tp_arena_new(1, 4, 5, 5);
	p->mappings[0] = (cv_mapping){.id = 1, .start = 0x1000, .limit = 0x9000, .file = "/bin/app",
				      .build_id = "", .has_functions = true};
	p->n_mappings = 1;
	static const struct { const char *name, *file; int64_t start; } fns[] = {
		{"main", "main.go", 10}, {"work", "work.go", 20},
		{"hash", "work.go", 30}, {"compute", "work.go", 40},
	};
	for (size_t i = 0; i < 4; i++)
		p->functions[i] = (cv_function){i + 1, fns[i].name, fns[i].name, fns[i].file,
						fns[i].start};
	p->n_functions = 4;
	enum { MAIN, WORK, HASH, COMPUTE };
	add_location(p, 0x1100, MAIN, 12, -1, 0);
	add_location(p, 0x1200, WORK, 22, -1, 0);
	add_location(p, 0x1300, HASH, 31, COMPUTE, 45);
	add_location(p, 0x1400, COMPUTE, 43, -1, 0);
	add_location(p, 0x1200, WORK, 22, -1, 0);
	add_sample(p, (uint32_t[]){2, 1, 0}, 3, 3, "a", 0);
	add_sample(p, (uint32_t[]){3, 1, 0}, 3, 2, "b", 64);
	add_sample(p, (uint32_t[]){1, 0}, 2, 1, "a", 0);
	add_sample(p, (uint32_t[]){4, 0}, 2, 1, "a", 0);
	add_sample(p, (uint32_t[]){3, 0}, 2, 0, NULL, 0);
	assert_int_equal(cv_profile_compact(p), 0);
	return p;
}

/* ---- running reports -------------------------------------------------------- */

typedef int (*report_fn)(FILE *, const cv_profile *, const cv_report_options *);

static cv_report_options options(void)
{
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 1;
	return o;
}

static int run(report_fn fn, const cv_report_options *o, char **text)
{
	cv_profile *p = tiny_profile();
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	assert_non_null(f);
	int rc = fn(f, p, o);
	fclose(f);
	cv_profile_free(p);
	return rc;
}

static void expect(report_fn fn, const cv_report_options *o, const char *want)
{
	char *got = NULL;
	int rc = run(fn, o, &got);
	if (rc != 0)
		fail_msg("report failed: %d %s", rc, cv_error_last());
	if (strcmp(got, want) != 0) {
		print_error("--- want ---\n%s--- got ---\n%s------------\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_compact(void **state)
{
	(void)state;
	cv_profile *p = tiny_profile();
	/* The zero sample is gone, the two equal ones are one, L5 is L2. */
	assert_int_equal(p->n_samples, 3);
	assert_int_equal(p->samples[2].values[0], 2);
	assert_int_equal(p->n_locations, 4);
	/* Ids follow first use: the first sample's leaf is location 1. */
	assert_int_equal(p->locations[0].id, 1);
	assert_int_equal(p->locations[0].address, 0x1300);
	assert_string_equal(p->functions[0].name, "hash");
	cv_profile_free(p);
}

static void test_traces(void **state)
{
	(void)state;
	cv_report_options o = options();
	expect(cv_report_traces, &o, want_traces);
	o.granularity = CV_GRAN_LINES;
	expect(cv_report_traces, &o, want_traces_lines);
}

static void test_raw(void **state)
{
	(void)state;
	cv_report_options o = options();
	expect(cv_report_raw, &o, want_raw);
}

/* pprof prints the duration with Go's "%.4v": Duration.String, four runes. */
static void test_raw_duration(void **state)
{
	(void)state;
	static const struct { int64_t nanos; const char *want; } cases[] = {
		{200000000, "200m"}, {1500, "1.5\u00b5"}, {90000000000, "1m30"}, {999, "999n"},
		{3636123456, "3.63"}, {7200000000000, "2h0m"}, {-1500000, "-1.5"},
	};
	cv_report_options o = options();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cv_profile *p = tiny_profile();
		p->duration_nanos = cases[i].nanos;
		char *text = NULL, want[64];
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		assert_int_equal(cv_report_raw(f, p, &o), 0);
		fclose(f);
		snprintf(want, sizeof(want), "\nDuration: %s\nSamples:", cases[i].want);
		if (!strstr(text, want))
			fail_msg("duration %lld: want %s in\n%s", (long long)cases[i].nanos, want, text);
		free(text);
		cv_profile_free(p);
	}
}

static void test_tree_and_peek(void **state)
{
	(void)state;
	cv_report_options o = options();
	expect(cv_report_tree, &o, want_tree);
	o.symbol = "work|hash";
	expect(cv_report_tree, &o, want_peek);
	char *got = NULL;
	o.symbol = "nothing_like_it";
	assert_int_equal(run(cv_report_tree, &o, &got), CV_ENOTFOUND);
	assert_string_equal(cv_error_last(), "no matches found for regexp: nothing_like_it");
	free(got);
}

static void test_callgrind(void **state)
{
	(void)state;
	cv_report_options o = options();
	expect(cv_report_callgrind, &o, want_callgrind);
}

static void write_file(const char *dir, const char *name, const char *prefix, int lines)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 1; i <= lines; i++)
		fprintf(f, "%s%s line %d\n", i == 44 ? "\t" : "", prefix, i);
	fclose(f);
}

static void test_list(void **state)
{
	(void)state;
	char dir[] = "/tmp/callviz-list-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "main.go", "main", 20);
	write_file(dir, "work.go", "work", 50);
	cv_report_options o = options();
	o.symbol = "compute|main";
	o.source_path = dir;
	expect(cv_report_list, &o, want_list);
	/* Not on the search path: one error line per routine, as pprof prints. */
	char *got = NULL;
	o.symbol = "^main$";
	o.source_path = "/nonexistent";
	assert_int_equal(run(cv_report_list, &o, &got), 0);
	assert_non_null(strstr(got, "ROUTINE ======================== main in main.go\n"
				    "         0       70ms (flat, cum)   100% of Total\n"
				    " Error: could not find file main.go on path /nonexistent\n"));
	free(got);
	o.symbol = "^nope$";
	assert_int_equal(run(cv_report_list, &o, &got), CV_ENOTFOUND);
	free(got);
	char path[512];
	snprintf(path, sizeof(path), "%s/main.go", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/work.go", dir);
	unlink(path);
	rmdir(dir);
}

static void test_source_trim(void **state)
{
	(void)state;
	/* Without a trim path, the search path's base names are looked for. */
	assert_string_equal(cv_source_trim("/remote/build/proj/foo/bar.c", NULL, "/home/me/proj"),
			    "foo/bar.c");
	assert_string_equal(cv_source_trim("/remote/proj/bar.c", "", "/x:/y/proj"), "bar.c");
	/* A trim path replaces the guess; a '/' is added to each prefix. */
	assert_string_equal(cv_source_trim("/remote/proj/bar.c", "/remote", "/y/proj"),
			    "proj/bar.c");
	assert_string_equal(cv_source_trim("/remote/proj/bar.c", "/a:/remote/", ""), "proj/bar.c");
	assert_string_equal(cv_source_trim("/remoteX/bar.c", "/remote", ""), "/remoteX/bar.c");
	/* An empty element strips the leading '/'. */
	assert_string_equal(cv_source_trim("/abs/bar.c", "/a::/b", ""), "abs/bar.c");
	/* Sandboxed build paths always lose their prefix. */
	assert_string_equal(cv_source_trim("/proc/self/cwd/./x/y.go", NULL, ""), "x/y.go");
	assert_string_equal(cv_source_trim("/proc/self/cwd/x/y.go", "/z", ""), "x/y.go");
	assert_string_equal(cv_source_trim("rel/y.go", NULL, ""), "rel/y.go");
}

static void test_source_open(void **state)
{
	(void)state;
	char dir[] = "/tmp/callviz-src-XXXXXX", sub[600], file[700], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	snprintf(file, sizeof(file), "%s/a", dir);
	assert_int_equal(mkdir(file, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "x.go", "x", 1);
	/* Relative names are looked for under each directory and its parents. */
	FILE *f = cv_source_open("x.go", NULL, sub, err, sizeof(err));
	assert_non_null(f);
	fclose(f);
	char search[700];
	snprintf(search, sizeof(search), "/nonexistent:%s", sub);
	f = cv_source_open("x.go", NULL, search, err, sizeof(err));
	assert_non_null(f);
	fclose(f);
	assert_null(cv_source_open("y.go", NULL, sub, err, sizeof(err)));
	char want[800];
	snprintf(want, sizeof(want), "could not find file y.go on path %s", sub);
	assert_string_equal(err, want);
	/* Absolute names must exist as they are; the error is Go's os.Open's. */
	assert_null(cv_source_open("/nonexistent/z.go", NULL, sub, err, sizeof(err)));
	assert_string_equal(err, "open /nonexistent/z.go: no such file or directory");
	snprintf(file, sizeof(file), "%s/x.go", dir);
	unlink(file);
	rmdir(sub);
	snprintf(file, sizeof(file), "%s/a", dir);
	rmdir(file);
	rmdir(dir);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_traces),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_raw_duration),
		cmocka_unit_test(test_tree_and_peek),
		cmocka_unit_test(test_callgrind),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_source_trim),
		cmocka_unit_test(test_source_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
