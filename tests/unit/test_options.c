/*
 * The options rule of include/callviz/common.h: every cv_*_options_init
 * sets the current version, a zeroed struct is valid (version 0 reads as
 * 1; a zeroed cv_graph_options means no -mean), and every entry point
 * refuses a version newer than the library's with CV_EINVAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/callviz.h"
#include "callviz/hotspot.h"

static cv_profile *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, name);
	cv_profile *p = NULL;
	if (cv_profile_read(&p, path))
		fail_msg("%s: %s", path, cv_error_last());
	return p;
}

static void refused(int rc, const char *what)
{
	if (rc != CV_EINVAL)
		fail_msg("%s: got %d, want CV_EINVAL", what, rc);
	if (!strstr(cv_error_last(), "is newer than this library's"))
		fail_msg("%s: message \"%s\"", what, cv_error_last());
	cv_error_clear();
}

static void test_init_sets_version(void **state)
{
	(void)state;
	cv_profile_parse_options po;
	cv_encode_options eo;
	cv_base_options bo;
	cv_graph_options go;
	cv_trim_options to;
	cv_filter_options fo;
	cv_report_options ro;
	cv_flame_options flo;
	cv_fetch_options feo;
	memset(&po, 0xff, sizeof(po));
	memset(&eo, 0xff, sizeof(eo));
	memset(&bo, 0xff, sizeof(bo));
	memset(&go, 0xff, sizeof(go));
	memset(&to, 0xff, sizeof(to));
	memset(&fo, 0xff, sizeof(fo));
	cv_profile_parse_options_init(&po);
	cv_encode_options_init(&eo);
	cv_base_options_init(&bo);
	cv_graph_options_init(&go);
	cv_trim_options_init(&to);
	cv_filter_options_init(&fo);
	cv_report_options_init(&ro);
	cv_flame_options_init(&flo);
	cv_fetch_options_init(&feo);
	assert_int_equal(po.version, CV_PROFILE_PARSE_OPTIONS_VERSION);
	assert_int_equal(eo.version, CV_ENCODE_OPTIONS_VERSION);
	assert_int_equal(bo.version, CV_BASE_OPTIONS_VERSION);
	assert_int_equal(go.version, CV_GRAPH_OPTIONS_VERSION);
	assert_int_equal(to.version, CV_TRIM_OPTIONS_VERSION);
	assert_int_equal(fo.version, CV_FILTER_OPTIONS_VERSION);
	assert_int_equal(ro.version, CV_REPORT_OPTIONS_VERSION);
	assert_int_equal(flo.version, CV_FLAME_OPTIONS_VERSION);
	assert_int_equal(feo.version, CV_FETCH_OPTIONS_VERSION);
	/* The inits whose defaults are the zeroed values give just that. */
	assert_false(eo.uncompressed);
	assert_true(eo.ratio == 0);
	assert_false(bo.diff_base || bo.normalize);
	assert_false(go.mean || go.no_inlines || go.call_tree || go.no_tags);
	assert_int_equal(go.sample_index, 0);
	assert_int_equal(go.granularity, CV_GRAN_FUNCTIONS);
	assert_null(go.tag_unit);
	assert_true(to.node_fraction == 0.005 && to.edge_fraction == 0.001);
	assert_int_equal(to.node_count, 0);
	assert_false(to.cum_sort || to.visual);
	assert_null(fo.focus);
	assert_null(fo.ignore);
	assert_null(fo.hide);
	assert_null(fo.show);
	assert_int_equal(po.max_bytes, (size_t)2 << 30);
}

/* Zeroed graph options once meant -mean by value 0 (mean_index 0). */
static void test_zeroed_graph_options_no_mean(void **state)
{
	(void)state;
	cv_profile *p = load("go-block.pb.gz");
	assert_int_equal(p->n_sample_types, 2);
	cv_graph_options zero = {0}, mean = {0};
	zero.sample_index = mean.sample_index = 1;
	mean.mean = true;
	cv_graph *gz = NULL, *gm = NULL;
	assert_int_equal(cv_graph_build(&gz, p, &zero, NULL), 0);
	assert_int_equal(cv_graph_build(&gm, p, &mean, NULL), 0);
	int64_t flat, cum;
	cv_graph_sum(gz, &flat, &cum);
	assert_int_equal(flat, cv_report_total(p, 1));
	bool divided = false;
	for (size_t i = 0; i < gz->n_nodes; i++)
		assert_int_equal(gz->nodes[i]->flat_div, 0);
	for (size_t i = 0; i < gm->n_nodes; i++)
		divided |= gm->nodes[i]->flat_div != 0;
	assert_true(divided);
	cv_graph_free(gz);
	cv_graph_free(gm);
	cv_profile_free(p);
}

static char *report(int (*fn)(FILE *, const cv_profile *, const cv_report_options *),
		    const cv_profile *p, const cv_report_options *o, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = fn(f, p, o);
	fclose(f);
	return buf;
}

/* Every zeroed options struct is accepted and means what its header says. */
static void test_zeroed_structs_valid(void **state)
{
	(void)state;
	cv_profile *p = load("go-cpu.pb.gz");
	cv_profile_parse_options po = {0};
	cv_profile *q = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/go-cpu.pb.gz", CV_TEST_DATA);
	assert_int_equal(cv_profile_read_ext(&q, path, &po), 0);
	cv_profile_free(q);

	/* Zeroed report options: sample 0, nothing trimmed, like these. */
	cv_report_options zero = {0}, full;
	cv_report_options_init(&full);
	full.sample_index = 0;
	full.node_fraction = full.edge_fraction = 0;
	full.node_count = 0;
	int rz, rf;
	char *tz = report(cv_report_top, p, &zero, &rz);
	char *tf = report(cv_report_top, p, &full, &rf);
	assert_int_equal(rz, 0);
	assert_int_equal(rf, 0);
	assert_string_equal(tz, tf);
	free(tz);
	free(tf);

	cv_graph_options go = {0};
	cv_trim_options to = {0};
	cv_trim_result tr;
	cv_graph *g = NULL, *all = NULL;
	assert_int_equal(cv_graph_build_trimmed(&g, &tr, p, &go, &to), 0);
	assert_int_equal(cv_graph_build(&all, p, &go, NULL), 0);
	assert_int_equal(g->n_nodes, all->n_nodes);
	cv_graph_free(g);
	cv_graph_free(all);

	/* Zeroed flame options: the default size. */
	cv_stacks *st = NULL;
	assert_int_equal(cv_stacks_build(&st, p, &go), 0);
	cv_flame_options fz = {0}, fd;
	cv_flame_options_init(&fd);
	fd.min_width = 0;
	char *a = NULL, *b = NULL;
	size_t na, nb;
	assert_int_equal(cv_render_flame(&a, &na, st, &fz), 0);
	assert_int_equal(cv_render_flame(&b, &nb, st, &fd), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_non_null(strstr(a, "width=\"1200\""));
	free(a);
	free(b);
	cv_stacks_free(st);

	cv_filter_options fo = {0};
	cv_filter_result fr;
	size_t n = p->n_samples;
	assert_int_equal(cv_filter_samples(p, &fo, &fr), 0);
	assert_int_equal(p->n_samples, n);

	cv_encode_options eo = {0};
	uint8_t *enc = NULL;
	size_t len = 0;
	assert_int_equal(cv_profile_encode(&enc, &len, p, &eo), 0);
	assert_true(len > 2 && enc[0] == 0x1f && enc[1] == 0x8b); /* gzipped */
	free(enc);
	cv_profile_free(p);
}

/* A struct from a newer header is refused, not half read. */
static void test_newer_version_refused(void **state)
{
	(void)state;
	cv_profile *p = load("go-cpu.pb.gz");
	cv_profile *q = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/go-cpu.pb.gz", CV_TEST_DATA);

	cv_profile_parse_options po;
	cv_profile_parse_options_init(&po);
	po.version++;
	refused(cv_profile_read_ext(&q, path, &po), "cv_profile_read_ext");
	refused(cv_profile_parse_ext(&q, "", 0, &po), "cv_profile_parse_ext");

	cv_encode_options eo;
	cv_encode_options_init(&eo);
	eo.version++;
	uint8_t *enc = NULL;
	size_t len;
	refused(cv_profile_encode(&enc, &len, p, &eo), "cv_profile_encode");
	refused(cv_profile_write(stdout, p, &eo), "cv_profile_write");

	cv_base_options bo;
	cv_base_options_init(&bo);
	bo.version++;
	refused(cv_profile_subtract_base(&q, p, p, &bo), "cv_profile_subtract_base");

	cv_graph_options go, gok;
	cv_graph_options_init(&go);
	cv_graph_options_init(&gok);
	go.version++;
	cv_trim_options to, tok;
	cv_trim_options_init(&to);
	cv_trim_options_init(&tok);
	to.version++;
	cv_graph *g = NULL;
	cv_trim_result tr;
	cv_stacks *st = NULL;
	refused(cv_graph_build(&g, p, &go, NULL), "cv_graph_build");
	refused(cv_graph_build_trimmed(&g, &tr, p, &go, &tok), "cv_graph_build_trimmed");
	refused(cv_graph_build_trimmed(&g, &tr, p, &gok, &to), "cv_graph_build_trimmed");
	refused(cv_stacks_build(&st, p, &go), "cv_stacks_build");

	cv_filter_options fo;
	cv_filter_options_init(&fo);
	fo.version++;
	cv_filter_result fr;
	refused(cv_filter_samples(p, &fo, &fr), "cv_filter_samples");

	cv_report_options ro, rok;
	cv_report_options_init(&ro);
	ro.sample_index = 0;
	cv_hotspots *h = NULL;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_add_builtin(h), 0);
	ro.hotspots = h; /* else -hotspots fails for want of classes */
	rok = ro;
	ro.version++;
	int (*const reports[])(FILE *, const cv_profile *, const cv_report_options *) = {
		cv_report_top, cv_report_comments, cv_report_hotspots, cv_report_tags,
		cv_report_dot, cv_report_traces, cv_report_tree, cv_report_list,
		cv_report_callgrind, cv_report_raw, cv_report_folded, cv_report_html,
	};
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		int rc;
		free(report(reports[i], p, &ro, &rc));
		refused(rc, "cv_report_*");
	}
	char *dot = NULL;
	refused(cv_report_dot_string(&dot, &len, p, &ro), "cv_report_dot_string");
	assert_null(cv_report_labels(p, &ro, NULL, NULL, 1, "minimum", false));
	cv_error_clear();
	cv_compare_side a = {p, &ro, "a"}, b = {p, &rok, "b"};
	refused(cv_report_compare_html(stdout, &a, &b), "cv_report_compare_html");

	cv_flame_options flo;
	cv_flame_options_init(&flo);
	flo.version++;
	refused(cv_report_flame(stdout, p, &rok, &flo), "cv_report_flame");
	assert_int_equal(cv_stacks_build(&st, p, &gok), 0);
	char *svg = NULL;
	refused(cv_render_flame(&svg, &len, st, &flo), "cv_render_flame");
	cv_stacks_free(st);

	cv_fetch_options feo;
	cv_fetch_options_init(&feo);
	feo.version++;
	cv_fetch_result res;
	refused(cv_fetch_url(&res, "http://127.0.0.1:1/", &feo), "cv_fetch_url");
	cv_hotspot_free(h);
	cv_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_sets_version),
		cmocka_unit_test(test_zeroed_graph_options_no_mean),
		cmocka_unit_test(test_zeroed_structs_valid),
		cmocka_unit_test(test_newer_version_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
