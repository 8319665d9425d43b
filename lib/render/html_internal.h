#ifndef CV_RENDER_HTML_INTERNAL_H
#define CV_RENDER_HTML_INTERNAL_H

#include "callviz/html.h"
#include "util/strbuf.h"

/*
 * The chrome every callviz HTML page shares (html_page.c). Pages are
 * written so that they are well-formed XML as well as HTML: embedded SVGs
 * are XML already, and a checker can parse the whole page either way.
 */

/* Append s as XML-safe text: &, <, > and " escaped, control characters as
 * spaces, invalid UTF-8 as U+FFFD. NULL appends nothing. */
void html_escape(cv_strbuf *sb, const char *s);

/* html_escape for the text of a <pre>: newlines and tabs are kept. */
void html_escape_pre(cv_strbuf *sb, const char *s);

/* <!DOCTYPE html> through <body>, with the shared stylesheet and `css`. */
void html_begin(cv_strbuf *sb, const char *title, const char *css);

/* Optional script (plain JS, not escaped), then </body></html>. */
void html_end(cv_strbuf *sb, const char *script);

/*
 * Inline an SVG document in the page: its XML declaration, doctype and
 * leading comments are dropped, and with `scope` (an element id) the
 * rules of its <style> elements are prefixed with "#scope " so they style
 * only that SVG, not the rest of the page.
 */
void html_inline_svg(cv_strbuf *sb, const char *svg, const char *scope);

/* A <table> of text cells with class `cls`. */
void html_table(cv_strbuf *sb, const cv_html_table *t, const char *cls);

/* Lines as a <ul class="legend">. */
void html_legend(cv_strbuf *sb, const char *const *lines, size_t n);

/* The call graph pan and zoom script: every div.cv-graph holding an <svg>
 * (assets/panzoom.js, embedded at build time by cmake/embed.cmake). */
extern const char html_panzoom_js[];

/* The stylesheet every page starts with (assets/page.css, embedded too). */
extern const char html_page_css[];

/* Finish: the buffer to *out, or CV_ENOMEM. */
int html_finish(cv_strbuf *sb, char **out, size_t *len);

#endif
