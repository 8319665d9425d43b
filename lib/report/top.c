/* The -top / -text report: one row per node, in pprof's column layout. */
#include "report/report_internal.h"

static void print_rows(FILE *out, const report_ctx *c, const cv_graph *g)
{
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		report_row r;
		flat_sum += cv_node_flat(n);
		report_row_format(&r, c, n, flat_sum);
		fprintf(out, "%10s %s %s %10s %s  %s%s\n", r.flat, r.flat_pct, r.sum_pct,
			r.cum, r.cum_pct, cv_node_name(g, n), report_inline_mark(n));
	}
}

int cv_report_top(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	cv_graph *g;
	int rc = report_text_graph(&g, &c, out, p, o, true);
	if (rc)
		return rc;
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
