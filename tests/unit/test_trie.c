/*
 * The stack trie built in two halves on two threads (trie.c, trie_split.c)
 * must give the very reports the one-thread build gives. Real profiles are
 * small, so the tuning is lowered to split them: by groups of outermost
 * frames, and, with no grouping allowed to pass, by sample index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "callviz/report.h"
#include "graph/trie.h"
#include "testprof.h"

static const char *const files[] = {
	"go-cpu.pb.gz",      "go-heap.pb.gz",   "go-allocs.pb.gz", "go-mutex.pb.gz",
	"std-json-cpu.pb.gz", "gperf-cpu.pb.gz", "synth-labels.pb.gz",
};

typedef int (*report_fn)(FILE *, const cv_profile *, const cv_report_options *);

static const cv_trie_tuning one_thread = {SIZE_MAX, 60};
static const cv_trie_tuning grouped = {1, 60};
static const cv_trie_tuning by_index = {1, 0};

static cv_profile *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, name);
	cv_profile *p = NULL;
	if (cv_profile_read(&p, path) != 0)
		fail_msg("%s: %s", path, cv_error_last());
	assert_int_equal(cv_profile_compact(p), 0);
	return p;
}

static char *run(report_fn fn, const cv_profile *p, const cv_report_options *o,
		 cv_trie_tuning tuning)
{
	cv_trie_tune = tuning;
	char *text = tp_report(fn, p, o);
	cv_trie_tune = one_thread;
	return text;
}

static void same_report(report_fn fn, const char *what, const cv_profile *p,
			const cv_report_options *o)
{
	char *want = run(fn, p, o, one_thread);
	const cv_trie_tuning *splits[] = {&grouped, &by_index};
	for (size_t k = 0; k < 2; k++) {
		char *got = run(fn, p, o, *splits[k]);
		if (strcmp(want, got) != 0) {
			print_error("%s, split %zu: reports differ\n--- one thread ---\n%s"
				    "--- two ---\n%s", what, k, want, got);
			fail();
		}
		free(got);
	}
	free(want);
}

/* -top and -dot (tags: one tree per label set) for every sample type,
 * trimmed and not, and -mean. */
static void test_halves_match_one_trie(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		cv_profile *p = load(files[f]);
		for (size_t si = 0; si < p->n_sample_types; si++) {
			cv_report_options o;
			cv_report_options_init(&o);
			o.sample_index = (int)si;
			o.total = cv_report_options_total(p, &o);
			same_report(cv_report_top, files[f], p, &o);
			same_report(cv_report_dot, files[f], p, &o);
			o.node_fraction = o.edge_fraction = 0;
			o.node_count = 0;
			same_report(cv_report_top, files[f], p, &o);
			same_report(cv_report_dot, files[f], p, &o);
			if (si > 0) {
				o.mean = true;
				same_report(cv_report_top, files[f], p, &o);
			}
		}
		cv_profile_free(p);
	}
}

static bool same_outer_frames(const cv_sample *a, const cv_sample *b, size_t depth)
{
	size_t da = a->n_locs < depth ? a->n_locs : depth;
	size_t db = b->n_locs < depth ? b->n_locs : depth;
	if (da != db)
		return false;
	for (size_t k = 1; k <= da; k++)
		if (a->locs[a->n_locs - k] != b->locs[b->n_locs - k])
			return false;
	return true;
}

/* Samples that share their outermost frames (four: the deepest grouping
 * tried) go to the same half, and neither half is empty. */
static void test_split_groups_by_outer_frames(void **state)
{
	(void)state;
	cv_profile *p = load("std-json-cpu.pb.gz");
	cv_trie_plan plan;
	cv_trie_tune = grouped;
	assert_int_equal(cv_trie_plan_make(&plan, p, 0, -1), 0);
	cv_trie_tune = one_thread;
	assert_true(plan.depth > 0);
	size_t in_second = 0, taken = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		if (!cv_trie_takes(&p->samples[i], 0, -1))
			continue;
		unsigned half = cv_trie_plan_half(&plan, p, i);
		taken++;
		in_second += half;
		for (size_t j = i + 1; j < p->n_samples; j++)
			if (cv_trie_takes(&p->samples[j], 0, -1) &&
			    same_outer_frames(&p->samples[i], &p->samples[j], 4))
				assert_int_equal(half, cv_trie_plan_half(&plan, p, j));
	}
	assert_true(in_second > 0 && in_second < taken);
	cv_trie_plan_free(&plan);
	cv_profile_free(p);
}

/* An edge crossed inlined in one half and called in the other is not
 * inline, and its weights add up, whichever half comes first. */
static void test_edge_marks_merge(void **state)
{
	(void)state;
	const char *const orders[2][2] = {{"main QP", "main P Q"}, {"main P Q", "main QP"}};
	for (size_t k = 0; k < 2; k++) {
		tprof *t = tp_new();
		tp_loc(t, "QP", 0x20, -1, 2, "Q", 5, "P", 9);
		tp_sample(t, 3, orders[k][0]);
		tp_sample(t, 2, orders[k][1]);
		cv_report_options o;
		cv_report_options_init(&o);
		o.sample_index = 0;
		o.total = cv_report_options_total(&t->p, &o);
		same_report(cv_report_top, orders[k][0], &t->p, &o);
		same_report(cv_report_dot, orders[k][0], &t->p, &o);
		tp_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_halves_match_one_trie),
		cmocka_unit_test(test_split_groups_by_outer_frames),
		cmocka_unit_test(test_edge_marks_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
