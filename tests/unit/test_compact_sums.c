/*
 * cv_profile_compact_for_sums may leave out what compaction does that no
 * sum can see (renumbering, sharing equal locations and functions): every
 * report that sums samples must then read the same as after a full
 * cv_profile_compact. Checked on a profile built to need all of it, and
 * on every profile in tests/data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/profile.h"
#include "callviz/report.h"
#include "testprof.h"

/* ---- a profile with equal locations, equal functions, ids out of order ---- */

enum { MAIN, WORK, HASH, HASH_AGAIN, N_FNS };

/* Ids counting down, not in order of first use. */
static void add_location(cv_profile *p, const cv_mapping *m, uint64_t addr, int fn, int64_t line,
			 int inlined_fn, int64_t inlined_line)
{
	tp_arena_location(p, 100 - p->n_locations, m, addr, fn, line, inlined_fn, inlined_line);
}

/* Numeric labels before string ones: compaction sorts them the other way. */
static void add_sample(cv_profile *p, const uint32_t *locs, size_t n, int64_t count,
		       const char *worker, int64_t bytes)
{
	cv_label l[2];
	size_t k = 0;
	if (bytes)
		l[k++] = (cv_label){.key = "bytes", .num = bytes, .num_unit = ""};
	if (worker)
		l[k++] = (cv_label){.key = "worker", .str = worker, .num_unit = ""};
	tp_arena_sample(p, locs, n, count, l, k);
}

static cv_profile *unmerged_profile(void)
{
	cv_profile *p = tp_arena_new(2, N_FNS, 6, 5);
	p->mappings[0] = (cv_mapping){.id = 7, .start = 0x1000, .limit = 0x9000, .file = "/bin/app",
				      .build_id = "", .has_functions = true};
	p->mappings[1] = (cv_mapping){.id = 3, .start = 0x10000, .limit = 0x20000,
				      .file = "/lib/libc.so", .build_id = "", .has_functions = true};
	p->n_mappings = 2;
	static const struct { const char *name, *file; int64_t start; } fns[N_FNS] = {
		{"main", "main.go", 10}, {"work", "work.go", 20},
		{"hash", "work.go", 30}, {"hash", "work.go", 30},
	};
	for (size_t i = 0; i < N_FNS; i++)
		p->functions[i] = (cv_function){50 - i, fns[i].name, fns[i].name, fns[i].file,
						fns[i].start};
	p->n_functions = N_FNS;
	/* Location 4 equals 0; 3's hash is another entry of the same
	 * function as 2's; the first sample's leaf is the last location. */
	const cv_mapping *app = &p->mappings[0];
	add_location(p, app, 0x1100, MAIN, 12, -1, 0);
	add_location(p, app, 0x1200, WORK, 22, -1, 0);
	add_location(p, app, 0x1300, HASH, 31, WORK, 25);
	add_location(p, app, 0x1310, HASH_AGAIN, 33, -1, 0);
	add_location(p, app, 0x1100, MAIN, 12, -1, 0);
	add_location(p, &p->mappings[1], 0x10400, WORK, 28, -1, 0);
	add_sample(p, (uint32_t[]){5, 1, 0}, 3, 3, "a", 64);
	add_sample(p, (uint32_t[]){2, 1, 4}, 3, 2, "b", 64);
	add_sample(p, (uint32_t[]){3, 2, 1, 0}, 4, 1, "a", 0);
	add_sample(p, (uint32_t[]){1, 4}, 2, 4, NULL, 128);
	add_sample(p, (uint32_t[]){5, 1, 0}, 3, 1, "a", 64);
	return p;
}

/* ---- the reports compared ---- */

typedef int (*report_fn)(FILE *, const cv_profile *, const cv_report_options *);

static const struct {
	const char *name;
	report_fn fn;
} reports[] = {
	{"top", cv_report_top},         {"dot", cv_report_dot},
	{"tree", cv_report_tree},       {"callgrind", cv_report_callgrind},
	{"tags", cv_report_tags},       {"hotspots", cv_report_hotspots},
};

static char *report_text(report_fn fn, const cv_profile *p, const cv_report_options *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	int rc = fn(f, p, o);
	fclose(f);
	if (rc != 0) {
		free(text);
		return NULL;  /* a report this profile has none of (tags, say) */
	}
	return text;
}

/* Every report at every granularity, with and without trimming. */
static void expect_same_sums(const cv_profile *a, const cv_profile *b, const char *what)
{
	for (int g = CV_GRAN_FUNCTIONS; g <= CV_GRAN_ADDRESSES; g++)
		for (int all = 0; all < 2; all++)
			for (size_t r = 0; r < sizeof(reports) / sizeof(reports[0]); r++) {
				cv_report_options o;
				cv_report_options_init(&o);
				o.sample_index = (int)a->n_sample_types - 1;
				o.granularity = (cv_granularity)g;
				if (all)
					o.node_fraction = o.edge_fraction = 0;
				char *x = report_text(reports[r].fn, a, &o);
				char *y = report_text(reports[r].fn, b, &o);
				if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
					fail_msg("%s: -%s (granularity %d%s) differs:\n%s\n---\n%s", what,
						 reports[r].name, g, all ? ", nothing trimmed" : "",
						 x ? x : "(failed)", y ? y : "(failed)");
				free(x);
				free(y);
			}
}

static void test_left_unmerged_same_sums(void **state)
{
	(void)state;
	cv_profile *full = unmerged_profile(), *sums = unmerged_profile();
	assert_int_equal(cv_profile_compact(full), 0);
	assert_int_equal(cv_profile_compact_for_sums(sums), 0);
	/* The full compaction shares location 4 with 1 and the two hashes;
	 * the one for sums had nothing a sum can see to do. */
	assert_int_equal(full->n_locations, 5);
	assert_int_equal(full->n_functions, 3);
	assert_int_equal(sums->n_locations, 6);
	assert_int_equal(sums->n_functions, N_FNS);
	/* Labels are sorted all the same: strings first. */
	assert_non_null(sums->samples[0].labels[0].str);
	expect_same_sums(full, sums, "built profile");
	cv_profile_free(full);
	cv_profile_free(sums);
}

/* Unused locations, all-zero samples and mappings that merge all show in
 * some sum: then the whole compaction runs. */
static void test_merged_when_sums_would_see(void **state)
{
	(void)state;
	cv_profile *p = unmerged_profile();
	p->samples[2].locs[0] = 2;      /* location 3 no longer used */
	assert_int_equal(cv_profile_compact_for_sums(p), 0);
	assert_int_equal(p->n_locations, 4);
	cv_profile_free(p);

	p = unmerged_profile();
	p->samples[2].values[0] = p->samples[2].values[1] = 0;
	assert_int_equal(cv_profile_compact_for_sums(p), 0);
	assert_int_equal(p->n_samples, 4);
	cv_profile_free(p);

	p = unmerged_profile();
	p->mappings[1] = p->mappings[0];
	p->mappings[1].start += 0x100000;
	p->mappings[1].limit += 0x100000;
	assert_int_equal(cv_profile_compact_for_sums(p), 0);
	assert_int_equal(p->n_mappings, 1);
	cv_profile_free(p);
}

static void test_data_profiles_same_sums(void **state)
{
	static const char *const files[] = {
		"go-cpu.pb.gz", "go-cpu-2.pb.gz", "go-cpu-raw.pb", "go-heap.pb.gz",
		"go-allocs.pb.gz", "go-block.pb.gz", "go-mutex.pb.gz", "go-goroutine.pb.gz",
		"std-json-cpu.pb.gz", "std-json-mem.pb.gz", "gperf-cpu.pb.gz",
		"synth-labels.pb.gz", "synth-buildid.pb.gz", "synth-nomap.pb.gz",
	};
	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, files[f]);
		cv_profile *full = NULL, *sums = NULL;
		assert_int_equal(cv_profile_read(&full, path), 0);
		assert_int_equal(cv_profile_read(&sums, path), 0);
		assert_int_equal(cv_profile_compact(full), 0);
		assert_int_equal(cv_profile_compact_for_sums(sums), 0);
		expect_same_sums(full, sums, files[f]);
		cv_profile_free(full);
		cv_profile_free(sums);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_left_unmerged_same_sums),
		cmocka_unit_test(test_merged_when_sums_would_see),
		cmocka_unit_test(test_data_profiles_same_sums),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
