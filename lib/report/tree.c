/*
 * The -tree and -peek reports: each node of the graph between its callers
 * (above) and its callees (below), every edge with its share of the node's
 * cum, in pprof's printTree layout. -peek is the same report restricted to
 * nodes whose name matches a regex, on the untrimmed graph.
 */
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "util/regex.h"

#define SEPARATOR "----------------------------------------------------------+-------------"
#define LEGEND "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "

/* Caller or callee lines: weight, share of the node's cum, the other end. */
static void print_edges(FILE *out, const report_ctx *c, const cv_graph *g, const cv_node *n,
			int dir)
{
	cv_edge **edges = cv_node_sorted_edges(g, n, dir);
	size_t count = dir ? n->n_out : n->n_in;
	int64_t cum = cv_node_cum(n);
	for (size_t i = 0; edges && i < count; i++) {
		const cv_edge *e = edges[i];
		char w[64], pc[32];
		report_format_value(c, w, sizeof(w), e->weight);
		cv_unit_percent(pc, sizeof(pc), e->weight, cum);
		fprintf(out, "%50s %s |   %s%s\n", w, pc, cv_node_name(g, dir ? e->dest : e->src),
			e->is_inline ? " (inline)" : "");
	}
}

/* The node's own line, sum% running over the nodes printed so far. */
static void print_node(FILE *out, const report_ctx *c, const cv_graph *g, const cv_node *n,
		       int64_t flat_sum)
{
	report_row r;
	report_row_format(&r, c, n, flat_sum);
	fprintf(out, "%10s %s %s %10s %s                | %s\n", r.flat, r.flat_pct,
		r.sum_pct, r.cum, r.cum_pct, cv_node_name(g, n));
}

/* Print every node (or every node matching re); returns how many matched. */
static size_t print_nodes(FILE *out, const report_ctx *c, const cv_graph *g,
			  const cv_regex *re)
{
	size_t matched = 0;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		if (re && !cv_regex_match(re, cv_node_name(g, n)))
			continue;
		matched++;
		flat_sum += cv_node_flat(n);
		fputs(SEPARATOR "\n", out);
		print_edges(out, c, g, n, 0);
		print_node(out, c, g, n, flat_sum);
		print_edges(out, c, g, n, 1);
	}
	if (g->n_nodes > 0)
		fputs(SEPARATOR "\n", out);
	return matched;
}

static int print_tree(FILE *out, const cv_profile *p, const cv_report_options *o,
		      const cv_regex *re)
{
	report_ctx c;
	cv_graph *g;
	int rc = report_text_graph(&g, &c, out, p, o, false);
	if (rc)
		return rc;
	fputs(SEPARATOR "\n" LEGEND "\n", out);
	size_t matched = print_nodes(out, &c, g, re);
	cv_graph_free(g);
	if (re && matched == 0)
		return cv_error_set(CV_ENOTFOUND, "no matches found for regexp: %s", o->symbol);
	return 0;
}

int cv_report_tree(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	cv_report_options opts = *o;
	cv_regex *re = NULL;
	if (o->symbol) {
		/* pprof's peek never trims: the function asked for must be there. */
		re = cv_regex_compile(o->symbol, "peek");
		if (!re)
			return CV_EINVAL;
		opts.node_count = 0;
		opts.node_fraction = 0;
		opts.edge_fraction = 0;
	} else if (opts.node_count < 0) {
		/* Unlike -top, -tree keeps pprof's graph default of 80 nodes. */
		opts.node_count = 80;
	}
	int rc = print_tree(out, p, &opts, re);
	cv_regex_free(re);
	return rc;
}
