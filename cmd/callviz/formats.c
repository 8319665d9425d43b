/*
 * Output formats: one table row per format, naming the function that
 * produces it. Adding a report means adding a row here and a flag in
 * flags.c.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"

typedef int (*produce_fn)(const cli_options *o, const cv_profile *p,
			  const cv_report_options *ro, char **out, size_t *len);

/* Reports that print to a stream: run them into a memory buffer. */
typedef int (*print_fn)(FILE *out, const cv_profile *p, const cv_report_options *ro);

/* Close a memory stream a report printed into; rc is the report's result. */
static int close_memory(FILE *mem, int rc)
{
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_set(CV_ENOMEM, "out of memory");
	return rc;
}

static int to_memory(print_fn print, const cv_profile *p, const cv_report_options *ro,
		     char **out, size_t *len)
{
	FILE *mem = open_memstream(out, len);
	if (!mem)
		return cv_error_set(CV_ENOMEM, "out of memory");
	return close_memory(mem, print(mem, p, ro));
}

static int produce_dot(const cli_options *o, const cv_profile *p,
		       const cv_report_options *ro, char **out, size_t *len)
{
	return cv_report_dot_string(out, len, p, ro);
}

/* Graph images: the DOT text laid out and rendered by libgvc in-process. */
static int produce_image(const cli_options *o, const cv_profile *p,
			 const cv_report_options *ro, char **out, size_t *len)
{
	char *dot;
	size_t dot_len;
	int rc = cv_report_dot_string(&dot, &dot_len, p, ro);
	if (rc)
		return rc;
	rc = cv_render_layout(out, len, dot, o->format);
	free(dot);
	return rc;
}

/* -proto: the filtered profile itself, gzipped; -divide_by scales it as pprof does. */
static int produce_proto(const cli_options *o, const cv_profile *p,
			 const cv_report_options *ro, char **out, size_t *len)
{
	cv_encode_options eo = {.ratio = ro->ratio};
	return cv_profile_encode((uint8_t **)out, len, p, &eo);
}

/* -flame and -icicle: the same SVG, roots at the bottom or at the top. */
static int produce_flame(const cli_options *o, const cv_profile *p,
			 const cv_report_options *ro, char **out, size_t *len)
{
	cv_flame_options fo;
	cv_flame_options_init(&fo);
	fo.icicle = strcmp(o->format, "icicle") == 0;
	FILE *mem = open_memstream(out, len);
	if (!mem)
		return cv_error_set(CV_ENOMEM, "out of memory");
	return close_memory(mem, cv_report_flame(mem, p, ro, &fo));
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

/*
 * The reports pprof computes from its report graph, which sees source file
 * names with -trim_path prefixes (and "/proc/self/cwd/") removed; the
 * reports that print the profile itself (traces, raw, ...) do not.
 */
bool cli_format_trims_paths(const char *format)
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

bool cli_format_known(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return true;
	return false;
}

int cli_produce(const cli_options *o, const cv_profile *p, const cv_report_options *ro,
		char **out, size_t *len)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, o->format))
			return formats[i].print ? to_memory(formats[i].print, p, ro, out, len)
						: formats[i].produce(o, p, ro, out, len);
	return cv_error_set(CV_EINVAL, "unknown output format %s", o->format);
}
