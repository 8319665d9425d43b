/*
 * What every callviz HTML page shares: escaping, the head with its
 * stylesheet, tables, inlined SVGs. Pages stay well-formed XML too, so
 * tests (and any XML tool) can check them strictly.
 */
#include <string.h>

#include "callviz/error.h"
#include "render/flame_internal.h"
#include "render/html_internal.h"
#include "util/alloc.h"

/* The flame graph's XML text rules: entities, controls as spaces, bad UTF-8 as U+FFFD. */
void html_escape(cv_strbuf *sb, const char *s)
{
	if (s)
		cv_flame_xml_text(sb, s);
}

void html_escape_pre(cv_strbuf *sb, const char *s)
{
	if (s)
		cv_flame_xml_lines(sb, s);
}

void html_begin(cv_strbuf *sb, const char *title, const char *css)
{
	cv_strbuf_puts(sb, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
		       "<head>\n<meta charset=\"utf-8\"/>\n<title>");
	html_escape(sb, title);
	cv_strbuf_puts(sb, "</title>\n<style>\n");
	cv_strbuf_puts(sb, html_page_css);
	if (css)
		cv_strbuf_puts(sb, css);
	cv_strbuf_puts(sb, "</style>\n</head>\n<body>\n<h1>");
	html_escape(sb, title);
	cv_strbuf_puts(sb, "</h1>\n");
}

void html_end(cv_strbuf *sb, const char *script)
{
	/* The CDATA markers are comments to an HTML parser and keep XML happy. */
	if (script && script[0]) {
		cv_strbuf_puts(sb, "<script>//<![CDATA[\n");
		cv_strbuf_puts(sb, script);
		cv_strbuf_puts(sb, "//]]></script>\n");
	}
	cv_strbuf_puts(sb, "</body>\n</html>\n");
}

/* Prefix each selector of one "a,b{...}" rule line with "#scope ". */
static void scope_rule(cv_strbuf *sb, const char *line, size_t n, const char *scope)
{
	const char *brace = memchr(line, '{', n);
	if (!brace) {
		cv_strbuf_append(sb, line, n);
		return;
	}
	const char *sel = line;
	while (sel < brace) {
		const char *comma = memchr(sel, ',', (size_t)(brace - sel));
		const char *end = comma ? comma : brace;
		while (sel < end && (*sel == ' ' || *sel == '\t'))
			sel++;
		cv_strbuf_printf(sb, "#%s ", scope);
		cv_strbuf_append(sb, sel, (size_t)(end - sel));
		if (comma)
			cv_strbuf_putc(sb, ',');
		sel = end + 1;
	}
	cv_strbuf_append(sb, brace, n - (size_t)(brace - line));
}

/* The inside of a <style> element, rule by rule (one rule a line). */
static void scope_style(cv_strbuf *sb, const char *css, size_t n, const char *scope)
{
	const char *end = css + n;
	while (css < end) {
		const char *nl = memchr(css, '\n', (size_t)(end - css));
		size_t len = nl ? (size_t)(nl - css) : (size_t)(end - css);
		scope_rule(sb, css, len, scope);
		if (nl)
			cv_strbuf_putc(sb, '\n');
		css += len + (nl ? 1 : 0);
	}
}

void html_inline_svg(cv_strbuf *sb, const char *svg, const char *scope)
{
	/* Everything before the root element is prolog: <?xml?>, doctype, comments. */
	const char *p = strstr(svg, "<svg");
	if (!p)
		return;
	while (scope) {
		const char *open = strstr(p, "<style");
		const char *body = open ? strchr(open, '>') : NULL;
		const char *close = body ? strstr(body, "</style>") : NULL;
		if (!close)
			break;
		cv_strbuf_append(sb, p, (size_t)(body + 1 - p));
		scope_style(sb, body + 1, (size_t)(close - body - 1), scope);
		p = close;
	}
	cv_strbuf_puts(sb, p);
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		cv_strbuf_putc(sb, '\n');
}

void html_table(cv_strbuf *sb, const cv_html_table *t, const char *cls)
{
	cv_strbuf_printf(sb, "<table class=\"cv %s\">\n<thead><tr>", cls);
	for (size_t c = 0; c < t->n_cols; c++) {
		cv_strbuf_puts(sb, "<th>");
		html_escape(sb, t->head[c]);
		cv_strbuf_puts(sb, "</th>");
	}
	cv_strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->n_rows; r++) {
		cv_strbuf_puts(sb, "<tr>");
		for (size_t c = 0; c < t->n_cols; c++) {
			bool num = c < 32 && (t->numeric >> c & 1);
			cv_strbuf_puts(sb, num ? "<td class=\"n\">" : "<td>");
			html_escape(sb, t->cells[r * t->n_cols + c]);
			cv_strbuf_puts(sb, "</td>");
		}
		cv_strbuf_puts(sb, "</tr>\n");
	}
	cv_strbuf_puts(sb, "</tbody>\n</table>\n");
}

void html_legend(cv_strbuf *sb, const char *const *lines, size_t n)
{
	if (!n)
		return;
	cv_strbuf_puts(sb, "<ul class=\"legend\">\n");
	for (size_t i = 0; i < n; i++) {
		cv_strbuf_puts(sb, "<li>");
		html_escape(sb, lines[i]);
		cv_strbuf_puts(sb, "</li>\n");
	}
	cv_strbuf_puts(sb, "</ul>\n");
}

int html_finish(cv_strbuf *sb, char **out, size_t *len)
{
	if (cv_strbuf_failed(sb)) {
		cv_strbuf_free(sb);
		return cv_error_nomem();
	}
	size_t n = 0;
	*out = cv_strbuf_detach(sb, &n);
	if (len)
		*len = n;
	return 0;
}
