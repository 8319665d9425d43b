/*
 * lib/util's shared primitives (alloc.h, hash.h, goconv.h), and the rule
 * that every error path sets cv_error_last(): the library's own calls to
 * malloc, calloc and realloc are wrapped here (-Wl,--wrap, see
 * tests/CMakeLists.txt), and reading a profile and printing its reports
 * is run again and again with the first, second, third... allocation
 * failing. Each failure must come back as a negative code with a message.
 * (-traces and -raw make thousands of allocations, one per line: they
 * would take minutes here, and share their error paths with the others.)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
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
#include "util/alloc.h"
#include "util/goconv.h"
#include "util/hash.h"
#include "util/strbuf.h"

/* ---- allocation failures on demand ---- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);

/* Allocations left before one fails; negative: none fails. */
static atomic_long countdown = -1;
static atomic_long failures;

static int fail_now(void)
{
	long left = atomic_load(&countdown);
	while (left >= 0) {
		if (atomic_compare_exchange_weak(&countdown, &left, left - 1)) {
			if (left != 0)
				return 0;
			atomic_fetch_add(&failures, 1);
			return 1;
		}
	}
	return 0;
}

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

/* ---- the helpers themselves ---- */

static void test_grow_cap(void **state)
{
	(void)state;
	assert_int_equal(cv_grow_cap(0, 1, 64), 64);
	assert_int_equal(cv_grow_cap(0, 65, 64), 128);
	assert_int_equal(cv_grow_cap(64, 65, 16), 128);
	assert_int_equal(cv_grow_cap(100, 100, 16), 100);
	assert_int_equal(cv_grow_cap(3, 7, 16), 12);
	cv_error_clear();
	assert_int_equal(cv_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 1), 0);
	assert_non_null(strstr(cv_error_last(), "out of memory"));
}

static void test_grow_macro(void **state)
{
	(void)state;
	uint64_t *a = NULL;
	size_t cap = 0;
	assert_int_equal(CV_GROW(a, cap, 1, 8), 0);
	assert_non_null(a);
	assert_int_equal(cap, 8);
	for (size_t i = 0; i < 8; i++)
		a[i] = i;
	assert_int_equal(CV_GROW(a, cap, 8, 8), 0);
	assert_int_equal(cap, 8);
	assert_int_equal(CV_GROW(a, cap, 9, 8), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(a[7], 7);

	/* Too big to size: the array and its capacity stay as they were. */
	uint64_t *before = a;
	cv_error_clear();
	assert_int_equal(CV_GROW(a, cap, SIZE_MAX / 4, 8), CV_ENOMEM);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 16);
	assert_string_not_equal(cv_error_last(), "");

	/* realloc failing: the same. */
	cv_error_clear();
	atomic_store(&countdown, 0);
	assert_int_equal(CV_GROW(a, cap, 17, 8), CV_ENOMEM);
	atomic_store(&countdown, -1);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 16);
	assert_string_equal(cv_error_last(), "out of memory");
	free(a);
}

static void test_realloc_array(void **state)
{
	(void)state;
	cv_error_clear();
	assert_null(cv_realloc_array(NULL, SIZE_MAX / 2, 4));
	assert_string_not_equal(cv_error_last(), "");
	void *p = cv_realloc_array(NULL, 0, 8);
	assert_non_null(p);
	free(p);
	cv_error_clear();
	assert_int_equal(cv_error_nomem(), CV_ENOMEM);
	assert_string_equal(cv_error_last(), "out of memory");
}

static void test_strbuf_overflow(void **state)
{
	(void)state;
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, "abc");
	cv_error_clear();
	cv_strbuf_append(&sb, "x", SIZE_MAX - 2);
	assert_true(cv_strbuf_failed(&sb));
	assert_string_not_equal(cv_error_last(), "");
	cv_strbuf_free(&sb);
}

/* FNV-1a's published 64-bit test vectors, and the mixer's fixed points. */
static void test_hash(void **state)
{
	(void)state;
	assert_true(cv_fnv1a(CV_FNV_OFFSET, "", 0) == 0xcbf29ce484222325ULL);
	assert_true(cv_fnv1a(CV_FNV_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(cv_fnv1a_str(CV_FNV_OFFSET, "foobar") == 0x85944171f73967e8ULL);
	assert_true(cv_fnv1a_str(CV_FNV_OFFSET, "foobar") ==
		    cv_fnv1a(CV_FNV_OFFSET, "foobar", 6));
	assert_true(cv_hash_u64(0) == 0);
	assert_true(cv_hash_pair32(1, 2) == cv_hash_u64((uint64_t)1 << 32 | 2));
	assert_true(cv_hash_pair32(1, 2) != cv_hash_pair32(2, 1));
}

/* Go's wrap-around, as pprof's arithmetic meets it. */
static void test_goconv(void **state)
{
	(void)state;
	assert_true(cv_abs64(-5) == 5);
	assert_true(cv_abs64(5) == 5);
	assert_true(cv_abs64(INT64_MIN) == INT64_MIN);
	assert_true(cv_abs64(INT64_MIN + 1) == INT64_MAX);
	assert_true(cv_go_int64(-2.9) == -2);
	assert_true(cv_go_int64(NAN) == INT64_MIN);
	assert_true(cv_go_int64(1e19) == INT64_MIN);
	assert_true(cv_go_int64(-1e19) == INT64_MIN);
	assert_true(cv_go_int64(-9223372036854775808.0) == INT64_MIN);
	assert_true(cv_go_int64(9223372036854774784.0) == 9223372036854774784LL);
}

/* ---- every failing allocation is reported ---- */

typedef int (*report_fn)(FILE *out, const cv_profile *p, const cv_report_options *o);

/* Run fn with the k-th allocation failing, k = 0, 1, ... until none does. */
static void fail_each(const char *what, int (*run)(void *ctx), void *ctx)
{
	long k;
	for (k = 0;; k++) {
		cv_error_clear();
		atomic_store(&failures, 0);
		atomic_store(&countdown, k);
		int rc = run(ctx);
		atomic_store(&countdown, -1);
		if (atomic_load(&failures) == 0) {
			if (rc != 0)
				fail_msg("%s: %d (%s) with no allocation failing", what, rc,
					 cv_error_last());
			break;
		}
		if (rc == 0)
			continue; /* a failure the code works around (a cache, a fallback) */
		if (rc > 0 || !cv_error_last()[0])
			fail_msg("%s: allocation %ld failing gives %d and the message \"%s\"",
				 what, k, rc, cv_error_last());
	}
	print_message("%s: %ld allocations, each failed once\n", what, k);
}

static int read_profile(void *ctx)
{
	cv_profile *p = NULL;
	int rc = cv_profile_read(&p, (const char *)ctx);
	cv_profile_free(p);
	return rc;
}

typedef struct report_run {
	const cv_profile *p;
	report_fn fn;
	bool call_tree;
} report_run;

static int run_report(void *ctx)
{
	report_run *r = ctx;
	cv_report_options o;
	cv_report_options_init(&o);
	o.call_tree = r->call_tree;
	o.sample_index = cv_profile_sample_index(r->p, "");
	FILE *null = fopen("/dev/null", "w");
	if (!null)
		return cv_error_set(CV_EIO, "cannot open /dev/null");
	int rc = r->fn(null, r->p, &o);
	fclose(null);
	return rc;
}

static void test_failing_allocations(void **state)
{
	(void)state;
	const char *path = CV_TEST_DATA "/go-heap.pb.gz";
	fail_each("read", read_profile, (void *)path);
	cv_profile *p = NULL;
	assert_int_equal(cv_profile_read(&p, path), 0);
	static const struct {
		const char *name;
		report_fn fn;
		bool call_tree;
	} reports[] = {
		{"top", cv_report_top, false},
		{"tags", cv_report_tags, false},
		{"tree", cv_report_tree, false},
		{"callgrind", cv_report_callgrind, false},
		{"dot", cv_report_dot, false},
		{"folded", cv_report_folded, false},
		{"dot -call_tree", cv_report_dot, true},
	};
	for (size_t i = 0; i < sizeof(reports) / sizeof(*reports); i++) {
		report_run r = {p, reports[i].fn, reports[i].call_tree};
		fail_each(reports[i].name, run_report, &r);
	}
	cv_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_cap),
		cmocka_unit_test(test_grow_macro),
		cmocka_unit_test(test_realloc_array),
		cmocka_unit_test(test_strbuf_overflow),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_goconv),
		cmocka_unit_test(test_failing_allocations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
