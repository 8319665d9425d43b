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

static int to_memory(print_fn print, const cv_profile *p, const cv_report_options *ro,
		     char **out, size_t *len)
{
	FILE *mem = open_memstream(out, len);
	if (!mem)
		return cv_error_set(CV_ENOMEM, "out of memory");
	int rc = print(mem, p, ro);
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_set(CV_ENOMEM, "out of memory");
	return rc;
}

static int produce_top(const cli_options *o, const cv_profile *p,
		       const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_top, p, ro, out, len);
}

static int produce_comments(const cli_options *o, const cv_profile *p,
			    const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_comments, p, ro, out, len);
}

static int produce_hotspots(const cli_options *o, const cv_profile *p,
			    const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_hotspots, p, ro, out, len);
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

/* Text reports of lib/report: traces, tree and peek, list, callgrind, raw. */
static int produce_traces(const cli_options *o, const cv_profile *p,
			  const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_traces, p, ro, out, len);
}

static int produce_tree(const cli_options *o, const cv_profile *p,
			const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_tree, p, ro, out, len);
}

static int produce_list(const cli_options *o, const cv_profile *p,
			const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_list, p, ro, out, len);
}

static int produce_callgrind(const cli_options *o, const cv_profile *p,
			     const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_callgrind, p, ro, out, len);
}

static int produce_tags(const cli_options *o, const cv_profile *p,
			const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_tags, p, ro, out, len);
}

static int produce_raw(const cli_options *o, const cv_profile *p,
		       const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_raw, p, ro, out, len);
}

/* -proto: the filtered profile itself, gzipped; -divide_by scales it as pprof does. */
static int produce_proto(const cli_options *o, const cv_profile *p,
			 const cv_report_options *ro, char **out, size_t *len)
{
	cv_encode_options eo = {.ratio = ro->ratio};
	return cv_profile_encode((uint8_t **)out, len, p, &eo);
}

static int produce_folded(const cli_options *o, const cv_profile *p,
			  const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_folded, p, ro, out, len);
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
	int rc = cv_report_flame(mem, p, ro, &fo);
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_set(CV_ENOMEM, "out of memory");
	return rc;
}

/* -html: the whole story of one profile in one self-contained page. */
static int produce_html(const cli_options *o, const cv_profile *p,
			const cv_report_options *ro, char **out, size_t *len)
{
	return to_memory(cv_report_html, p, ro, out, len);
}

static const struct {
	const char *name;
	produce_fn produce;
} formats[] = {
	{"top", produce_top},
	{"text", produce_top},
	{"hotspots", produce_hotspots},
	{"dot", produce_dot},
	{"svg", produce_image},
	{"pdf", produce_image},
	{"png", produce_image},
	{"gif", produce_image},
	{"ps", produce_image},
	{"comments", produce_comments},
	{"traces", produce_traces},
	{"tree", produce_tree},
	{"peek", produce_tree},
	{"list", produce_list},
	{"callgrind", produce_callgrind},
	{"raw", produce_raw},
	{"tags", produce_tags},
	{"proto", produce_proto},
	{"folded", produce_folded},
	{"flame", produce_flame},
	{"icicle", produce_flame},
	{"html", produce_html},
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
		"tree", "peek", "list", "callgrind", "html",
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
			return formats[i].produce(o, p, ro, out, len);
	return cv_error_set(CV_EINVAL, "unknown output format %s", o->format);
}
