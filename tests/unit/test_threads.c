/*
 * cv_set_threads(1): the library starts no thread (this program is linked
 * with -Wl,--wrap=pthread_create, so every thread the library starts goes
 * through __wrap_pthread_create and is counted), and every output is the
 * same bytes as with the default two threads. The split thresholds are
 * lowered so that the small test profiles take every two-thread path:
 * decoding in halves, compaction, the stack trie and its walk, hotspot
 * shares beside the graph build.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/callviz.h"
#include "callviz/hotspot.h"
#include "graph/trie.h"
#include "profile/decode_internal.h"

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
			  void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
			  void *arg);

static atomic_int started;

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
			  void *arg)
{
	atomic_fetch_add(&started, 1);
	return __real_pthread_create(t, a, fn, arg);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, got, m);
	fclose(f);
	fclose(m);
	*len = n;
	return buf;
}

typedef int (*report_fn)(FILE *, const cv_profile *, const cv_report_options *);

/* Everything a run writes, one report after the other. */
static char *run(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, name);
	size_t len;
	char *data = slurp(path, &len);
	cv_profile *p = NULL;
	if (cv_profile_parse(&p, data, len))
		fail_msg("%s: %s", name, cv_error_last());
	free(data);
	cv_profile *whole = NULL;
	assert_int_equal(cv_profile_read(&whole, path), 0);
	assert_int_equal(cv_profile_compact_for_sums(p), 0);
	assert_int_equal(cv_profile_compact(whole), 0);

	cv_hotspots *h = NULL;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_add_builtin(h), 0);
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = cv_profile_sample_index(p, "");
	assert_true(o.sample_index >= 0);
	o.hotspots = h;

	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	static const report_fn reports[] = {cv_report_top, cv_report_dot, cv_report_tree,
					    cv_report_hotspots, cv_report_folded};
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (reports[i](f, p, &o))
			fail_msg("%s: report %zu: %s", name, i, cv_error_last());
	o.call_tree = true;
	assert_int_equal(cv_report_dot(f, p, &o), 0);
	o.call_tree = false;
	o.hotspots = NULL;
	assert_int_equal(cv_report_raw(f, whole, &o), 0);
	assert_int_equal(cv_report_top(f, whole, &o), 0);
	fclose(f);
	cv_hotspot_free(h);
	cv_profile_free(p);
	cv_profile_free(whole);
	return out;
}

static const char *const profiles[] = {"go-cpu.pb.gz", "go-heap.pb.gz", "std-json-cpu.pb.gz",
				       "go-cpu-raw.pb"};

static void test_one_thread(void **state)
{
	(void)state;
	cv_trie_tuning saved = cv_trie_tune;
	size_t saved_frames = cv_halves_min_frames;
	cv_trie_tune.split_min_samples = 1;
	cv_halves_min_frames = 1;
	assert_int_equal(cv_threads(), 2);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		assert_int_equal(cv_set_threads(0), 0);
		atomic_store(&started, 0);
		char *two = run(profiles[i]);
		int on_two = atomic_load(&started);

		assert_int_equal(cv_set_threads(1), 0);
		assert_int_equal(cv_threads(), 1);
		atomic_store(&started, 0);
		char *one = run(profiles[i]);
		int on_one = atomic_load(&started);
		print_message("%s: %d threads started by default, %d with cv_set_threads(1), "
			      "%zu bytes of reports\n", profiles[i], on_two, on_one, strlen(one));

		/* The default did start threads, so the comparison means something. */
		assert_true(on_two > 0);
		assert_int_equal(on_one, 0);
		assert_string_equal(one, two);
		free(one);
		free(two);
	}
	assert_int_equal(cv_set_threads(0), 0);
	assert_int_equal(cv_threads(), 2);
	assert_int_equal(cv_set_threads(5), 0);
	assert_int_equal(cv_threads(), 2);
	assert_int_equal(cv_set_threads(-1), CV_EINVAL);
	assert_int_equal(cv_threads(), 2);
	assert_int_equal(cv_set_threads(0), 0);
	cv_trie_tune = saved;
	cv_halves_min_frames = saved_frames;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
