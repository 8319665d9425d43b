/*
 * The library's entry point (view.h) as an embedder meets it: options
 * checked before anything runs, pprof's notes handed to the callback,
 * errors naming the source they are about, the graph and the report of
 * one view agreeing. That its reports equal the CLI's is
 * tests/cli/test_examples.sh's job.
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

#include "callviz/callviz.h"

static char path_buf[1024];

static const char *data(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", CV_TEST_DATA, name);
	return path_buf;
}

static cv_profile *load(const char *name)
{
	const char *src[] = {data(name)};
	cv_profile *p = NULL;
	char *n = NULL;
	assert_int_equal(cv_load_sources(&p, &n, src, 1, NULL), 0);
	assert_non_null(n);
	free(n);
	return p;
}

/* Messages received, kinds and texts joined one a line. */
typedef struct inbox {
	char text[4096];
	int notes, warnings, errors;
} inbox;

static void receive(void *d, cv_message_kind kind, const char *subject, const char *text)
{
	inbox *in = d;
	in->notes += kind == CV_MSG_NOTE;
	in->warnings += kind == CV_MSG_WARNING;
	in->errors += kind == CV_MSG_ERROR;
	size_t used = strlen(in->text);
	snprintf(in->text + used, sizeof(in->text) - used, "%s|%s\n", subject ? subject : "-", text);
}

static void test_options_checked(void **state)
{
	cv_profile *p = load("go-cpu.pb.gz");
	cv_view_options o;
	memset(&o, 0, sizeof(o));
	cv_view *v = (cv_view *)&o;
	/* Zeroed options are refused, not read as some default. */
	assert_int_equal(cv_view_new(&v, p, &o), CV_EINVAL);
	assert_null(v);
	assert_non_null(strstr(cv_error_last(), "version"));

	cv_view_options_init(&o);
	o.format = "nonsense";
	assert_int_equal(cv_view_new(&v, p, &o), CV_EINVAL);
	assert_string_equal(cv_error_last(), "unknown output format nonsense");

	cv_view_options_init(&o);
	o.divide_by = 0;
	assert_int_equal(cv_view_new(&v, p, &o), CV_EINVAL);

	cv_view_options_init(&o);
	o.sample_index = "no_such_type";
	assert_true(cv_view_new(&v, p, &o) < 0);
	assert_non_null(strstr(cv_error_last(), "no_such_type"));
	cv_profile_free(p);
}

static void test_notes_go_to_callback(void **state)
{
	cv_profile *p = load("go-cpu.pb.gz");
	inbox in = {0};
	cv_view_options o;
	cv_view_options_init(&o);
	o.focus = "no function is called this";
	o.subject = "cpu";
	o.message = receive;
	o.message_data = &in;
	char *out;
	size_t len;
	assert_int_equal(cv_view_report(&out, &len, p, &o), 0);
	assert_int_equal(in.notes, 1);
	assert_string_equal(in.text, "cpu|Focus expression matched no samples\n");
	/* The legend lists the filter, and the total is the whole profile's. */
	assert_non_null(strstr(out, "Active filters:\n   focus=no function is called this\n"));
	free(out);
	cv_profile_free(p);
}

static void test_graph_matches_report(void **state)
{
	cv_profile *p = load("go-heap.pb.gz");
	cv_view_options o;
	cv_view_options_init(&o);
	o.format = "top";
	o.sample_index = "alloc_space";
	cv_view *v;
	assert_int_equal(cv_view_new(&v, p, &o), 0);
	assert_ptr_equal(cv_view_profile(v), p);
	assert_int_equal(cv_view_report_options(v)->sample_index, 1); /* alloc_objects, alloc_space, ... */
	cv_graph *g;
	cv_trim_result tr;
	assert_int_equal(cv_view_graph(&g, &tr, v, false), 0);
	assert_true(g->n_nodes > 0);
	char *out;
	size_t len;
	assert_int_equal(cv_view_render(&out, &len, v), 0);
	/* The heaviest node of the graph heads the table. */
	char *first = strstr(out, "cum%\n");
	assert_non_null(first);
	assert_non_null(strstr(strchr(first, '\n') + 1, g->nodes[0]->info.name));
	free(out);
	cv_graph_free(g);
	cv_view_free(v);
	cv_profile_free(p);
}

static void test_load_reports_each_source(void **state)
{
	inbox in = {0};
	cv_load_options lo;
	cv_load_options_init(&lo);
	lo.message = receive;
	lo.message_data = &in;
	char good[1024], missing[1024];
	snprintf(good, sizeof(good), "%s", data("go-cpu.pb.gz"));
	snprintf(missing, sizeof(missing), "%s", data("no-such.pb.gz"));
	const char *two[] = {good, missing};
	cv_profile *p;
	char *name;
	/* One of two loads: the other is an error message, then a warning. */
	assert_int_equal(cv_load_sources(&p, &name, two, 2, &lo), 0);
	assert_string_equal(name, good);
	assert_int_equal(in.errors, 1);
	assert_int_equal(in.warnings, 1);
	assert_non_null(strstr(in.text, "loaded 1 of 2 source profiles"));
	free(name);
	cv_profile_free(p);

	/* A lone source that fails is the error, about that source. */
	const char *one[] = {missing};
	assert_true(cv_load_sources(&p, &name, one, 1, &lo) < 0);
	assert_null(p);
	assert_string_equal(name, missing);
	free(name);

	const char *both_missing[] = {missing, missing};
	assert_true(cv_load_sources(&p, &name, both_missing, 2, &lo) < 0);
	assert_null(name);
	assert_string_equal(cv_error_last(), "none of the 2 source profiles could be loaded");
}

static void test_granularity_names(void **state)
{
	for (int i = CV_GRAN_FUNCTIONS; i <= CV_GRAN_ADDRESSES; i++) {
		cv_granularity g;
		assert_int_equal(cv_granularity_parse(cv_granularity_name((cv_granularity)i), &g), 0);
		assert_int_equal(g, i);
	}
	cv_granularity g;
	assert_int_equal(cv_granularity_parse("bytes", &g), CV_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_checked),
		cmocka_unit_test(test_notes_go_to_callback),
		cmocka_unit_test(test_graph_matches_report),
		cmocka_unit_test(test_load_reports_each_source),
		cmocka_unit_test(test_granularity_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
