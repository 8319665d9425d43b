/* The -dot report: the visually trimmed graph with its legend, as DOT. */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"

static const char *report_title(const cv_profile *p, const cv_report_options *o)
{
	if (o->title)
		return o->title;
	if (p->n_mappings > 0 && p->mappings[0].file[0]) {
		const char *s = strrchr(p->mappings[0].file, '/');
		return s && s[1] ? s + 1 : p->mappings[0].file;
	}
	return "";
}

int cv_report_dot_string(char **out, size_t *len, const cv_profile *p,
			 const cv_report_options *o)
{
	report_ctx c;
	cv_graph *g;
	cv_trim_result tr;
	int rc = report_ctx_init(&c, p, o);
	c.call_tree = o->call_tree;
	c.want_shares = true;
	if (rc || (rc = report_graph(&g, &tr, p, &c, true)))
		return rc;
	char **labels = report_labels(p, &c, g, &tr, true);
	if (!labels) {
		report_ctx_release(&c);
		cv_graph_free(g);
		return cv_error_nomem();
	}
	size_t n = 0;
	while (labels[n])
		n++;
	cv_dot_config cfg = {
		.title = report_title(p, o),
		.labels = (const char **)labels,
		.n_labels = n,
		.total = c.total,
		.sample_unit = c.sample_unit,
		.output_unit = c.output_unit,
		.ratio = o->ratio,
	};
	cv_hotspot_share *shares = NULL;
	if (!(rc = report_hotspot_shares(&shares, p, &c))) {
		cfg.hotspots = o->hotspots;
		cfg.hotspot_shares = shares;
		rc = cv_render_dot_string(out, len, g, &cfg);
	}
	free(shares);
	cv_report_labels_free(labels);
	cv_graph_free(g);
	return rc;
}

int cv_report_dot(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	char *dot;
	size_t len;
	int rc = cv_report_dot_string(&dot, &len, p, o);
	if (rc)
		return rc;
	if (fwrite(dot, 1, len, out) != len)
		rc = cv_error_set(CV_EIO, "write failed");
	free(dot);
	return rc;
}
