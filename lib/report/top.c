/* The -top / -text report: one row per node, in pprof's column layout. */
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "report/report_internal.h"

/* "(inline)" if every call into n was inlined, "(partial-inline)" if some. */
static const char *inline_mark(const cv_node *n)
{
	bool inl = false, not_inl = false;
	for (size_t i = 0; i < n->n_in; i++) {
		if (n->in[i]->is_inline)
			inl = true;
		else
			not_inl = true;
	}
	if (!inl)
		return "";
	return not_inl ? " (partial-inline)" : " (inline)";
}

static void print_rows(FILE *out, const report_ctx *c, const cv_graph *g)
{
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		int64_t flat = cv_node_flat(n), cum = cv_node_cum(n);
		char fv[64], cv[64], fp[32], sp[32], cp[32];
		flat_sum += flat;
		report_format_value(c, fv, sizeof(fv), flat);
		report_format_value(c, cv, sizeof(cv), cum);
		cv_unit_percent(fp, sizeof(fp), flat, c->total);
		cv_unit_percent(sp, sizeof(sp), flat_sum, c->total);
		cv_unit_percent(cp, sizeof(cp), cum, c->total);
		fprintf(out, "%10s %s %s %10s %s  %s%s\n", fv, fp, sp, cv, cp,
			cv_node_name(g, n), inline_mark(n));
	}
}

int cv_report_top(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	cv_graph *g;
	cv_trim_result tr;
	int rc = report_ctx_init(&c, p, o);
	if (rc || (rc = report_graph(&g, &tr, p, &c, false)))
		return rc;
	tr.dropped_edges = 0; /* text reports do not mention edges */
	char **labels = report_labels(p, &c, g, &tr, false);
	if (!labels) {
		cv_graph_free(g);
		return cv_error_set(CV_ENOMEM, "out of memory");
	}
	for (size_t i = 0; labels[i]; i++)
		fprintf(out, "%s\n", labels[i]);
	cv_report_labels_free(labels);
	/* callviz's one addition to pprof's table: the hotspot classes' shares. */
	if ((rc = report_print_hotspot_line(out, p, &c))) {
		cv_graph_free(g);
		return rc;
	}
	fprintf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	print_rows(out, &c, g);
	cv_graph_free(g);
	return 0;
}
