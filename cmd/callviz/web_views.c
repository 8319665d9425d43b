/*
 * The web UI's views: a request's query becomes options on a copy of the
 * command line's, the report is rendered from a fresh copy of the decoded
 * profile (filters change a profile, and the original must stay whole for
 * the next request), and the page is laid out around it. Report generation
 * is serialised by one lock: graphviz and the hotspot table's regex
 * scratch are not thread-safe.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "render/html_internal.h"
#include "util/regex.h"
#include "web.h"

const web_view_def web_views[] = {
	{"/", "Graph", "svg"},
	{"/top", "Top", "top"},
	{"/flamegraph", "Flame graph", "flame"},
	{"/peek", "Peek", "peek"},
	{"/source", "Source", "weblist"},
	{"/hotspots", "Hotspots", "hotspots"},
};
const size_t web_n_views = sizeof(web_views) / sizeof(web_views[0]);

static const web_view_def *find_view(const char *path)
{
	for (size_t i = 0; i < web_n_views; i++)
		if (!strcmp(web_views[i].path, path))
			return &web_views[i];
	return NULL;
}

/* One regex from the query: checked with the filters' compiler, so a bad
 * one is the client's error (400), not a failed report. */
static int set_regex(const char **field, const char *text, const char *what)
{
	if (!text)
		return 0;
	*field = *text ? text : NULL;
	if (!*field)
		return 0;
	cv_regex *re = cv_regex_compile(text, what);
	if (!re)
		return -1;
	cv_regex_free(re);
	return 0;
}

static int set_granularity(cli_options *o, const char *g)
{
	cv_granularity gran;
	if (!g || !*g)
		return 0;
	if (cv_granularity_parse(g, &gran) == 0) {
		o->granularity = cv_granularity_name(gran);
		return 0;
	}
	return cv_error_set(CV_EINVAL, "g: want functions, filefunctions, files, lines or addresses");
}

static int set_node_count(cli_options *o, const char *n)
{
	if (!n || !*n)
		return 0;
	char *end;
	long v = strtol(n, &end, 10);
	if (*end || v < 0 || v > 1000000)
		return cv_error_set(CV_EINVAL, "n: want a node count from 0 to 1000000");
	o->node_count = (int)v;
	return 0;
}

/* The query applied to o; *eq gets the refinements in effect (for links). */
static int refine(cli_options *o, web_query *eq, const web_query *q,
		  const web_view_def *v, const cv_profile *p)
{
	if (set_regex(&o->focus, q->f, "focus") || set_regex(&o->ignore, q->i, "ignore") ||
	    set_regex(&o->hide, q->h, "hide") || set_regex(&o->show, q->s, "show") ||
	    set_regex(&o->show_from, q->sf, "show_from") || set_regex(&o->symbol, q->sym, "sym"))
		return -1;
	/* Tag filters may be ranges ("1kb:"): the filters themselves judge them. */
	const char *tags[][2] = {{q->tf, "tf"}, {q->ti, "ti"}, {q->ts, "ts"}, {q->th, "th"}};
	const char **fields[] = {&o->tagfocus, &o->tagignore, &o->tagshow, &o->taghide};
	for (int k = 0; k < 4; k++)
		if (tags[k][0])
			*fields[k] = *tags[k][0] ? tags[k][0] : NULL;
	if (q->si && *q->si) {
		if (cv_profile_sample_index(p, q->si) < 0)
			return -1;
		o->sample_index = q->si;
	}
	if (set_granularity(o, q->g) || set_node_count(o, q->n))
		return -1;
	if (q->sort && *q->sort && strcmp(q->sort, "flat") && strcmp(q->sort, "cum") &&
	    strcmp(q->sort, "name"))
		return cv_error_set(CV_EINVAL, "sort: want flat, cum or name");
	o->cum = q->sort ? !strcmp(q->sort, "cum") : o->cum;
	*eq = (web_query){.f = o->focus, .i = o->ignore, .h = o->hide, .s = o->show,
			  .sf = o->show_from, .tf = o->tagfocus, .ti = o->tagignore,
			  .ts = o->tagshow, .th = o->taghide,
			  .si = o->sample_index, .sort = q->sort, .sym = o->symbol,
			  .n = q->n && *q->n ? q->n : NULL};
	/* The default granularity stays out of the links: shorter URLs. */
	if (o->granularity && strcmp(o->granularity, "functions"))
		eq->g = o->granularity;
	/* peek and list need functions: the focus, else every one. */
	if (!o->symbol)
		o->symbol = o->focus ? o->focus : ".";
	return 0;
}

/*
 * One report from a fresh copy of the decoded profile (caller holds the
 * lock). Returns 0, 400 when the filters refuse the query (a tag filter,
 * say), or 500 when the report itself fails.
 */
static int render(web_state *st, const cli_options *o, const char *format,
		  char **out, size_t *len)
{
	cli_options f = *o;
	f.format = format;
	f.output = NULL;
	*out = NULL;
	const cv_profile *src[] = {st->profile};
	cv_profile *copy;
	if (cv_profile_merge(&copy, src, 1))
		return 500;
	cv_view *v = NULL;
	int rc = cli_prepare(&v, &f, copy, st->name) ? 400 : 0;
	if (rc == 0 && cv_view_render(out, len, v))
		rc = 500;
	cv_view_free(v);
	cv_profile_free(copy);
	return rc;
}

static void graph_body(cv_strbuf *sb, const char *svg)
{
	cv_strbuf_puts(sb, "<div class=\"wv-sel\">selected: <span id=\"wv-selected\">none</span> "
		       "<button type=\"button\" data-refine=\"f\" id=\"wv-focus\">focus</button>"
		       "<button type=\"button\" data-refine=\"i\" id=\"wv-ignore\">ignore</button>"
		       "<button type=\"button\" data-refine=\"h\" id=\"wv-hide\">hide</button>"
		       "<button type=\"button\" data-refine=\"s\" id=\"wv-show\">show</button>"
		       " (click nodes to select; wheel zooms, drag pans)</div>\n"
		       "<div class=\"cv-graph\" id=\"cv-graph\"><div class=\"cv-tools\">"
		       "<button type=\"button\" class=\"cv-zin\">+</button>"
		       "<button type=\"button\" class=\"cv-zout\">-</button>"
		       "<button type=\"button\" class=\"cv-reset\">reset</button></div>\n");
	html_inline_svg(sb, svg, NULL);
	cv_strbuf_puts(sb, "</div>\n");
}

static void text_body(cv_strbuf *sb, const char *text)
{
	cv_strbuf_puts(sb, "<pre class=\"wv\" id=\"wv-text\">");
	html_escape_pre(sb, text);
	cv_strbuf_puts(sb, "</pre>\n");
}

/* The page around the report (out; NULL for Top, whose report is top's). */
static int layout(web_response *r, const web_view_def *v, const web_query *eq,
		  const cv_profile *p, web_top *top, const char *out)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	web_page_begin(&sb, v, eq, p, top->legend, top->n_legend);
	const char *s1 = NULL, *s2 = NULL;
	if (!strcmp(v->format, "top")) {
		web_top_table(&sb, top, eq);
	} else if (!strcmp(v->format, "svg")) {
		graph_body(&sb, out);
		s1 = html_panzoom_js;
		s2 = web_select_js;
	} else if (!strcmp(v->format, "flame")) {
		/* Scoped, as in the -html report: its rules must not restyle the page. */
		cv_strbuf_puts(&sb, "<div class=\"cv-flame\" id=\"cv-flame\">\n");
		html_inline_svg(&sb, out, "cv-flame");
		cv_strbuf_puts(&sb, "</div>\n");
	} else if (!strcmp(v->format, "weblist")) {
		cv_strbuf_puts(&sb, out);  /* HTML already: cv_report_source_html */
	} else {
		text_body(&sb, out);
	}
	web_page_end(&sb, s1, s2);
	r->status = 200;
	r->type = "text/html; charset=utf-8";
	r->body = cv_strbuf_detach(&sb, &r->len);
	return r->body ? 0 : cv_error_set(CV_ENOMEM, "out of memory");
}

/* Both reports under the lock; the message copied out while it is ours.
 * Returns 0 or the HTTP status of the failure. */
static int produce(web_state *st, const cli_options *o, const web_view_def *v,
		   char **top, char **out, char *msg, size_t size)
{
	size_t len;
	pthread_mutex_lock(&st->lock);
	int rc = render(st, o, "top", top, &len);
	if (rc == 0 && strcmp(v->format, "top"))
		rc = render(st, o, v->format, out, &len);
	if (rc)
		snprintf(msg, size, "%s", cv_error_last());
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void web_view(web_state *st, const char *path, const web_query *q, web_response *r)
{
	const web_view_def *v = find_view(path);
	if (!v) {
		web_error_page(r, 404, "no such page");
		return;
	}
	cli_options o = st->o;
	web_query eq;
	if (refine(&o, &eq, q, v, st->profile)) {
		web_error_page(r, 400, cv_error_last());
		return;
	}
	char *top_text = NULL, *out = NULL, msg[1024];
	int status = produce(st, &o, v, &top_text, &out, msg, sizeof(msg));
	if (status) {
		free(top_text);
		free(out);
		web_error_page(r, status, msg);
		return;
	}
	web_top top;
	if (web_top_parse(&top, top_text) || layout(r, v, &eq, st->profile, &top, out))
		web_error_page(r, 500, cv_error_last());
	web_top_free(&top);
	free(out);
}
