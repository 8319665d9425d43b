/*
 * Reports by name: one table row per format, naming the function that
 * produces it, each run entirely into memory so that a failure never
 * leaves half a report behind.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/html.h"
#include "callviz/render.h"
#include "util/alloc.h"
#include "view/view_internal.h"

typedef int (*produce_fn)(const cv_view *v, char **out, size_t *len);

/* Reports that print to a stream: run them into a memory buffer. */
typedef int (*print_fn)(FILE *out, const cv_profile *p, const cv_report_options *ro);

/* Close a memory stream a report printed into; rc is the report's result. */
static int close_memory(FILE *mem, int rc)
{
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_nomem();
	return rc;
}

static int to_memory(print_fn print, const cv_view *v, char **out, size_t *len)
{
	FILE *mem = open_memstream(out, len);
	if (!mem)
		return cv_error_nomem();
	return close_memory(mem, print(mem, v->p, &v->ro));
}

static int produce_dot(const cv_view *v, char **out, size_t *len)
{
	return cv_report_dot_string(out, len, v->p, &v->ro);
}

/* Graph images: the DOT text laid out and rendered by libgvc in-process. */
static int produce_image(const cv_view *v, char **out, size_t *len)
{
	char *dot;
	size_t dot_len;
	int rc = cv_report_dot_string(&dot, &dot_len, v->p, &v->ro);
	if (rc)
		return rc;
	rc = cv_render_layout(out, len, dot, v->o.format);
	free(dot);
	return rc;
}

/* -proto: the filtered profile itself, gzipped; -divide_by scales it as pprof does. */
static int produce_proto(const cv_view *v, char **out, size_t *len)
{
	cv_encode_options eo = {.ratio = v->ro.ratio};
	return cv_profile_encode((uint8_t **)out, len, v->p, &eo);
}

/* -flame and -icicle: the same SVG, roots at the bottom or at the top. */
static int produce_flame(const cv_view *v, char **out, size_t *len)
{
	cv_flame_options fo;
	cv_flame_options_init(&fo);
	fo.icicle = strcmp(v->o.format, "icicle") == 0;
	FILE *mem = open_memstream(out, len);
	if (!mem)
		return cv_error_nomem();
	return close_memory(mem, cv_report_flame(mem, v->p, &v->ro, &fo));
}

/*
 * A row names either the lib/report function that prints the format (run
 * into memory) or, for the formats that need more than a stream, the
 * function that produces it.
 */
static const struct {
	const char *name;
	print_fn print;
	produce_fn produce;
} formats[] = {
	{"top", cv_report_top, NULL},
	{"text", cv_report_top, NULL},
	{"hotspots", cv_report_hotspots, NULL},
	{"dot", NULL, produce_dot},
	{"svg", NULL, produce_image},
	{"pdf", NULL, produce_image},
	{"png", NULL, produce_image},
	{"gif", NULL, produce_image},
	{"ps", NULL, produce_image},
	{"comments", cv_report_comments, NULL},
	{"traces", cv_report_traces, NULL},
	{"tree", cv_report_tree, NULL},
	{"peek", cv_report_tree, NULL},
	{"list", cv_report_list, NULL},
	/* The web UI's source view; no flag names it. */
	{"weblist", cv_report_source_html, NULL},
	{"callgrind", cv_report_callgrind, NULL},
	{"raw", cv_report_raw, NULL},
	{"tags", cv_report_tags, NULL},
	{"proto", NULL, produce_proto},
	{"folded", cv_report_folded, NULL},
	{"flame", NULL, produce_flame},
	{"icicle", NULL, produce_flame},
	/* -html: the whole story of one profile in one self-contained page. */
	{"html", cv_report_html, NULL},
};

bool cv_view_format_trims_paths(const char *format)
{
	static const char *const graph_formats[] = {
		"top", "text", "dot", "svg", "pdf", "png", "gif", "ps",
		"tree", "peek", "list", "weblist", "callgrind", "html",
	};
	for (size_t i = 0; i < sizeof(graph_formats) / sizeof(graph_formats[0]); i++)
		if (!strcmp(graph_formats[i], format))
			return true;
	return false;
}

bool cv_view_format_known(const char *format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, format))
			return true;
	return false;
}

int cv_view_render(char **out, size_t *len, const cv_view *v)
{
	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(formats[i].name, v->o.format))
			continue;
		int rc = formats[i].print ? to_memory(formats[i].print, v, out, len)
					  : formats[i].produce(v, out, len);
		if (rc) {
			free(*out);
			*out = NULL;
			*len = 0;
		}
		return rc;
	}
	return cv_error_set(CV_EINVAL, "unknown output format %s", v->o.format);
}
