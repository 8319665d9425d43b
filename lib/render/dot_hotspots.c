/* Hotspot marks on DOT nodes and the hotspot legend box (see dot_hotspots.h). */
#include "render/dot_hotspots.h"

#include <stdlib.h>
#include <string.h>

#include "callviz/units.h"
#include "render/dot_style.h"

/* Thick enough to read as a mark next to pprof's 1-point node borders. */
#define HOTSPOT_PENWIDTH 4

void cv_dot_hotspot_node(cv_strbuf *sb, const cv_node *n, int id,
			 size_t label_at, size_t label_end,
			 const cv_dot_config *cfg)
{
	if (!cfg->hotspots || cv_strbuf_failed(sb) || label_end < label_at || label_end > sb->len)
		return;
	int c = cv_hotspot_classify(cfg->hotspots, n->info.name);
	const cv_hotspot_class *cls = c >= 0 ? cv_hotspot_get(cfg->hotspots, (size_t)c) : NULL;
	if (!cls)
		return;
	/* The label is copied out first: appending may move sb's buffer. */
	size_t len = label_end - label_at;
	char *label = malloc(len + 1);
	if (!label) {
		sb->failed = true;
		return;
	}
	memcpy(label, sb->buf + label_at, len);
	label[len] = '\0';
	cv_strbuf_printf(sb, "N%d [class=\"%s\" color=\"%s\" penwidth=%d label=\"%s\\n[%s]\"]\n",
			 id, cls->css, cls->color, HOTSPOT_PENWIDTH, label, cls->name);
	free(label);
}

/* Text inside an HTML-like label: the few characters graphviz would parse. */
static void put_html(cv_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': cv_strbuf_puts(sb, "&amp;"); break;
		case '<': cv_strbuf_puts(sb, "&lt;"); break;
		case '>': cv_strbuf_puts(sb, "&gt;"); break;
		case '"': cv_strbuf_puts(sb, "&quot;"); break;
		default: cv_strbuf_putc(sb, *s);
		}
	}
}

static void put_row(cv_strbuf *sb, const cv_hotspot_class *cls, int64_t value,
		    const cv_dot_config *cfg)
{
	char v[CV_DOT_VALUE_MAX], pct[CV_DOT_VALUE_MAX];
	cv_dot_value(v, sizeof(v), value, cfg);
	cv_unit_percent(pct, sizeof(pct), value, cfg->total);
	const char *p = pct + strspn(pct, " ");
	/* One single-row table per class, not one grid: graphviz 2.42 leaks
	 * the sizing graphs of tables with several rows and columns. Minimum
	 * widths keep the columns aligned. */
	cv_strbuf_printf(sb, "<TR><TD><TABLE BORDER=\"0\" CELLPADDING=\"1\"><TR>"
			 "<TD BGCOLOR=\"%s\" WIDTH=\"18\" HEIGHT=\"14\" FIXEDSIZE=\"TRUE\"> </TD>"
			 "<TD ALIGN=\"LEFT\" WIDTH=\"72\">", cls->color);
	put_html(sb, cls->name);
	cv_strbuf_puts(sb, "</TD><TD ALIGN=\"RIGHT\" WIDTH=\"64\">");
	put_html(sb, v);
	cv_strbuf_puts(sb, "</TD><TD ALIGN=\"RIGHT\" WIDTH=\"64\">");
	put_html(sb, p);
	cv_strbuf_puts(sb, "</TD></TR></TABLE></TD></TR>");
}

void cv_dot_hotspot_legend(cv_strbuf *sb, const cv_dot_config *cfg)
{
	if (!cfg->hotspots || !cfg->hotspot_shares)
		return;
	size_t n = cv_hotspot_count(cfg->hotspots), shown = 0;
	for (size_t i = 0; i < n; i++)
		shown += cfg->hotspot_shares[i].any;
	if (shown == 0)
		return;
	cv_strbuf_puts(sb, "subgraph cluster_L { \"Hotspots\" [shape=box fontsize=16 id=\"hotspots\" "
		       "class=\"hotspot-legend\" tooltip=\"Hotspot classes: the samples with a frame "
		       "of the class, each counted once\" label=<<TABLE BORDER=\"0\" CELLSPACING=\"2\" "
		       "CELLPADDING=\"0\"><TR><TD ALIGN=\"LEFT\">Hotspots</TD></TR>");
	for (size_t i = 0; i < n; i++)
		if (cfg->hotspot_shares[i].any)
			put_row(sb, cv_hotspot_get(cfg->hotspots, i), cfg->hotspot_shares[i].value, cfg);
	cv_strbuf_puts(sb, "</TABLE>>] }\n");
}
