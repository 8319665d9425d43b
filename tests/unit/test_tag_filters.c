/*
 * Label and stack-cut filters against pprof's semantics: tag range parsing
 * with units (driver_focus.go parseTagFilterRange), tag filters
 * (compileTagFilter), -tagshow/-taghide (FilterTagsByName), -show_from
 * (Profile.ShowFrom), -prune_from (Profile.PruneFrom), -tagroot/-tagleaf
 * (addLabelNodes), numeric label units (NumLabelUnits) and the tabwriter
 * layout of -tags. Expected values follow pprof's code and the examples
 * in its comments, not callviz's output.
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
#include "callviz/graph.h"
#include "callviz/profile.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/tabwriter.h"

/* ---- a small hand-built profile ----------------------------------------- */

enum { MAXF = 16 };

typedef struct tprof {
	cv_profile p;
	cv_value_type st;
	cv_mapping map;
	cv_function fns[MAXF];
	cv_location locs[MAXF];
	cv_line lines[MAXF * 2];
	cv_sample smps[8];
	uint32_t stk[8][8];
	int64_t vals[8];
	cv_label labels[8][4];
} tprof;

/* Functions "A".."E"..., one location per function (index = letter). */
static tprof *tp_new(const char *names)
{
	tprof *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->st = (cv_value_type){"samples", "count"};
	t->p.sample_types = &t->st;
	t->p.n_sample_types = 1;
	t->p.functions = t->fns;
	t->p.locations = t->locs;
	t->p.samples = t->smps;
	t->p.drop_frames = t->p.keep_frames = t->p.default_sample_type = "";
	t->p.arena = cv_arena_new();
	assert_non_null(t->p.arena);
	for (size_t i = 0; names[i]; i++) {
		char *n = cv_arena_strndup(t->p.arena, &names[i], 1);
		t->fns[i] = (cv_function){.id = i + 1, .name = n, .system_name = "",
					  .filename = "f.c"};
		t->lines[i] = (cv_line){&t->fns[i], (int64_t)i + 1};
		t->locs[i] = (cv_location){.id = i + 1, .lines = &t->lines[i], .n_lines = 1};
		t->p.n_functions = t->p.n_locations = i + 1;
	}
	return t;
}

static void tp_free(tprof *t)
{
	cv_arena_free(t->p.arena);
	free(t);
}

/* A sample with stack `leaf_first` (letters) and value 1. */
static cv_sample *tp_sample(tprof *t, const char *leaf_first)
{
	size_t i = t->p.n_samples++;
	cv_sample *s = &t->smps[i];
	for (size_t k = 0; leaf_first[k]; k++)
		t->stk[i][k] = (uint32_t)(leaf_first[k] - 'A');
	s->locs = t->stk[i];
	s->n_locs = strlen(leaf_first);
	t->vals[i] = 1;
	s->values = &t->vals[i];
	s->labels = t->labels[i];
	return s;
}

static void add_str(cv_sample *s, const char *key, const char *value)
{
	s->labels[s->n_labels++] = (cv_label){key, value, 0, ""};
}

static void add_num(cv_sample *s, const char *key, int64_t v, const char *unit)
{
	s->labels[s->n_labels++] = (cv_label){key, NULL, v, unit};
}

/* The sample's stack as letters (or the pseudo frames' names), leaf first. */
static const char *stack(const cv_profile *p, size_t i)
{
	static char buf[256];
	size_t n = 0;
	const cv_sample *s = &p->samples[i];
	for (size_t k = 0; k < s->n_locs; k++) {
		const cv_location *l = &p->locations[s->locs[k]];
		const char *name = l->n_lines ? l->lines[l->n_lines - 1].function->name : "?";
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", k ? " " : "", name);
	}
	buf[n] = '\0';
	return buf;
}

/* ---- tag ranges ---------------------------------------------------------- */

static void test_range_forms(void **state)
{
	cv_tag_range r;
	assert_int_equal(cv_tag_range_parse("64kb:", &r), 1);
	assert_int_equal(r.kind, CV_TAG_RANGE_MIN);
	assert_true(r.lo == 64);
	assert_string_equal(r.unit, "kB");

	assert_int_equal(cv_tag_range_parse(":1mb", &r), 1);
	assert_int_equal(r.kind, CV_TAG_RANGE_MAX);
	assert_string_equal(r.unit, "MB");

	assert_int_equal(cv_tag_range_parse("1kb:16kb", &r), 1);
	assert_int_equal(r.kind, CV_TAG_RANGE_BETWEEN);
	assert_true(r.lo == 1 && r.hi == 16);

	/* The upper bound is converted to the lower bound's unit. */
	assert_int_equal(cv_tag_range_parse("1kb:16mb", &r), 1);
	assert_true(r.hi == 16384);
	assert_string_equal(r.unit, "kB");

	assert_int_equal(cv_tag_range_parse("128", &r), 1);
	assert_int_equal(r.kind, CV_TAG_RANGE_EQUAL);
	assert_string_equal(r.unit, "");

	assert_int_equal(cv_tag_range_parse("-5", &r), 1);
	assert_true(r.lo == -5);
	assert_int_equal(cv_tag_range_parse("+5ms", &r), 1);
	assert_true(r.lo == 5);
	assert_string_equal(r.unit, "ms");
	assert_int_equal(cv_tag_range_parse("5xyz", &r), 1);
	assert_string_equal(r.unit, "xyz");
}

static void test_range_not_a_range(void **state)
{
	cv_tag_range r;
	const char *regexes[] = {"worker", "worker1", "a:1", "1::", "1:2:3",
				 "1kb:16ms", "1:16kb", "1kb-2kb", " 1", "1 ", "json|hash"};
	for (size_t i = 0; i < sizeof(regexes) / sizeof(*regexes); i++)
		assert_int_equal(cv_tag_range_parse(regexes[i], &r), 0);
	/* pprof panics on a number past 64 bits; callviz refuses it. */
	assert_true(cv_tag_range_parse("99999999999999999999", &r) < 0);
}

static void test_range_match_units(void **state)
{
	cv_tag_range r;
	assert_int_equal(cv_tag_range_parse("64kb:", &r), 1);
	assert_true(cv_tag_range_match(&r, 65536, "bytes"));
	assert_false(cv_tag_range_match(&r, 65535, "bytes"));
	/* A label in another kind of unit never matches. */
	assert_false(cv_tag_range_match(&r, 1 << 30, "nanoseconds"));

	/* "128" has no unit, and bytes scale to "B": no match, as in pprof. */
	assert_int_equal(cv_tag_range_parse("128", &r), 1);
	assert_false(cv_tag_range_match(&r, 128, "bytes"));
	assert_true(cv_tag_range_match(&r, 128, ""));
	assert_true(cv_tag_range_match(&r, 128, "requests"));  /* unknown unit: kept as is */

	assert_int_equal(cv_tag_range_parse("128b", &r), 1);
	assert_true(cv_tag_range_match(&r, 128, "bytes"));

	assert_int_equal(cv_tag_range_parse("10ms:1s", &r), 1);
	assert_true(r.hi == 1000);
	assert_true(cv_tag_range_match(&r, 500000000, "nanoseconds"));
	assert_false(cv_tag_range_match(&r, 2000000000, "ns"));

	assert_int_equal(cv_tag_range_parse("5xyz", &r), 1);
	assert_true(cv_tag_range_match(&r, 5, "xyz"));
	assert_false(cv_tag_range_match(&r, 5, "bytes"));
}

/* ---- tag filters --------------------------------------------------------- */

static void test_tag_filter_strings(void **state)
{
	tprof *t = tp_new("AB");
	cv_sample *s = tp_sample(t, "A");
	add_str(s, "worker", "json");
	add_str(s, "phase", "sort");
	cv_tag_filter *f;
	bool range;

	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker=json|hash", NULL, 0, &range), 0);
	assert_false(range);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	/* With a key, the regex sees values only. */
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker=^worker", NULL, 0, NULL), 0);
	assert_false(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	/* Without a key, each comma-separated regex must match some "key:value". */
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker:json,phase:s", NULL, 0, NULL), 0);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker:json,phase:x", NULL, 0, NULL), 0);
	assert_false(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	/* With a key, any of them is enough. */
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker=x,json", NULL, 0, NULL), 0);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "", NULL, 0, NULL), 0);
	assert_null(f);
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "worker=(", NULL, 0, NULL), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "tagfocus"));
	tp_free(t);
}

static void test_tag_filter_numbers(void **state)
{
	tprof *t = tp_new("A");
	cv_sample *s = tp_sample(t, "A");
	add_num(s, "bytes", 65536, "");
	add_num(s, "count", 3, "");
	cv_num_label_unit units[] = {{"bytes", "bytes", NULL, 0}, {"count", "count", NULL, 0}};
	cv_tag_filter *f;
	bool range;

	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "bytes=64kb:", units, 2, &range), 0);
	assert_true(range);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "count=1:5", units, 2, &range), 0);
	assert_true(range);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);

	/* No key: any numeric label in range. "=3" names no key either. */
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", "=3", units, 2, NULL), 0);
	assert_true(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);
	assert_int_equal(cv_tag_filter_compile(&f, "tagfocus", ":1kb", units, 2, NULL), 0);
	assert_false(cv_tag_filter_match(f, s));
	cv_tag_filter_free(f);
	tp_free(t);
}

static void test_filter_by_tag_and_name(void **state)
{
	tprof *t = tp_new("A");
	add_str(tp_sample(t, "A"), "worker", "json");
	add_str(tp_sample(t, "A"), "worker", "lock");
	cv_sample *s = tp_sample(t, "A");
	add_num(s, "bytes", 48, "");
	add_str(s, "worker", "hash");
	cv_tag_filter *ignore;
	assert_int_equal(cv_tag_filter_compile(&ignore, "tagignore", "worker=lock", NULL, 0, NULL), 0);
	bool fm, im;
	cv_filter_samples_by_tag(&t->p, NULL, ignore, &fm, &im);
	cv_tag_filter_free(ignore);
	assert_true(fm && im);
	assert_int_equal(t->p.n_samples, 2);

	/* -tagshow=work: keys not matching go; the flags say what matched. */
	bool sm, hm;
	assert_int_equal(cv_filter_tags_by_name(&t->p, "work", NULL, &sm, &hm), 0);
	assert_true(sm);
	assert_false(hm);
	assert_int_equal(t->p.samples[1].n_labels, 1);
	assert_string_equal(t->p.samples[1].labels[0].key, "worker");
	assert_int_equal(cv_filter_tags_by_name(&t->p, NULL, "^w", &sm, &hm), 0);
	assert_true(sm && hm);
	assert_int_equal(t->p.samples[0].n_labels, 0);
	tp_free(t);
}

/* ---- show_from / prune_from --------------------------------------------- */

/* pprof's own example: frames [A, B, C, B] with A the root. */
static void test_show_from_example(void **state)
{
	const char *pats[] = {"A", "B", "C", "D"};
	const char *want[] = {"B C B A", "B C B", "B C", NULL};
	for (int i = 0; i < 4; i++) {
		tprof *t = tp_new("ABC");  /* no D anywhere: no match at all */
		tp_sample(t, "BCBA");
		bool m;
		assert_int_equal(cv_filter_show_from(&t->p, pats[i], &m), 0);
		if (want[i]) {
			assert_true(m);
			assert_int_equal(t->p.n_samples, 1);
			assert_string_equal(stack(&t->p, 0), want[i]);
		} else {
			assert_false(m);
			assert_int_equal(t->p.n_samples, 0);
		}
		tp_free(t);
	}
}

/* Inlined callers above the outermost matching line are cut from a location. */
static void test_show_from_inlined(void **state)
{
	tprof *t = tp_new("ABC");
	/* Location 0 holds B inlined into C: lines run callee first. */
	t->lines[8] = t->lines[1];
	t->lines[9] = t->lines[2];
	t->locs[0] = (cv_location){.id = 1, .lines = &t->lines[8], .n_lines = 2};
	tp_sample(t, "A");
	bool m;
	assert_int_equal(cv_filter_show_from(&t->p, "^B$", &m), 0);
	assert_true(m);
	assert_int_equal(t->locs[0].n_lines, 1);
	assert_string_equal(t->locs[0].lines[0].function->name, "B");

	/* A mapping that matches keeps every line. */
	tprof *u = tp_new("ABC");
	u->map = (cv_mapping){.id = 1, .file = "/lib/libfoo.so", .build_id = ""};
	u->locs[1].mapping = &u->map;
	tp_sample(u, "CBA");
	assert_int_equal(cv_filter_show_from(&u->p, "libfoo", &m), 0);
	assert_true(m);
	assert_string_equal(stack(&u->p, 0), "C B");
	tp_free(t);
	tp_free(u);
}

/* pprof's example: [A, B, C, B, D] with A the leaf. */
static void test_prune_from_example(void **state)
{
	const char *pats[] = {"A", "B", "D", "X"};
	const char *want[] = {"A B C B D", "B C B D", "D", "A B C B D"};
	for (int i = 0; i < 4; i++) {
		tprof *t = tp_new("ABCDX");
		tp_sample(t, "ABCBD");
		assert_int_equal(cv_filter_prune_from(&t->p, pats[i]), 0);
		assert_string_equal(stack(&t->p, 0), want[i]);
		tp_free(t);
	}
}

/* Names are matched without their argument list; inlined callees go. */
static void test_prune_from_names(void **state)
{
	tprof *t = tp_new("ABC");
	t->fns[1].name = "ns::f(int)";
	t->lines[8] = t->lines[0];
	t->lines[9] = t->lines[1];
	t->lines[10] = t->lines[2];
	t->locs[0] = (cv_location){.id = 1, .lines = &t->lines[8], .n_lines = 3};
	tp_sample(t, "A");
	assert_int_equal(cv_filter_prune_from(&t->p, "f$"), 0);
	assert_int_equal(t->locs[0].n_lines, 2);
	assert_string_equal(t->locs[0].lines[0].function->name, "ns::f(int)");
	tp_free(t);
}

/* ---- -tagroot / -tagleaf -------------------------------------------------- */

static void test_label_frames(void **state)
{
	tprof *t = tp_new("AB");
	cv_sample *s0 = tp_sample(t, "AB");
	add_str(s0, "worker", "json");
	add_num(s0, "bytes", 65536, "bytes");
	cv_sample *s1 = tp_sample(t, "B");
	add_num(s1, "bytes", 48, "");
	bool rm, lm;
	assert_int_equal(cv_filter_add_label_frames(&t->p, "worker", "bytes", "minimum", &rm, &lm), 0);
	assert_true(rm && lm);
	/* Frames are numbered in first-use order: root keys, then leaf keys. */
	assert_int_equal(t->p.n_locations, 6);
	assert_string_equal(stack(&t->p, 0), "64kB A B json");
	assert_string_equal(stack(&t->p, 1), "48 B ");
	assert_string_equal(t->p.locations[2].lines[0].function->filename, "worker");
	assert_int_equal(t->p.locations[2].id, 3);
	assert_int_equal(t->p.functions[2].id, 3);
	/* Existing lines still reach their (moved) functions. */
	assert_ptr_equal(t->p.locations[0].lines[0].function, &t->p.functions[0]);

	tprof *u = tp_new("A");
	tp_sample(u, "A");
	assert_int_equal(cv_filter_add_label_frames(&u->p, ",x,,y", NULL, "minimum", &rm, &lm), 0);
	assert_false(rm);
	/* The first key is outermost. */
	assert_string_equal(u->p.locations[u->p.samples[0].locs[2]].lines[0].function->filename, "x");
	tp_free(t);
	tp_free(u);
}

/* ---- units and layout ------------------------------------------------------ */

static void test_num_label_units(void **state)
{
	tprof *t = tp_new("A");
	cv_sample *s = tp_sample(t, "A");
	add_num(s, "request", 1, "");
	add_num(s, "size", 2, "");
	add_num(s, "lat", 3, "ms");
	s = tp_sample(t, "A");
	add_num(s, "lat", 4, "ns");
	add_num(s, "lat", 5, "hours");
	add_num(s, "lat", 6, "ms");
	cv_num_label_unit *u;
	size_t n;
	assert_int_equal(cv_profile_num_label_units(&t->p, &u, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(u[0].key, "lat");
	assert_string_equal(u[0].unit, "ms");
	assert_int_equal(u[0].n_ignored, 2);
	assert_string_equal(u[0].ignored[0], "hours");
	assert_string_equal(u[0].ignored[1], "ns");
	assert_string_equal(cv_num_label_unit_of(u, n, "request"), "bytes");
	assert_string_equal(cv_num_label_unit_of(u, n, "size"), "size");
	assert_string_equal(cv_num_label_unit_of(u, n, "nope"), "");
	tp_free(t);
}

static void test_tabwriter(void **state)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_tabwrite_right(&sb, "key:\t Total 6.0s\n \t1.0s (17.45%):\t lock\n \t900.0ms (15.10%):\t hash\n\n"
			       "k:\t Total 1\n \t1 (100%):\t x\n\n");
	assert_string_equal(sb.buf,
			    " key: Total 6.0s\n"
			    "         1.0s (17.45%): lock\n"
			    "      900.0ms (15.10%): hash\n"
			    "\n"
			    " k: Total 1\n"
			    "    1 (100%): x\n"
			    "\n");
	cv_strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_forms),
		cmocka_unit_test(test_range_not_a_range),
		cmocka_unit_test(test_range_match_units),
		cmocka_unit_test(test_tag_filter_strings),
		cmocka_unit_test(test_tag_filter_numbers),
		cmocka_unit_test(test_filter_by_tag_and_name),
		cmocka_unit_test(test_show_from_example),
		cmocka_unit_test(test_show_from_inlined),
		cmocka_unit_test(test_prune_from_example),
		cmocka_unit_test(test_prune_from_names),
		cmocka_unit_test(test_label_frames),
		cmocka_unit_test(test_num_label_units),
		cmocka_unit_test(test_tabwriter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
