/*
 * What the -top and -tree tables share (and the -html report's top table):
 * the legend above them and the columns of a node's row.
 */
#include "callviz/error.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "util/alloc.h"

int report_text_graph(cv_graph **g, report_ctx *c, FILE *out, const cv_profile *p,
		      const cv_report_options *o, bool want_shares)
{
	cv_trim_result tr;
	int rc = report_ctx_init(c, p, o);
	c->want_shares = want_shares;
	if (rc || (rc = report_graph(g, &tr, p, c, false)))
		return rc;
	tr.dropped_edges = 0;
	char **labels = report_labels(p, c, *g, &tr, false);
	if (!labels) {
		report_ctx_release(c);
		cv_graph_free(*g);
		*g = NULL;
		return cv_error_nomem();
	}
	for (size_t i = 0; labels[i]; i++)
		fprintf(out, "%s\n", labels[i]);
	cv_report_labels_free(labels);
	return 0;
}

void report_row_format(report_row *r, const report_ctx *c, const cv_node *n,
		       int64_t flat_sum)
{
	int64_t flat = cv_node_flat(n), cum = cv_node_cum(n);
	report_format_value(c, r->flat, sizeof(r->flat), flat);
	report_format_value(c, r->cum, sizeof(r->cum), cum);
	cv_unit_percent(r->flat_pct, sizeof(r->flat_pct), flat, c->total);
	cv_unit_percent(r->sum_pct, sizeof(r->sum_pct), flat_sum, c->total);
	cv_unit_percent(r->cum_pct, sizeof(r->cum_pct), cum, c->total);
}

const char *report_inline_mark(const cv_node *n)
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
