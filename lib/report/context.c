/* Shared set-up for every report: which value, which total, which trimming. */
#include <stdio.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/stacks.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "util/options.h"

int report_ctx_init(report_ctx *c, const cv_profile *p, const cv_report_options *o)
{
	memset(c, 0, sizeof(*c));
	c->opts = o;
	int vrc = CV_OPTIONS_CHECK(o, CV_REPORT_OPTIONS_VERSION, "cv_report_options");
	if (vrc)
		return vrc;
	if (p->n_sample_types == 0)
		return cv_error_set(CV_EFORMAT, "profile has no samples");
	if (o->sample_index < 0 || (size_t)o->sample_index >= p->n_sample_types)
		return cv_error_set(CV_EINVAL, "sample index %d out of range", o->sample_index);
	c->sample_type = p->sample_types[o->sample_index].type;
	c->sample_unit = p->sample_types[o->sample_index].unit;
	if (o->mean) {
		snprintf(c->mean_type, sizeof(c->mean_type), "mean_%s", c->sample_type);
		c->sample_type = c->mean_type;
	}
	c->output_unit = o->output_unit ? o->output_unit : "minimum";
	c->total = o->total ? o->total : cv_report_options_total(p, o);
	return 0;
}

char *report_format_value(const report_ctx *c, char *buf, size_t size, int64_t v)
{
	v = report_apply_ratio(v, c->opts->ratio);
	return cv_unit_label(buf, size, v, c->sample_unit, c->output_unit);
}

int report_graph(cv_graph **g, cv_trim_result *tr, const cv_profile *p,
		 report_ctx *c, bool visual)
{
	const cv_report_options *o = c->opts;
	cv_graph_options go = {
		.granularity = o->granularity,
		.no_inlines = o->no_inlines,
		.sample_index = o->sample_index,
		.mean = o->mean,
		.output_unit = c->output_unit,
		/* pprof formats "bytes" nodelets in that key's profile-wide unit. */
		.tag_unit = cv_num_label_unit_of(o->num_label_units, o->n_num_label_units,
						 "bytes"),
		.drop_negative = o->drop_negative,
		.call_tree = c->call_tree,
		.obj_names = c->obj_names,
		/* nodelets are drawn; text never shows tags */
		.no_tags = !visual,
	};
	cv_trim_options to = {
		.node_fraction = o->node_fraction,
		.edge_fraction = o->edge_fraction,
		.node_count = o->node_count >= 0 ? o->node_count : visual ? 80 : 0,
		.cum_sort = o->cum_sort,
		.visual = visual,
	};
	/* Hotspot shares: counted by the build's trie walk where there is
	 * one, else on another thread meanwhile. */
	report_shares_job shares;
	report_counting counting;
	cv_class_count cc;
	bool want = c->want_shares && cv_hotspot_count(o->hotspots) && !o->mean;
	bool counted = want && cv_graph_walks_trie_first(p, &go);
	if (counted)
		report_counting_begin(&counting, &cc, p, c);
	else if (want)
		report_shares_begin(&shares, p, c);
	int rc = cv_graph_build_trimmed_counting(g, tr, p, &go, &to, counted ? &cc : NULL);
	if (counted)
		report_counting_end(&counting, &cc, c);
	else if (want)
		report_shares_end(&shares, c);
	if (rc) {
		report_ctx_release(c);
		return rc;
	}
	c->output_unit = report_output_unit(*g, c->total, c->sample_unit, c->output_unit,
					    o->ratio);
	return 0;
}

int report_stacks(cv_stacks **st, report_ctx *c, const cv_profile *p,
		  const cv_report_options *o)
{
	int rc = report_ctx_init(c, p, o);
	if (rc)
		return rc;
	cv_graph_options go = {
		.granularity = o->granularity,
		.no_inlines = o->no_inlines,
		.sample_index = o->sample_index,
	};
	return cv_stacks_build(st, p, &go);
}
