/*
 * The chrome of the web UI's pages: the header every view shares (view
 * switcher, sample-index selector, refine form, legend), the error page,
 * and the URL queries that carry a view's refinements, so that any view
 * can be bookmarked. Every value written is HTML-escaped.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/html_internal.h"
#include "web.h"

static void url_encode(cv_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
			cv_strbuf_putc(sb, (char)*c);
		else
			cv_strbuf_printf(sb, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
	}
}

static void param(cv_strbuf *sb, bool *first, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	cv_strbuf_printf(sb, "%c%s=", *first ? '?' : '&', key);
	url_encode(sb, value);
	*first = false;
}

void web_query_append(cv_strbuf *sb, const web_query *q, bool sort, bool sym)
{
	bool first = true;
	param(sb, &first, "f", q->f);
	param(sb, &first, "i", q->i);
	param(sb, &first, "h", q->h);
	param(sb, &first, "s", q->s);
	param(sb, &first, "sf", q->sf);
	param(sb, &first, "tf", q->tf);
	param(sb, &first, "ti", q->ti);
	param(sb, &first, "ts", q->ts);
	param(sb, &first, "th", q->th);
	param(sb, &first, "si", q->si);
	param(sb, &first, "g", q->g);
	param(sb, &first, "n", q->n);
	if (sort)
		param(sb, &first, "sort", q->sort);
	if (sym)
		param(sb, &first, "sym", q->sym);
}

/* path + query, escaped for an attribute value. */
void web_href(cv_strbuf *sb, const char *path, const web_query *q, bool sort, bool sym)
{
	cv_strbuf url = CV_STRBUF_INIT;
	cv_strbuf_puts(&url, path);
	web_query_append(&url, q, sort, sym);
	html_escape(sb, cv_strbuf_failed(&url) ? path : url.buf);
	cv_strbuf_free(&url);
}

static void nav(cv_strbuf *sb, const web_view_def *cur, const web_query *q)
{
	cv_strbuf_puts(sb, "<nav class=\"wv\">");
	for (size_t i = 0; i < web_n_views; i++) {
		const web_view_def *v = &web_views[i];
		cv_strbuf_puts(sb, "<a href=\"");
		web_href(sb, v->path, q, false, false);
		cv_strbuf_printf(sb, "\" id=\"wv-view-%s\"%s>", v->format, v == cur ? " class=\"cur\"" : "");
		html_escape(sb, v->title);
		cv_strbuf_puts(sb, "</a>");
	}
	cv_strbuf_puts(sb, "</nav>\n");
}

static void text_input(cv_strbuf *sb, const char *label, const char *name, const char *value)
{
	cv_strbuf_printf(sb, "<label>%s <input type=\"text\" name=\"%s\" value=\"", label, name);
	html_escape(sb, value ? value : "");
	cv_strbuf_puts(sb, "\"/></label>\n");
}

static void sample_select(cv_strbuf *sb, const web_query *q, const cv_profile *p)
{
	int cur = cv_profile_sample_index(p, q->si && *q->si ? q->si : NULL);
	cv_strbuf_puts(sb, "<label>sample <select name=\"si\">");
	for (size_t i = 0; i < p->n_sample_types; i++) {
		cv_strbuf_puts(sb, "<option value=\"");
		html_escape(sb, p->sample_types[i].type);
		cv_strbuf_printf(sb, "\"%s>", (int)i == cur ? " selected=\"selected\"" : "");
		html_escape(sb, p->sample_types[i].type);
		cv_strbuf_puts(sb, "</option>");
	}
	cv_strbuf_puts(sb, "</select></label>\n");
}

static void granularity_select(cv_strbuf *sb, const char *cur)
{
	cv_strbuf_puts(sb, "<label>granularity <select name=\"g\">");
	for (int g = CV_GRAN_FUNCTIONS; g <= CV_GRAN_ADDRESSES; g++) {
		const char *name = cv_granularity_name((cv_granularity)g);
		cv_strbuf_printf(sb, "<option%s>%s</option>",
				 cur && !strcmp(cur, name) ? " selected=\"selected\"" : "", name);
	}
	cv_strbuf_puts(sb, "</select></label>\n");
}

static void hidden(cv_strbuf *sb, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	cv_strbuf_printf(sb, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	html_escape(sb, value);
	cv_strbuf_puts(sb, "\"/>\n");
}

/* A GET form: submitting it is navigating to the refined URL. */
static void refine_form(cv_strbuf *sb, const web_view_def *v, const web_query *q,
			const cv_profile *p)
{
	cv_strbuf_puts(sb, "<form class=\"wv\" id=\"wv-refine\" method=\"get\" action=\"");
	html_escape(sb, v->path);
	cv_strbuf_puts(sb, "\">\n");
	sample_select(sb, q, p);
	text_input(sb, "focus", "f", q->f);
	text_input(sb, "ignore", "i", q->i);
	text_input(sb, "hide", "h", q->h);
	text_input(sb, "show", "s", q->s);
	text_input(sb, "show_from", "sf", q->sf);
	text_input(sb, "tagfocus", "tf", q->tf);
	text_input(sb, "tagignore", "ti", q->ti);
	if (!strcmp(v->format, "peek") || !strcmp(v->format, "weblist"))
		text_input(sb, "functions", "sym", q->sym);
	/* Kept, though the form has no box for them. */
	granularity_select(sb, q->g);
	hidden(sb, "n", q->n);
	hidden(sb, "ts", q->ts);
	hidden(sb, "th", q->th);
	hidden(sb, "sort", q->sort);
	cv_strbuf_puts(sb, "<button type=\"submit\">refine</button> <a href=\"");
	html_escape(sb, v->path);
	cv_strbuf_puts(sb, "\">reset</a>\n</form>\n");
}

void web_page_begin(cv_strbuf *sb, const web_view_def *v, const web_query *q,
		    const cv_profile *p, char *const *legend, size_t n_legend)
{
	char title[256];
	snprintf(title, sizeof(title), "callviz: %s", v->title);
	html_begin(sb, title, web_page_css);
	nav(sb, v, q);
	refine_form(sb, v, q, p);
	html_legend(sb, (const char *const *)legend, n_legend);
}

void web_page_end(cv_strbuf *sb, const char *script1, const char *script2)
{
	const char *scripts[] = {script1, script2};
	for (int i = 0; i < 2; i++)
		if (scripts[i])
			cv_strbuf_printf(sb, "<script>//<![CDATA[\n%s//]]></script>\n", scripts[i]);
	html_end(sb, NULL);
}

void web_error_page(web_response *r, int status, const char *message)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	html_begin(&sb, "callviz: error", NULL);
	cv_strbuf_puts(&sb, "<p class=\"failed\" id=\"wv-error\">");
	html_escape(&sb, message);
	cv_strbuf_puts(&sb, "</p>\n<p><a href=\"/\">back to the graph</a></p>\n");
	html_end(&sb, NULL);
	r->status = status;
	r->type = "text/html; charset=utf-8";
	r->len = sb.len;
	r->body = cv_strbuf_detach(&sb, &r->len);
	if (!r->body) {
		/* Out of memory: a short static answer, copied so it can be freed. */
		r->body = strdup("error\n");
		r->len = r->body ? 6 : 0;
		r->type = "text/plain";
	}
}
