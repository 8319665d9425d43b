/*
 * The HTML page writers: escaping, the parts a report page is made of, the
 * flame graph's stylesheet scoped to its box, the index's failed renders,
 * and cv_report_html / cv_report_compare_html on a small folded profile.
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
#include "callviz/html.h"
#include "callviz/profile.h"
#include "testprof.h"

static const char *const head[] = {"name", "value"};

static void test_report_escapes(void **state)
{
	(void)state;
	const char *cells[] = {"a<b>&\"c\"", "1", "bad \xff utf8\x01", "2"};
	const char *legend[] = {"File: <x>"};
	cv_html_hotspot hs = {"alloc", "#1f77b4", "1s", "10%"};
	cv_html_report r = {
		.title = "t & <t>", .legend = legend, .n_legend = 1,
		.hotspots = &hs, .n_hotspots = 1,
		.top = {head, 2, cells, 2, 0x2},
		.graph_svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox=\"0 0 1 1\"><g class=\"node\"/></svg>\n",
	};
	char *out;
	size_t len;
	assert_int_equal(cv_render_html_report(&out, &len, &r), 0);
	assert_int_equal(strlen(out), len);
	assert_non_null(strstr(out, "<title>t &amp; &lt;t&gt;</title>"));
	assert_non_null(strstr(out, "<td>a&lt;b&gt;&amp;&quot;c&quot;</td><td class=\"n\">1</td>"));
	assert_non_null(strstr(out, "<td>bad \xef\xbf\xbd utf8 </td>"));
	assert_non_null(strstr(out, "<li>File: &lt;x&gt;</li>"));
	assert_non_null(strstr(out, "id=\"cv-hotspots\""));
	/* The graph inlined without its prolog, the pan and zoom script along. */
	assert_null(strstr(out, "<?xml"));
	assert_null(strstr(out, "<!DOCTYPE svg"));
	assert_non_null(strstr(out, "<div class=\"cv-graph\" id=\"cv-graph\">"));
	assert_non_null(strstr(out, "div.cv-graph"));
	free(out);
	/* No hotspot table: no section, no graph: no script. */
	r.hotspots = NULL;
	r.graph_svg = NULL;
	assert_int_equal(cv_render_html_report(&out, &len, &r), 0);
	assert_null(strstr(out, "cv-hotspots"));
	assert_null(strstr(out, "<script"));
	free(out);
}

static void test_flame_css_scoped(void **state)
{
	(void)state;
	cv_html_report r = {
		.title = "t", .top = {head, 2, NULL, 0, 0},
		.flame_svg = "<svg><style>\ntext{fill:#000}\n.f:hover rect,#title{x:1}\n</style><g id=\"frames\"/></svg>",
	};
	char *out;
	size_t len;
	assert_int_equal(cv_render_html_report(&out, &len, &r), 0);
	assert_non_null(strstr(out, "#cv-flame text{fill:#000}\n"));
	assert_non_null(strstr(out, "#cv-flame .f:hover rect,#cv-flame #title{x:1}\n"));
	free(out);
}

static void test_index(void **state)
{
	(void)state;
	cv_html_link l[] = {{"a.svg", "a.svg", true, false}, {"a.pdf", "a.pdf", false, true},
			    {"x.html", "x.html", false, false}};
	cv_html_links cells[] = {{l, 1}, {l + 1, 1}};
	const char *rows[] = {"src&1"}, *cols[] = {"inuse", "alloc"};
	cv_html_index ix = {"idx", rows, 1, cols, 2, cells, {l + 2, 1}};
	char *out;
	size_t len;
	assert_int_equal(cv_render_html_index(&out, &len, &ix), 0);
	assert_non_null(strstr(out, "<tr><th>src&amp;1</th>"));
	assert_non_null(strstr(out, "<img src=\"a.svg\""));
	assert_non_null(strstr(out, "a.pdf (failed)"));
	assert_null(strstr(out, "href=\"a.pdf\""));
	assert_non_null(strstr(out, "<h2>Comparisons</h2>"));
	free(out);
}

static cv_profile *folded(const char *text)
{
	cv_profile *p = NULL;
	if (cv_profile_parse(&p, text, strlen(text)))
		fail_msg("parse: %s", cv_error_last());
	return p;
}

static void test_report_html(void **state)
{
	(void)state;
	cv_profile *p = folded("main;work;hash 30\nmain;work 10\nmain;io 5\n");
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = 0;
	char *a = tp_report(cv_report_html, p, &o), *b = tp_report(cv_report_html, p, &o);
	assert_string_equal(a, b); /* deterministic */
	assert_non_null(strstr(a, "<td>hash</td>"));
	assert_non_null(strstr(a, "id=\"cv-graph\""));
	assert_non_null(strstr(a, "id=\"frames\""));
	assert_null(strstr(a, "cv-hotspots")); /* no classes given */
	free(a);
	free(b);
	cv_profile *q = folded("main;work;hash 10\nmain;work 40\nmain;gc 5\n");
	cv_report_options oq = o;
	cv_compare_side sa = {p, &o, "before"}, sb = {q, &oq, "after"};
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	assert_int_equal(cv_report_compare_html(mem, &sa, &sb), 0);
	fclose(mem);
	/* hash: first (30) before, second (10) after; work climbs to first. */
	assert_non_null(strstr(out, "<td>hash</td><td class=\"n\">30</td>"));
	assert_non_null(strstr(out, "<td class=\"n\">-20</td><td class=\"n\">\xe2\x86\x93" "1</td>"));
	assert_non_null(strstr(out, "<td class=\"n\">+30</td><td class=\"n\">\xe2\x86\x91" "1</td>"));
	assert_non_null(strstr(out, "<td>gc</td>"));
	assert_non_null(strstr(out, ">new</td>"));
	assert_non_null(strstr(out, "id=\"cv-graph-a\""));
	assert_non_null(strstr(out, "id=\"cv-graph-b\""));
	free(out);
	cv_profile_free(p);
	cv_profile_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_escapes),
		cmocka_unit_test(test_flame_css_scoped),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_report_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
