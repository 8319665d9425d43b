/*
 * From flags to a report in memory through the library's one entry point
 * (cv_view_new), shared by the one-shot command (main.c), `callviz batch`
 * (batch.c), the shell and the web UI, so all give the same bytes for the
 * same flags.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

static int fail(const char *source)
{
	fprintf(stderr, "callviz: %s: %s\n", source, cv_error_last());
	return EXIT_FAILED;
}

void cli_message(void *data, cv_message_kind kind, const char *subject, const char *text)
{
	if (kind == CV_MSG_NOTE)
		fprintf(stderr, "%s\n", text);
	else
		fprintf(stderr, "callviz: %s%s%s%s\n", subject ? subject : "", subject ? ": " : "",
			kind == CV_MSG_WARNING ? "warning: " : "", text);
}

void cli_view_options(const cli_options *o, cv_view_options *vo, const char *source)
{
	cv_view_options_init(vo);
	vo->format = o->format;
	vo->sample_index = o->sample_index;
	vo->focus = o->focus;
	vo->ignore = o->ignore;
	vo->hide = o->hide;
	vo->show = o->show;
	vo->show_from = o->show_from;
	vo->prune_from = o->prune_from;
	vo->tagfocus = o->tagfocus;
	vo->tagignore = o->tagignore;
	vo->tagshow = o->tagshow;
	vo->taghide = o->taghide;
	vo->tagroot = o->tagroot;
	vo->tagleaf = o->tagleaf;
	/* cli_resolve and the shell admit only names the library knows. */
	cv_granularity_parse(o->granularity, &vo->granularity);
	vo->no_inlines = o->no_inlines;
	vo->call_tree = o->call_tree;
	vo->trim = o->trim;
	vo->node_count = o->node_count;
	vo->node_fraction = o->node_fraction;
	vo->edge_fraction = o->edge_fraction;
	vo->cum_sort = o->cum;
	vo->mean = o->mean;
	vo->divide_by = o->divide_by;
	vo->drop_negative = o->drop_negative;
	vo->relative_percentages = o->relative_percentages;
	vo->unit = o->unit;
	vo->title = o->title;
	vo->compact_labels = o->compact_labels;
	vo->add_comment = o->add_comment;
	vo->symbol = o->symbol;
	vo->source_path = o->source_path;
	vo->trim_path = o->trim_path;
	vo->hotspots = o->hotspot_table;
	vo->subject = source;
	vo->message = cli_message;
}

int cli_prepare(cv_view **v, const cli_options *o, cv_profile *p, const char *source)
{
	cv_view_options vo;
	cli_view_options(o, &vo, source);
	return cv_view_new(v, p, &vo) ? fail(source) : 0;
}

int cli_render(char **data, size_t *len, const cli_options *o, cv_profile *p,
	       const char *source)
{
	cv_view *v;
	*data = NULL;
	*len = 0;
	int rc = cli_prepare(&v, o, p, source);
	if (rc)
		return rc;
	if (cv_view_render(data, len, v))
		rc = fail(source);
	cv_view_free(v);
	return rc;
}
