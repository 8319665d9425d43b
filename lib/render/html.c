/*
 * The HTML pages: the -html report, the side by side comparison and the
 * batch index. Each lays out what its caller computed (html_page.c holds
 * the shared chrome); nothing here reads a profile.
 */
#include <string.h>

#include "callviz/error.h"
#include "render/html_internal.h"

/* A call graph box: the SVG inline, zoom buttons over it. */
static void graph_box(cv_strbuf *sb, const char *svg, const char *id)
{
	cv_strbuf_printf(sb, "<div class=\"cv-graph\" id=\"%s\">"
			 "<div class=\"cv-tools\"><button type=\"button\" class=\"cv-zin\">+</button>"
			 "<button type=\"button\" class=\"cv-zout\">-</button>"
			 "<button type=\"button\" class=\"cv-reset\">reset</button></div>\n", id);
	html_inline_svg(sb, svg, NULL);
	cv_strbuf_puts(sb, "</div>\n");
}

static void hotspot_section(cv_strbuf *sb, const cv_html_report *r)
{
	if (!r->hotspots)
		return;
	cv_strbuf_puts(sb, "<h2 id=\"cv-hotspots\">Hotspots</h2>\n");
	if (!r->n_hotspots) {
		cv_strbuf_puts(sb, "<p>No hotspot class has samples.</p>\n");
		return;
	}
	cv_strbuf_puts(sb, "<table class=\"cv hotspots\">\n<thead><tr><th>class</th><th>value</th>"
		       "<th>share</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n_hotspots; i++) {
		const cv_html_hotspot *h = &r->hotspots[i];
		cv_strbuf_puts(sb, "<tr><td><span class=\"swatch\" style=\"background:");
		html_escape(sb, h->color);
		cv_strbuf_puts(sb, "\"></span>");
		html_escape(sb, h->name);
		cv_strbuf_puts(sb, "</td><td class=\"n\">");
		html_escape(sb, h->value);
		cv_strbuf_puts(sb, "</td><td class=\"n\">");
		html_escape(sb, h->percent);
		cv_strbuf_puts(sb, "</td></tr>\n");
	}
	cv_strbuf_puts(sb, "</tbody>\n</table>\n");
}

/* Links to the sections: the top table can be long. */
static void contents(cv_strbuf *sb, const cv_html_report *r)
{
	cv_strbuf_puts(sb, "<p class=\"nav\">");
	if (r->hotspots)
		cv_strbuf_puts(sb, "<a href=\"#cv-hotspots\">Hotspots</a> | ");
	cv_strbuf_puts(sb, "<a href=\"#cv-top\">Top functions</a>");
	if (r->graph_svg)
		cv_strbuf_puts(sb, " | <a href=\"#cv-graph-h\">Call graph</a>");
	if (r->flame_svg)
		cv_strbuf_puts(sb, " | <a href=\"#cv-flame-h\">Flame graph</a>");
	cv_strbuf_puts(sb, "</p>\n");
}

int cv_render_html_report(char **out, size_t *len, const cv_html_report *r)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	html_begin(&sb, r->title ? r->title : "callviz report", NULL);
	html_legend(&sb, r->legend, r->n_legend);
	contents(&sb, r);
	hotspot_section(&sb, r);
	cv_strbuf_puts(&sb, "<h2 id=\"cv-top\">Top functions</h2>\n");
	html_table(&sb, &r->top, "top");
	if (r->graph_svg) {
		cv_strbuf_puts(&sb, "<h2 id=\"cv-graph-h\">Call graph</h2>\n<p class=\"legend\">Wheel to zoom, "
			       "drag to pan, double-click to reset.</p>\n");
		graph_box(&sb, r->graph_svg, "cv-graph");
	}
	if (r->flame_svg) {
		/* The flame graph's stylesheet is scoped to its box: its rules
		 * (text, .f, #title) must not restyle the call graph. */
		cv_strbuf_puts(&sb, "<h2 id=\"cv-flame-h\">Flame graph</h2>\n<div class=\"cv-flame\" id=\"cv-flame\">\n");
		html_inline_svg(&sb, r->flame_svg, "cv-flame");
		cv_strbuf_puts(&sb, "</div>\n");
	}
	html_end(&sb, r->graph_svg ? html_panzoom_js : NULL);
	return html_finish(&sb, out, len);
}

int cv_render_html_compare(char **out, size_t *len, const cv_html_compare *c)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	html_begin(&sb, c->title ? c->title : "callviz comparison", NULL);
	cv_strbuf_puts(&sb, "<div class=\"side\"><div><h2>A: ");
	html_escape(&sb, c->name_a);
	cv_strbuf_puts(&sb, "</h2>\n");
	html_legend(&sb, c->legend_a, c->n_legend_a);
	cv_strbuf_puts(&sb, "</div><div><h2>B: ");
	html_escape(&sb, c->name_b);
	cv_strbuf_puts(&sb, "</h2>\n");
	html_legend(&sb, c->legend_b, c->n_legend_b);
	cv_strbuf_puts(&sb, "</div></div>\n<h2>Top functions</h2>\n");
	html_table(&sb, &c->table, "compare");
	cv_strbuf_puts(&sb, "<h2>Call graphs</h2>\n<div class=\"side\"><div>\n");
	if (c->svg_a)
		graph_box(&sb, c->svg_a, "cv-graph-a");
	cv_strbuf_puts(&sb, "</div><div>\n");
	if (c->svg_b)
		graph_box(&sb, c->svg_b, "cv-graph-b");
	cv_strbuf_puts(&sb, "</div></div>\n");
	html_end(&sb, c->svg_a || c->svg_b ? html_panzoom_js : NULL);
	return html_finish(&sb, out, len);
}

static void link_list(cv_strbuf *sb, const cv_html_links *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const cv_html_link *k = &l->links[i];
		cv_strbuf_puts(sb, "<div>");
		if (k->failed) {
			cv_strbuf_puts(sb, "<span class=\"failed\">");
			html_escape(sb, k->label);
			cv_strbuf_puts(sb, " (failed)</span>");
		} else {
			cv_strbuf_puts(sb, "<a href=\"");
			html_escape(sb, k->href);
			cv_strbuf_puts(sb, "\">");
			if (k->image) {
				cv_strbuf_puts(sb, "<img src=\"");
				html_escape(sb, k->href);
				cv_strbuf_puts(sb, "\" alt=\"");
				html_escape(sb, k->label);
				cv_strbuf_puts(sb, "\" style=\"max-width:100%;max-height:360px\"/><br/>");
			}
			html_escape(sb, k->label);
			cv_strbuf_puts(sb, "</a>");
		}
		cv_strbuf_puts(sb, "</div>\n");
	}
}

int cv_render_html_index(char **out, size_t *len, const cv_html_index *ix)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	html_begin(&sb, ix->title ? ix->title : "callviz batch", NULL);
	cv_strbuf_puts(&sb, "<table class=\"cv index\">\n<thead><tr><th>source</th>");
	for (size_t c = 0; c < ix->n_cols; c++) {
		cv_strbuf_puts(&sb, "<th>");
		html_escape(&sb, ix->cols[c]);
		cv_strbuf_puts(&sb, "</th>");
	}
	cv_strbuf_puts(&sb, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < ix->n_rows; r++) {
		cv_strbuf_puts(&sb, "<tr><th>");
		html_escape(&sb, ix->rows[r]);
		cv_strbuf_puts(&sb, "</th>\n");
		for (size_t c = 0; c < ix->n_cols; c++) {
			cv_strbuf_puts(&sb, "<td>\n");
			link_list(&sb, &ix->cells[r * ix->n_cols + c]);
			cv_strbuf_puts(&sb, "</td>\n");
		}
		cv_strbuf_puts(&sb, "</tr>\n");
	}
	cv_strbuf_puts(&sb, "</tbody>\n</table>\n");
	if (ix->extra.n) {
		cv_strbuf_puts(&sb, "<h2>Comparisons</h2>\n");
		link_list(&sb, &ix->extra);
	}
	html_end(&sb, NULL);
	return html_finish(&sb, out, len);
}
