/*
 * cv_profile_merge, cv_profile_compatible and cv_profile_subtract_base on
 * the committed fixtures: what go tool pprof's combineProfiles, Merge,
 * Normalize and the -base/-diff_base steps promise, checked as invariants
 * (sums, counts, headers). The exact reports are the differential suite's
 * job (tests/diff, MULTI_CASES).
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
#include "callviz/profile.h"
#include "callviz/units.h"
#include "profile/merge_internal.h"

static cv_profile *load(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, name);
	cv_profile *p = NULL;
	assert_int_equal(cv_profile_read(&p, path), 0);
	assert_int_equal(cv_profile_ensure_mapping(p), 0);
	return p;
}

static int64_t sum(const cv_profile *p, size_t i)
{
	int64_t s = 0;
	for (size_t k = 0; k < p->n_samples; k++)
		s += p->samples[k].values[i];
	return s;
}

static bool is_base(const cv_sample *s)
{
	for (size_t i = 0; i < s->n_labels; i++)
		if (s->labels[i].str && !strcmp(s->labels[i].key, "pprof::base") &&
		    !strcmp(s->labels[i].str, "true"))
			return true;
	return false;
}

/* Merged with itself: the same samples, every value doubled, durations added. */
static void test_merge_self(void **state)
{
	(void)state;
	cv_profile *a = load("go-cpu.pb.gz"), *m = NULL;
	const cv_profile *srcs[] = {a, a};
	assert_int_equal(cv_profile_merge(&m, srcs, 2), 0);
	assert_int_equal(cv_profile_compact(a), 0);
	assert_int_equal(m->n_samples, a->n_samples);
	assert_int_equal(m->n_locations, a->n_locations);
	assert_int_equal(m->n_functions, a->n_functions);
	assert_int_equal(m->n_mappings, a->n_mappings);
	for (size_t i = 0; i < a->n_sample_types; i++)
		assert_true(sum(m, i) == 2 * sum(a, i));
	assert_true(m->duration_nanos == 2 * a->duration_nanos);
	assert_true(m->time_nanos == a->time_nanos);
	assert_true(m->period == a->period);
	assert_string_equal(m->sample_types[1].unit, "nanoseconds");
	cv_profile_free(m);
	cv_profile_free(a);
}

/* Two runs: sums add up; mappings of two builds stay apart; earliest time. */
static void test_merge_two_runs(void **state)
{
	(void)state;
	cv_profile *a = load("go-cpu.pb.gz"), *b = load("go-cpu-2.pb.gz"), *m = NULL;
	const cv_profile *srcs[] = {b, a};
	assert_int_equal(cv_profile_merge(&m, srcs, 2), 0);
	for (size_t i = 0; i < a->n_sample_types; i++)
		assert_true(sum(m, i) == sum(a, i) + sum(b, i));
	assert_int_equal(m->n_mappings, 2);
	assert_true(m->time_nanos == (a->time_nanos < b->time_nanos ? a->time_nanos : b->time_nanos));
	assert_true(m->duration_nanos == a->duration_nanos + b->duration_nanos);
	/* ids are renumbered from 1 in order of first use */
	for (size_t i = 0; i < m->n_locations; i++)
		assert_int_equal(m->locations[i].id, i + 1);
	cv_profile_free(m);
	cv_profile_free(a);
	cv_profile_free(b);
}

/* Microseconds and nanoseconds: the finer unit wins, values scaled x1000. */
static void test_merge_units(void **state)
{
	(void)state;
	cv_profile *ns = load("go-cpu-2.pb.gz"), *us = load("go-cpu-2-us.pb.gz"), *m = NULL;
	const cv_profile *srcs[] = {us, ns};
	assert_int_equal(cv_profile_merge(&m, srcs, 2), 0);
	assert_string_equal(m->sample_types[1].unit, "nanoseconds");
	assert_string_equal(m->period_type.unit, "nanoseconds");
	assert_true(m->period == 1000 * us->period);
	assert_true(sum(m, 1) == 1001 * sum(ns, 1));
	assert_true(sum(m, 0) == 2 * sum(ns, 0)); /* counts are not scaled */
	cv_profile_free(m);
	cv_profile_free(us);
	cv_profile_free(ns);
}

/* Encoded, raw: two profiles that encode alike are the same to every report. */
static uint8_t *encoded(const cv_profile *p, size_t *len)
{
	cv_encode_options eo = {.uncompressed = true};
	uint8_t *out = NULL;
	assert_int_equal(cv_profile_encode(&out, len, p, &eo), 0);
	return out;
}

/* ps merged one at a time, in the units `units` (NULL: the first's). */
static cv_profile *stream_merge(cv_profile **ps, size_t n, const char *const *units,
				const char *period)
{
	const char *own[8];
	for (size_t i = 0; i < ps[0]->n_sample_types && i < 8; i++)
		own[i] = ps[0]->sample_types[i].unit;
	cv_merge_stream_units u = {units ? units : own, units ? period : ps[0]->period_type.unit};
	cv_merge_stream *ms = NULL;
	assert_int_equal(cv_merge_stream_new(&ms), 0);
	double ratios[8];
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < ps[k]->n_sample_types; i++)
			ratios[i] = cv_unit_scale(1, ps[k]->sample_types[i].unit, u.types[i], NULL);
		assert_int_equal(cv_merge_stream_add(ms, ps[k], ratios, &u), 0);
	}
	cv_profile *m = NULL;
	assert_int_equal(cv_merge_stream_finish(ms, &m), 0);
	cv_merge_stream_free(ms);
	return m;
}

/* The streamed merge makes what cv_profile_merge makes, header and all. */
static void check_stream(cv_profile **ps, size_t n, const char *const *units, const char *period)
{
	cv_profile *whole = NULL;
	assert_int_equal(cv_profile_merge(&whole, (const cv_profile *const *)ps, n), 0);
	cv_profile *m = stream_merge(ps, n, units, period);
	size_t la, lb;
	uint8_t *a = encoded(whole, &la), *b = encoded(m, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(m->n_locations, whole->n_locations);
	assert_int_equal(m->n_functions, whole->n_functions);
	assert_int_equal(m->n_comments, whole->n_comments);
	for (size_t i = 0; i < m->n_locations; i++)
		assert_int_equal(m->locations[i].id, i + 1);
	free(a);
	free(b);
	cv_profile_free(m);
	cv_profile_free(whole);
}

static void test_stream(void **state)
{
	(void)state;
	cv_profile *a = load("go-cpu.pb.gz"), *b = load("go-cpu-2.pb.gz");
	cv_profile *h = load("go-heap.pb.gz"), *h2 = load("go-heap-2.pb.gz");
	cv_profile *l = load("synth-labels.pb.gz"), *us = load("go-cpu-2-us.pb.gz");
	cv_profile *two[] = {a, b}, *three[] = {b, a, b}, *heaps[] = {h, h2, h};
	cv_profile *labels[] = {l, l, l};
	check_stream(two, 2, NULL, NULL);
	check_stream(three, 3, NULL, NULL);
	check_stream(heaps, 3, NULL, NULL);
	check_stream(labels, 3, NULL, NULL);
	/* microseconds first: each brought to nanoseconds as it comes */
	const char *ns[] = {"count", "nanoseconds"};
	cv_profile *mixed[] = {us, a, us, b};
	check_stream(mixed, 4, ns, "nanoseconds");
	cv_profile_free(a);
	cv_profile_free(b);
	cv_profile_free(h);
	cv_profile_free(h2);
	cv_profile_free(l);
	cv_profile_free(us);
}

static void test_incompatible(void **state)
{
	(void)state;
	cv_profile *cpu = load("go-cpu.pb.gz"), *heap = load("go-heap.pb.gz"), *m = NULL;
	assert_int_equal(cv_profile_compatible(cpu, cpu), 0);
	assert_int_equal(cv_profile_compatible(cpu, heap), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "incompatible period types: cpu/nanoseconds and space/bytes"));
	const cv_profile *srcs[] = {cpu, heap};
	assert_int_equal(cv_profile_merge(&m, srcs, 2), CV_EFORMAT);
	assert_null(m);
	assert_int_equal(cv_profile_subtract_base(&m, cpu, heap, NULL), CV_EFORMAT);
	assert_null(m);
	assert_int_equal(cv_profile_merge(&m, srcs, 0), CV_EINVAL);
	cv_profile_free(cpu);
	cv_profile_free(heap);
}

/* -base: a profile minus itself is empty; minus another, the difference. */
static void test_base(void **state)
{
	(void)state;
	cv_profile *a = load("go-heap.pb.gz"), *b = load("go-heap-2.pb.gz"), *d = NULL;
	assert_int_equal(cv_profile_subtract_base(&d, a, a, NULL), 0);
	assert_int_equal(d->n_samples, 0);
	assert_int_equal(d->n_locations, 0);
	cv_profile_free(d);
	assert_int_equal(cv_profile_subtract_base(&d, b, a, NULL), 0);
	for (size_t i = 0; i < a->n_sample_types; i++)
		assert_true(sum(d, i) == sum(b, i) - sum(a, i));
	for (size_t k = 0; k < d->n_samples; k++)
		assert_false(is_base(&d->samples[k]));
	cv_profile_free(d);
	cv_profile_free(a);
	cv_profile_free(b);
}

/* -diff_base: the base's samples carry pprof::base and hold its negation. */
static void test_diff_base(void **state)
{
	(void)state;
	cv_profile *a = load("go-heap.pb.gz"), *b = load("go-heap-2.pb.gz"), *d = NULL;
	cv_base_options o;
	cv_base_options_init(&o);
	o.diff_base = true;
	assert_int_equal(cv_profile_subtract_base(&d, b, a, &o), 0);
	int64_t base_sum = 0, src_sum = 0;
	for (size_t k = 0; k < d->n_samples; k++) {
		if (is_base(&d->samples[k]))
			base_sum += d->samples[k].values[3];
		else
			src_sum += d->samples[k].values[3];
	}
	assert_true(base_sum == -sum(a, 3));
	assert_true(src_sum == sum(b, 3));
	cv_profile_free(d);
	cv_profile_free(a);
	cv_profile_free(b);
}

/* -normalize: the source part sums to the base's sum, up to rounding. */
static void test_normalize(void **state)
{
	(void)state;
	cv_profile *a = load("go-cpu.pb.gz"), *b = load("go-cpu-2.pb.gz"), *d = NULL;
	cv_base_options o = {.diff_base = true, .normalize = true};
	assert_int_equal(cv_profile_subtract_base(&d, b, a, &o), 0);
	for (size_t i = 0; i < a->n_sample_types; i++) {
		int64_t src = 0;
		for (size_t k = 0; k < d->n_samples; k++)
			if (!is_base(&d->samples[k]))
				src += d->samples[k].values[i];
		int64_t off = src - sum(a, i);
		assert_true(off <= (int64_t)b->n_samples && off >= -(int64_t)b->n_samples);
	}
	cv_profile_free(d);
	/* identical types are required: microseconds are not nanoseconds here */
	cv_profile *us = load("go-cpu-2-us.pb.gz");
	assert_int_equal(cv_profile_subtract_base(&d, a, us, &o), CV_EFORMAT);
	cv_profile_free(us);
	cv_profile_free(a);
	cv_profile_free(b);
}

/* pprof's ScaleN: Go's math.Round, and its quirk of judging a sample by the
 * values it scaled only. */
static void test_scale_values(void **state)
{
	(void)state;
	double half[] = {1, 0.5}, ones[] = {1, 1}, neg[] = {-1, -1};
	int64_t v[2] = {5, 1};
	assert_true(cv_merge_scale_values(v, half, 2));
	assert_true(v[0] == 5 && v[1] == 1); /* 0.5 rounds away from zero */
	int64_t w[2] = {5, 0};
	assert_false(cv_merge_scale_values(w, half, 2)); /* dropped though w[0] is 5 */
	int64_t x[2] = {3, -1};
	assert_true(cv_merge_scale_values(x, half, 2));
	assert_true(x[1] == -1);
	int64_t y[2] = {0, 0};
	assert_true(cv_merge_scale_values(y, ones, 2)); /* all ones: nothing happens */
	int64_t z[2] = {7, -(1LL << 62)};
	assert_true(cv_merge_scale_values(z, neg, 2));
	assert_true(z[0] == -7 && z[1] == (1LL << 62));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_self),
		cmocka_unit_test(test_merge_two_runs),
		cmocka_unit_test(test_merge_units),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_incompatible),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_diff_base),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_scale_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
