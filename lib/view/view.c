/*
 * From a loaded profile to one made ready for a report: what go tool
 * pprof does between loading and reporting, in its order, so every caller
 * (the command line, its shell, its web UI, batch, an embedder) gets the
 * same numbers for the same options.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/message.h"
#include "view/view_internal.h"

void cv_view_options_init(cv_view_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_VIEW_OPTIONS_VERSION;
	o->format = "top";
	o->granularity = CV_GRAN_FUNCTIONS;
	o->trim = true;
	o->node_count = -1;
	o->node_fraction = 0.005;
	o->edge_fraction = 0.001;
	o->divide_by = 1;
}

static void report_options(const cv_view_options *o, cv_report_options *ro, int sample_index)
{
	cv_report_options_init(ro);
	ro->sample_index = sample_index;
	ro->node_count = o->node_count;
	ro->node_fraction = o->node_fraction;
	ro->edge_fraction = o->edge_fraction;
	ro->cum_sort = o->cum_sort;
	ro->title = o->title;
	ro->granularity = o->granularity;
	ro->no_inlines = o->no_inlines;
	ro->hotspots = o->hotspots;
	ro->mean = o->mean;
	ro->ratio = 1 / o->divide_by;
	ro->drop_negative = o->drop_negative;
	ro->call_tree = o->call_tree;
	ro->compact_labels = o->compact_labels;
	ro->symbol = o->symbol;
	ro->source_path = o->source_path;
	ro->trim_path = o->trim_path;
	if (o->unit)
		ro->output_unit = o->unit;
	if (!o->trim) {
		ro->node_count = 0;
		ro->node_fraction = 0;
		ro->edge_fraction = 0;
	}
}

/* Reports that only add samples up, never print them one by one (as
 * -traces, -raw and -proto do): they may skip folding equal samples. */
static bool sums_samples(const char *format)
{
	return cv_view_format_trims_paths(format) || !strcmp(format, "flame") ||
	       !strcmp(format, "icicle");
}

/* Compaction, pruning and -add_comment: what pprof does as it loads. */
static int settle(const cv_view_options *o, cv_profile *p)
{
	/* pprof gives a profile without mappings an empty one, then merges every
	 * profile it loads, even one: same samples, same ids. */
	int rc = cv_profile_ensure_mapping(p);
	if (rc == 0)
		rc = sums_samples(o->format) ? cv_profile_compact_for_sums(p) : cv_profile_compact(p);
	if (rc)
		return rc;
	/* pprof ignores a bad drop_frames/keep_frames regex; say so, go on. */
	if (cv_profile_prune_frames(p))
		cv_message(o->message, o->message_data, CV_MSG_WARNING, o->subject, "%s",
			   cv_error_last());
	/* pprof records -add_comment once the profile is loaded and pruned. */
	if (o->add_comment && o->add_comment[0])
		return cv_profile_add_comment(p, o->add_comment);
	return 0;
}

static int check_options(const cv_view_options *o)
{
	/* Zeroed is refused (a report needs a format and a divisor); older
	 * versions are read, newer ones refused (common.h). */
	if (!o || o->version == 0 || o->version > CV_VIEW_OPTIONS_VERSION)
		return cv_error_set(CV_EINVAL, "cv_view_options: version %u, this library knows %u",
				    o ? o->version : 0, CV_VIEW_OPTIONS_VERSION);
	if (!o->format || !cv_view_format_known(o->format))
		return cv_error_set(CV_EINVAL, "unknown output format %s",
				    o->format ? o->format : "(none)");
	if (o->divide_by == 0)
		return cv_error_set(CV_EINVAL, "zero divisor specified (divide_by)");
	return 0;
}

/* Everything between loading and the report, in go tool pprof's order. */
static int prepare(cv_view *v)
{
	const cv_view_options *o = &v->o;
	cv_profile *p = v->p;
	cv_report_options *ro = &v->ro;
	int rc = settle(o, p);
	if (rc)
		return rc;
	int si = cv_profile_sample_index(p, o->sample_index);
	if (si < 0)
		return si;
	report_options(o, ro, si);
	/* Label units are read before labels become frames or are filtered. */
	cv_num_label_unit *units;
	size_t n_units;
	if ((rc = view_label_units(o, p, &units, &n_units)) ||
	    (rc = view_add_label_frames(o, p)))
		return rc;
	ro->num_label_units = units;
	ro->n_num_label_units = n_units;
	/* pprof takes the total before filtering: percentages stay of the whole,
	 * unless -relative_percentages asks for them of what the filters keep. */
	if (!o->relative_percentages)
		ro->total = cv_report_options_total(p, ro);
	ro->active_filters = v->filters;
	ro->n_active_filters = view_active_filters(o, v->filters, v->store, sizeof(v->store));
	if ((rc = view_apply_filters(o, p, units, n_units)))
		return rc;
	/* (every sample filter goes above this line) */
	if (o->relative_percentages)
		ro->total = cv_report_options_total(p, ro);
	if (cv_view_format_trims_paths(o->format))
		return cv_report_trim_paths(p, o->trim_path, o->source_path);
	return 0;
}

int cv_view_new(cv_view **out, cv_profile *p, const cv_view_options *o)
{
	*out = NULL;
	int rc = check_options(o);
	if (rc)
		return rc;
	cv_view *v = calloc(1, sizeof(*v));
	if (!v)
		return cv_error_nomem();
	v->p = p;
	v->o = *o;
	if ((rc = prepare(v))) {
		free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void cv_view_free(cv_view *v)
{
	free(v);
}

const cv_report_options *cv_view_report_options(const cv_view *v)
{
	return &v->ro;
}

cv_profile *cv_view_profile(const cv_view *v)
{
	return v->p;
}

int cv_view_graph(cv_graph **g, cv_trim_result *tr, const cv_view *v, bool visual)
{
	report_ctx c;
	*g = NULL;
	int rc = report_ctx_init(&c, v->p, &v->ro);
	if (rc == 0)
		rc = report_graph(g, tr, v->p, &c, visual);
	return rc;
}

int cv_view_report(char **out, size_t *len, cv_profile *p, const cv_view_options *o)
{
	cv_view *v;
	*out = NULL;
	*len = 0;
	int rc = cv_view_new(&v, p, o);
	if (rc == 0)
		rc = cv_view_render(out, len, v);
	cv_view_free(v);
	return rc;
}
