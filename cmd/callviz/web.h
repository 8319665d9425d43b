#ifndef CALLVIZ_CLI_WEB_H
#define CALLVIZ_CLI_WEB_H

#include <pthread.h>
#include <stddef.h>

#include "callviz/callviz.h"
#include "cli.h"

/*
 * callviz -http: the web UI. web.c runs the HTTP server; web_views.c turns
 * one request (a path and its query) into a page; web_page.c holds the
 * chrome every page shares (header, forms, scripts).
 */

/* What the server keeps for its whole life. */
typedef struct web_state {
	cli_options o;          /* the command line's options: each request's defaults */
	cv_profile *profile;    /* decoded once, never filtered: requests work on copies */
	char *name;             /* what messages call the sources */
	pthread_mutex_t lock;   /* one report at a time: graphviz is not thread-safe */
} web_state;

/* A request's refinements, straight from the URL query (NULL: absent). */
typedef struct web_query {
	const char *f, *i, *h, *s;  /* focus, ignore, hide, show */
	const char *sf;             /* show_from */
	const char *tf, *ti, *ts, *th; /* tagfocus, tagignore, tagshow, taghide */
	const char *si;             /* sample index */
	const char *g;              /* granularity: functions, ..., addresses */
	const char *n;              /* nodecount */
	const char *sort;           /* top: flat, cum or name */
	const char *sym;            /* peek / source: function regex */
} web_query;

/* A response body (malloc'd) with its status and content type. */
typedef struct web_response {
	int status;
	const char *type;
	char *body;
	size_t len;
} web_response;

/*
 * The page for `path` and `q`: always fills r, with an error page on
 * failure: 400 when the query is at fault (a bad regex, sample index or
 * tag filter), 404 for an unknown path, 500 when a report fails.
 */
void web_view(web_state *st, const char *path, const web_query *q, web_response *r);

/* An error page with `status` saying `message`. */
void web_error_page(web_response *r, int status, const char *message);

/* The views, in the order the header lists them (web_views.c). */
typedef struct web_view_def {
	const char *path, *title, *format;
} web_view_def;
extern const web_view_def web_views[];
extern const size_t web_n_views;

/*
 * The page chrome (web_page.c). web_page_begin writes the head, the view
 * switcher (links keep the refinements of q), the sample-index selector
 * and refine form for view v, and the legend lines; web_page_end the
 * scripts and the end. web_query_append adds "?k=v&..." (URL-encoded, not
 * yet HTML-escaped) for q's refinements, plus sort and sym if asked.
 */
struct cv_strbuf;
void web_page_begin(struct cv_strbuf *sb, const web_view_def *v, const web_query *q,
		    const cv_profile *p, char *const *legend, size_t n_legend);
void web_page_end(struct cv_strbuf *sb, const char *script1, const char *script2);
void web_query_append(struct cv_strbuf *sb, const web_query *q, bool sort, bool sym);
void web_href(struct cv_strbuf *sb, const char *path, const web_query *q, bool sort, bool sym);

/*
 * The -top report's text split into its legend lines and table rows
 * (web_top.c), for every page's legend and the Top view's HTML table.
 * web_top_parse takes ownership of text (malloc'd) and cuts it in place.
 */
typedef struct web_row {
	char *flat, *flat_pct, *sum_pct, *cum, *cum_pct, *name;
} web_row;
typedef struct web_top {
	char *text;
	char **legend;
	size_t n_legend;
	web_row *rows;
	size_t n_rows;
} web_top;
int web_top_parse(web_top *t, char *text);
void web_top_free(web_top *t);
/* The table, headings linking to the sort orders, rows sorted by q->sort. */
void web_top_table(struct cv_strbuf *sb, web_top *t, const web_query *q);

/* Clicking graph nodes selects them; the buttons refine by the selection
 * (assets/web_select.js, embedded at build time by cmake/embed.cmake). */
extern const char web_select_js[];

/* The pages' own rules, after html_page_css (assets/web.css, embedded too). */
extern const char web_page_css[];

#endif
