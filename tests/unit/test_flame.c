/*
 * Collapsed stacks in and out, distinct stacks, profile re-encoding and the
 * flame graph SVG. Profiles are written as folded text (the reader is one
 * of the things under test) so each case shows its stacks at a glance.
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
#include "callviz/render.h"
#include "callviz/report.h"
#include "callviz/stacks.h"
#include "profile/folded.h"
#include "util/bytemap.h"

static cv_profile *folded(const char *text)
{
	cv_profile *p = NULL;
	int rc = cv_profile_parse(&p, text, strlen(text));
	if (rc)
		fail_msg("parse: %s", cv_error_last());
	return p;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *s = hay; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

/* ---- byte map ----------------------------------------------------------------- */

static void test_bytemap(void **state)
{
	cv_bytemap *m = cv_bytemap_new();
	static char keys[5000][16];
	for (uint32_t i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%u", i);
		assert_int_equal(cv_bytemap_get(m, keys[i], strlen(keys[i])), CV_BYTEMAP_NONE);
		assert_int_equal(cv_bytemap_put(m, keys[i], strlen(keys[i]), i), 0);
	}
	assert_int_equal(cv_bytemap_put(m, "", 0, 7777), 0);
	for (uint32_t i = 0; i < 5000; i++)
		assert_int_equal(cv_bytemap_get(m, keys[i], strlen(keys[i])), i);
	assert_int_equal(cv_bytemap_get(m, "", 0), 7777);
	assert_int_equal(cv_bytemap_get(m, "k", 1), CV_BYTEMAP_NONE);
	assert_int_equal(cv_bytemap_count(m), 5001);
	cv_bytemap_free(m);
}

/* ---- folded input --------------------------------------------------------------- */

static bool detect(const char *s)
{
	return cv_folded_detect((const uint8_t *)s, strlen(s));
}

static void test_folded_detect(void **state)
{
	assert_true(detect("main;work 3\n"));
	assert_true(detect("\n  \r\nmain 1"));
	assert_true(detect("a b c;d 12.5\r\n"));
	assert_true(detect("a;b 1 2\n"));
	assert_false(detect(""));
	assert_false(detect("\n\n"));
	assert_false(detect("main;work\n"));
	assert_false(detect("main;work 3x\n"));
	assert_false(detect("12\n"));            /* a count and no stack */
	assert_false(detect("main .5\n"));       /* flamegraph.pl wants a digit first */
	const uint8_t proto[] = {0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, '1', '\n'};
	assert_false(cv_folded_detect(proto, sizeof(proto)));
	const uint8_t text_nul[] = {'a', ' ', '1', '\n', 0, 'b', ' ', '2'};
	assert_false(cv_folded_detect(text_nul, sizeof(text_nul)));
}

static void test_folded_parse(void **state)
{
	cv_profile *p = folded("main;foo;bar_[i] 5\n\nmain;foo 2\nmain;foo;bar_[i] 1\n");
	assert_int_equal(p->n_sample_types, 1);
	assert_string_equal(p->sample_types[0].type, "samples");
	assert_string_equal(p->sample_types[0].unit, "count");
	assert_int_equal(p->n_samples, 3);
	assert_int_equal(p->n_functions, 3);
	/* main, and foo with bar inlined into it: two locations. */
	assert_int_equal(p->n_locations, 3);
	const cv_sample *s = &p->samples[0];
	assert_int_equal(s->values[0], 5);
	assert_int_equal(s->n_locs, 2);
	const cv_location *leaf = &p->locations[s->locs[0]];
	assert_int_equal(leaf->n_lines, 2);
	assert_string_equal(leaf->lines[0].function->name, "bar");
	assert_string_equal(leaf->lines[1].function->name, "foo");
	assert_string_equal(p->locations[s->locs[1]].lines[0].function->name, "main");
	assert_int_equal(p->samples[2].locs[0], s->locs[0]);   /* shared location */
	cv_profile_free(p);
}

static void test_folded_counts(void **state)
{
	cv_profile *p = folded("a 2.5\na 2.4\na;b 1 7\nc 3.\n");
	assert_int_equal(p->n_samples, 4);
	assert_int_equal(p->samples[0].values[0], 3);   /* rounded */
	assert_int_equal(p->samples[1].values[0], 2);
	assert_int_equal(p->samples[2].values[0], 7);   /* "before after": after */
	assert_int_equal(p->samples[2].n_locs, 2);       /* not a frame "b 1" */
	assert_int_equal(p->samples[3].values[0], 3);
	cv_profile_free(p);
}

static void test_folded_errors(void **state)
{
	cv_profile *p = NULL;
	const char *bad = "main;a 1\nmain;b 2\nmain;c two\n";
	assert_int_equal(cv_profile_parse(&p, bad, strlen(bad)), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "line 3"));
	const char *big = "main 99999999999999999999\n";
	assert_int_equal(cv_folded_parse(&p, (const uint8_t *)big, strlen(big)), CV_EFORMAT);
	assert_null(p);
}

/* ---- stacks and -folded ----------------------------------------------------------- */

static void test_stacks(void **state)
{
	cv_profile *p = folded("m;z 1\nm;a;x_[i] 2\nm;a 4\nm;z 3\nm;a;x 5\nq 0\n");
	cv_graph_options o = {.sample_index = 0};
	cv_stacks *st;
	assert_int_equal(cv_stacks_build(&st, p, &o), 0);
	/* Sorted frame by frame, a prefix first, x before x inlined; zero gone. */
	const char *want[] = {"m;a", "m;a;x", "m;a;x_[i]", "m;z"};
	int64_t values[] = {4, 5, 2, 4};
	assert_int_equal(st->n_stacks, 4);
	for (size_t i = 0; i < st->n_stacks; i++) {
		char buf[64] = "";
		for (uint32_t d = 0; d < st->stacks[i].depth; d++) {
			const cv_frame *f = &st->frames[st->stacks[i].frames[d]];
			strcat(buf, d ? ";" : "");
			strcat(buf, f->name);
			strcat(buf, f->inlined ? "_[i]" : "");
		}
		assert_string_equal(buf, want[i]);
		assert_int_equal(st->stacks[i].value, values[i]);
	}
	cv_stacks_free(st);

	/* -noinlines keeps a location's outermost frame only. */
	o.no_inlines = true;
	assert_int_equal(cv_stacks_build(&st, p, &o), 0);
	assert_int_equal(st->n_stacks, 3);
	assert_int_equal(st->stacks[0].value, 6);      /* m;a (with x_[i]) */
	cv_stacks_free(st);
	cv_profile_free(p);
}

static char *report(int (*fn)(FILE *, const cv_profile *, const cv_report_options *),
		    const cv_profile *p)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cv_report_options ro;
	cv_report_options_init(&ro);
	ro.sample_index = 0;
	assert_int_equal(fn(f, p, &ro), 0);
	fclose(f);
	return out;
}

static void test_folded_report(void **state)
{
	cv_profile *p = folded("m;b;c_[i] 2\nm;a 1\nm;b;c_[i] 3\nm;semi;colon 1\n");
	/* A name with ';' would split the frame: it is written with ':'. */
	((cv_function *)p->locations[p->samples[3].locs[0]].lines[0].function)->name = "x;y";
	char *out = report(cv_report_folded, p);
	assert_string_equal(out, "m;a 1\nm;b;c_[i] 5\nm;semi;x:y 1\n");
	free(out);
	cv_profile_free(p);
}

/* ---- -proto ------------------------------------------------------------------------ */

static void test_encode_roundtrip(void **state)
{
	cv_profile *p = folded("main;work;hash_[i] 30\nmain;io 10\nmain;gone 5\n");
	cv_profile_add_comment(p, "first");
	cv_profile_add_comment(p, "#hidden");
	cv_filter_options fo = {.ignore = "gone"};
	assert_int_equal(cv_filter_samples(p, &fo, NULL), 0);
	for (int gz = 0; gz < 2; gz++) {
		uint8_t *buf;
		size_t len;
		cv_encode_options eo = {.uncompressed = !gz};
		assert_int_equal(cv_profile_encode(&buf, &len, p, &eo), 0);
		assert_true(gz == (buf[0] == 0x1f && buf[1] == 0x8b));
		cv_profile *q;
		assert_int_equal(cv_profile_parse(&q, buf, len), 0);
		free(buf);
		assert_int_equal(q->n_samples, 2);
		assert_int_equal(q->samples[0].values[0], 30);
		assert_int_equal(q->samples[1].values[0], 10);
		/* Only what samples reach: "gone" is neither a location nor a function. */
		assert_int_equal(q->n_locations, 3);
		assert_int_equal(q->n_functions, 4);
		const cv_location *leaf = &q->locations[q->samples[0].locs[0]];
		assert_int_equal(leaf->n_lines, 2);
		assert_string_equal(leaf->lines[0].function->name, "hash");
		assert_int_equal(q->n_comments, 2);
		assert_string_equal(q->comments[0], "first");
		assert_string_equal(q->comments[1], "#hidden");
		assert_string_equal(q->sample_types[0].type, "samples");
		cv_profile_free(q);
	}
	cv_profile_free(p);
}

static void test_encode_ratio(void **state)
{
	/* Folded counts are never negative: make one by hand. */
	cv_profile *p = folded("a 7\nb 3\n");
	p->samples[1].values[0] = -3;
	double ratios[] = {0.5, -2, 1};
	int64_t want_a[] = {3, 7, 7}, want_b[] = {-1, -3, -3};
	for (int i = 0; i < 3; i++) {
		uint8_t *buf;
		size_t len;
		cv_encode_options eo = {.ratio = ratios[i]};
		assert_int_equal(cv_profile_encode(&buf, &len, p, &eo), 0);
		cv_profile *q;
		assert_int_equal(cv_profile_parse(&q, buf, len), 0);
		free(buf);
		assert_int_equal(q->samples[0].values[0], want_a[i]);
		assert_int_equal(q->samples[1].values[0], want_b[i]);
		cv_profile_free(q);
	}
	cv_profile_free(p);
}

static void test_profile_write(void **state)
{
	cv_profile *p = folded("main;work 3\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(cv_profile_write(f, p, NULL), 0);
	fclose(f);
	cv_profile *q;
	assert_true(len > 2 && (uint8_t)buf[0] == 0x1f && (uint8_t)buf[1] == 0x8b);
	assert_int_equal(cv_profile_parse(&q, buf, len), 0);
	assert_int_equal(q->n_samples, 1);
	assert_int_equal(q->samples[0].values[0], 3);
	free(buf);
	cv_profile_free(q);
	cv_profile_free(p);
}

/* ---- flame graph -------------------------------------------------------------------- */

static char *flame(const char *text, const cv_flame_options *o, size_t *frames)
{
	cv_profile *p = folded(text);
	cv_graph_options go = {.sample_index = 0};
	cv_stacks *st;
	assert_int_equal(cv_stacks_build(&st, p, &go), 0);
	char *svg;
	size_t len;
	assert_int_equal(cv_render_flame(&svg, &len, st, o), 0);
	assert_int_equal(strlen(svg), len);
	*frames = count(svg, "<g class=\"f");
	cv_stacks_free(st);
	cv_profile_free(p);
	return svg;
}

static void test_flame_frames(void **state)
{
	size_t n;
	char *svg = flame("m;a;b 6\nm;a 2\nm;c 2\n", NULL, &n);
	assert_int_equal(n, 5);            /* all, m, a, b, c */
	assert_non_null(strstr(svg, "data-x=\"0\" data-v=\"10\" data-d=\"0\"><title>all\n10, 100%</title>"));
	assert_non_null(strstr(svg, "data-x=\"0\" data-v=\"6\" data-d=\"3\"><title>b\n6, 60.00%</title>"));
	assert_non_null(strstr(svg, "data-x=\"8\" data-v=\"2\" data-d=\"2\"><title>c\n2, 20.00%</title>"));
	assert_non_null(strstr(svg, "<script"));
	/* Self-contained: nothing is loaded from anywhere. */
	assert_null(strstr(svg, "src="));
	assert_null(strstr(svg, "href"));
	free(svg);
}

static void test_flame_merge(void **state)
{
	cv_flame_options o;
	cv_flame_options_init(&o);
	o.max_frames = 4;
	size_t n;
	/* 200 one-sample children of m: too many to draw one by one. */
	char text[200 * 16 + 32];
	size_t used = 0;
	for (int i = 0; i < 200; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "m;f%03d 1\n", i);
	snprintf(text + used, sizeof(text) - used, "m;big 300\n");
	char *svg = flame(text, &o, &n);
	assert_true(n <= 4);
	assert_non_null(strstr(svg, "(200 narrow frames merged)\n200, 40.00%"));
	assert_non_null(strstr(svg, "<title>big\n300, 60.00%"));
	free(svg);
}

static const char *class_of(void *arg, const cv_frame *f)
{
	(*(int *)arg)++;
	return strcmp(f->name, "runtime.mallocgc") == 0 ? "hs-alloc" : NULL;
}

static void test_flame_escaping_and_hook(void **state)
{
	cv_flame_options o;
	cv_flame_options_init(&o);
	int calls = 0;
	o.frame_class = class_of;
	o.frame_class_arg = &calls;
	o.extra_css = ".f.hs-alloc rect{fill:#123456}\n";
	o.icicle = true;
	o.title = "a <title> & more";
	size_t n;
	char *svg = flame("main;a<b>&\"c\";bad\xff\tname;runtime.mallocgc 4\n", &o, &n);
	assert_int_equal(n, 5);
	assert_int_equal(calls, 4);
	assert_non_null(strstr(svg, "a&lt;b&gt;&amp;&quot;c&quot;"));
	assert_non_null(strstr(svg, "bad\xef\xbf\xbd name"));
	assert_null(strstr(svg, "\xff"));
	assert_non_null(strstr(svg, "<g class=\"f hs-alloc\""));
	assert_non_null(strstr(svg, ".f.hs-alloc rect{fill:#123456}"));
	/* The search highlight comes after the hook's CSS, so it wins. */
	assert_true(strstr(svg, ".f.match rect") > strstr(svg, "hs-alloc rect"));
	assert_non_null(strstr(svg, "a &lt;title&gt; &amp; more"));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytemap),
		cmocka_unit_test(test_folded_detect),
		cmocka_unit_test(test_folded_parse),
		cmocka_unit_test(test_folded_counts),
		cmocka_unit_test(test_folded_errors),
		cmocka_unit_test(test_stacks),
		cmocka_unit_test(test_folded_report),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_encode_ratio),
		cmocka_unit_test(test_profile_write),
		cmocka_unit_test(test_flame_frames),
		cmocka_unit_test(test_flame_merge),
		cmocka_unit_test(test_flame_escaping_and_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
