/*
 * The Top view's table and every page's legend, from the -top report's
 * text: the same bytes `callviz -top` prints, so the web numbers are the
 * command line's numbers by construction.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/html_internal.h"
#include "web.h"

/* Next blank-separated field of *p, cut in place; NULL at the end of line. */
static char *field(char **p)
{
	char *s = *p + strspn(*p, " \t");
	if (!*s)
		return NULL;
	char *e = s + strcspn(s, " \t");
	if (*e)
		*e++ = 0;
	*p = e;
	return s;
}

static int parse_row(web_row *r, char *line)
{
	char *p = line;
	char **cols[] = {&r->flat, &r->flat_pct, &r->sum_pct, &r->cum, &r->cum_pct};
	for (int i = 0; i < 5; i++)
		if (!(*cols[i] = field(&p)))
			return -1;
	r->name = p + strspn(p, " \t");
	return 0;
}

int web_top_parse(web_top *t, char *text)
{
	*t = (web_top){.text = text};
	size_t max = 1;
	for (const char *c = text; *c; c++)
		max += *c == '\n';
	t->legend = calloc(max, sizeof(*t->legend));
	t->rows = calloc(max, sizeof(*t->rows));
	if (!t->legend || !t->rows)
		return cv_error_set(CV_ENOMEM, "out of memory");
	bool table = false;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (!table && strstr(line, "flat%") && strstr(line, "cum%"))
			table = true;
		else if (!table)
			t->legend[t->n_legend++] = line;
		else if (parse_row(&t->rows[t->n_rows], line) == 0)
			t->n_rows++;
	}
	return 0;
}

void web_top_free(web_top *t)
{
	free(t->legend);
	free(t->rows);
	free(t->text);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const web_row *)a)->name, ((const web_row *)b)->name);
}

static void heading(cv_strbuf *sb, const web_query *q, const char *label, const char *sort)
{
	web_query s = *q;
	s.sort = sort;
	cv_strbuf_puts(sb, "<th>");
	if (sort) {
		cv_strbuf_puts(sb, "<a href=\"");
		web_href(sb, "/top", &s, true, false);
		cv_strbuf_printf(sb, "\" id=\"wv-sort-%s\">", sort);
	}
	html_escape(sb, label);
	cv_strbuf_puts(sb, sort ? "</a></th>" : "</th>");
}

/* "^name$" with the regex metacharacters escaped: focus on exactly it. */
static void quote_regex(char *buf, size_t size, const char *name)
{
	size_t n = 0;
	buf[n++] = '^';
	for (const char *c = name; *c && n + 4 < size; c++) {
		if (strchr("\\.+*?()|[]{}^$", *c))
			buf[n++] = '\\';
		buf[n++] = *c;
	}
	buf[n++] = '$';
	buf[n] = 0;
}

static void cell(cv_strbuf *sb, const char *text)
{
	cv_strbuf_puts(sb, "<td class=\"n\">");
	html_escape(sb, text);
	cv_strbuf_puts(sb, "</td>");
}

static void row(cv_strbuf *sb, const web_row *r, const web_query *q)
{
	char re[1024];
	quote_regex(re, sizeof(re), r->name);
	web_query f = *q;
	f.f = re;
	cv_strbuf_puts(sb, "<tr>");
	cell(sb, r->flat);
	cell(sb, r->flat_pct);
	cell(sb, r->sum_pct);
	cell(sb, r->cum);
	cell(sb, r->cum_pct);
	cv_strbuf_puts(sb, "<td><a href=\"");
	web_href(sb, "/", &f, false, false);
	cv_strbuf_puts(sb, "\">");
	html_escape(sb, r->name);
	cv_strbuf_puts(sb, "</a></td></tr>\n");
}

void web_top_table(cv_strbuf *sb, web_top *t, const web_query *q)
{
	if (q->sort && !strcmp(q->sort, "name"))
		qsort(t->rows, t->n_rows, sizeof(*t->rows), by_name);
	cv_strbuf_puts(sb, "<table class=\"cv top\" id=\"wv-top\">\n<thead><tr>");
	heading(sb, q, "flat", "flat");
	heading(sb, q, "flat%", NULL);
	heading(sb, q, "sum%", NULL);
	heading(sb, q, "cum", "cum");
	heading(sb, q, "cum%", NULL);
	heading(sb, q, "name", "name");
	cv_strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < t->n_rows; i++)
		row(sb, &t->rows[i], q);
	cv_strbuf_puts(sb, "</tbody>\n</table>\n");
}
