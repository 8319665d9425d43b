#ifndef CV_VIEW_INTERNAL_H
#define CV_VIEW_INTERNAL_H

#include "callviz/view.h"

/* A profile made ready for one report; the legend's filter lines live here. */
struct cv_view {
	cv_profile *p;              /* borrowed, filtered in place */
	cv_view_options o;
	cv_report_options ro;
	const char *filters[16];    /* "focus=...", for the legend */
	char store[4096];
};

/*
 * The sample filters and what comes before them (filters.c), in
 * go tool pprof's order, with pprof's notes sent to o->message.
 * view_label_units decides numeric label units, view_add_label_frames
 * applies -tagroot/-tagleaf, view_apply_filters every sample filter.
 * Each returns 0, or a CV_E* code with cv_error_last() set.
 */
int view_label_units(const cv_view_options *o, cv_profile *p, cv_num_label_unit **units,
		     size_t *n);
int view_add_label_frames(const cv_view_options *o, cv_profile *p);
int view_apply_filters(const cv_view_options *o, cv_profile *p, const cv_num_label_unit *units,
		       size_t n_units);

/* The "Active filters" legend entries, "name=value", in pprof's order. */
size_t view_active_filters(const cv_view_options *o, const char **out, char *store,
			   size_t size);

#endif
