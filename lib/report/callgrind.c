/*
 * The -callgrind report: the untrimmed address-level graph in the format
 * callgrind_annotate and KCachegrind read, with pprof's printCallgrind
 * choices: nodes in flat order, one cost line per address, a call record
 * per outgoing edge, names compressed to "(N)" after their first use and
 * addresses written relative to the previous node's when that is shorter.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/units.h"
#include "graph/graph_internal.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/goconv.h"
#include "util/hash.h"
#include "util/utf8.h"

/* Callgrind's name compression: a string's number, assigned on first use. */
typedef struct name_ids {
	const char **names;     /* open addressing; number = position in order */
	size_t *numbers;
	size_t mask, n;
} name_ids;

static uint64_t hash_str(const char *s)
{
	return cv_fnv1a_str(CV_FNV_OFFSET, s);
}

static int ids_init(name_ids *ids, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n + 2)
		cap <<= 1;
	ids->names = calloc(cap, sizeof(*ids->names));
	ids->numbers = calloc(cap, sizeof(*ids->numbers));
	ids->mask = cap - 1;
	ids->n = 0;
	return ids->names && ids->numbers ? 0 : cv_error_nomem();
}

static void ids_free(name_ids *ids)
{
	free(ids->names);
	free(ids->numbers);
}

/* A record ends at a newline, so a name with one would split in two;
 * KCachegrind reads UTF-8, so a byte that is not becomes U+FFFD. */
static void put_one_line(FILE *out, const char *name)
{
	const char *end = name + strlen(name);
	while (name < end) {
		size_t n = cv_utf8_len(name, (size_t)(end - name));
		if (n == 0)
			fputs(CV_UTF8_REPLACEMENT, out);
		else if (n == 1 && (*name == '\n' || *name == '\r'))
			fputc(' ', out);
		else
			fwrite(name, 1, n, out);
		name += n ? n : 1;
	}
}

/* "(N) name" the first time, "(N)" after, "" for no name. */
static void put_name(FILE *out, const char *prefix, name_ids *ids, const char *name)
{
	fputs(prefix, out);
	if (name[0]) {
		size_t i = hash_str(name) & ids->mask;
		while (ids->names[i] && strcmp(ids->names[i], name) != 0)
			i = (i + 1) & ids->mask;
		if (ids->names[i]) {
			fprintf(out, "(%zu)\n", ids->numbers[i]);
			return;
		}
		ids->names[i] = name;
		ids->numbers[i] = ++ids->n;
		fprintf(out, "(%zu) ", ids->n);
		put_one_line(out, name);
	}
	fputc('\n', out);
}

/* An address, or relative to the previous node's ("+12", "-4", "*") if shorter. */
static void put_address(FILE *out, const cv_node *prev, uint64_t addr)
{
	char abs[32], rel[32];
	snprintf(abs, sizeof(abs), "0x%" PRIx64, addr);
	if (!prev) {
		fputs(abs, out);
		return;
	}
	if (prev->info.address == addr) {
		fputc('*', out);
		return;
	}
	snprintf(rel, sizeof(rel), "%+" PRId64, (int64_t)(addr - prev->info.address));
	fputs(strlen(rel) < strlen(abs) ? rel : abs, out);
}

/*
 * pprof's output unit for callgrind: costs are integers, so the unit is the
 * smallest value's own, without the larger unit other reports allow.
 */
static const char *whole_unit(const cv_graph *g, const report_ctx *c, const char *requested)
{
	if (strcmp(requested, "minimum") != 0 || g->n_nodes == 0)
		return requested;
	int64_t min = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		int64_t v = cv_abs64(cv_node_flat(g->nodes[i]));
		if (v == 0)
			v = cv_abs64(cv_node_cum(g->nodes[i]));
		if (v > 0 && (min == 0 || v < min))
			min = v;
	}
	if (min == 0)
		min = c->total;
	const char *unit;
	cv_unit_scale(report_apply_ratio(min, c->opts->ratio), c->sample_unit, "minimum", &unit);
	return unit[0] ? unit : c->sample_unit;
}

/*
 * Callgrind merges functions of equal file and name; pprof tells apart
 * nodes that stand for different functions (another binary or start line,
 * or another calling context in a call tree) with a " [i/n]" suffix.
 */
static bool same_function(const report_ctx *c, const cv_node *a, const cv_node *b)
{
	const cv_node_info *x = &a->info, *y = &b->info;
	if (c->call_tree) {
		const cv_node *pa = a->n_in ? a->in[0]->src : NULL;
		const cv_node *pb = b->n_in ? b->in[0]->src : NULL;
		if (pa != pb)
			return false;
	}
	return x->start_line == y->start_line && strcmp(x->objfile, y->objfile) == 0 &&
	       strcmp(x->orig_name, y->orig_name) == 0;
}

/* Nodes in groups of equal file and name, each group in graph order. */
typedef struct named {
	const cv_node *node;
	size_t pos;
} named;

static int cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->node->info.file, y->node->info.file);
	if (!c)
		c = strcmp(x->node->info.name, y->node->info.name);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Number the functions of one group [from, to) in order of appearance. */
static void number_group(const report_ctx *c, const cv_graph *g, const named *v, size_t from,
			 size_t to, size_t *number, const char **names)
{
	size_t functions = 0;
	for (size_t i = from; i < to; i++) {
		size_t k = 0;
		for (size_t j = from; j < i && !k; j++)
			if (same_function(c, v[j].node, v[i].node))
				k = number[j];
		number[i] = k ? k : ++functions;
	}
	for (size_t i = from; i < to; i++) {
		const cv_node *n = v[i].node;
		names[n->id] = functions > 1 ? cv_arena_printf(g->arena, "%s [%zu/%zu]", n->info.name,
							       number[i], functions)
					     : n->info.name;
	}
}

/* The callee name of every node (by id), suffixed where it is ambiguous. */
static const char **callee_names(const report_ctx *c, const cv_graph *g)
{
	/* Edges may lead to nodes that carry no value and are not in the graph. */
	size_t max_id = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const cv_node *n = g->nodes[i];
		if (n->id > max_id)
			max_id = n->id;
		for (size_t k = 0; k < n->n_out; k++)
			if (n->out[k]->dest->id > max_id)
				max_id = n->out[k]->dest->id;
	}
	const char **names = cv_arena_calloc(g->arena, max_id + 1, sizeof(*names));
	named *v = malloc((g->n_nodes + 1) * sizeof(*v));
	size_t *number = malloc((g->n_nodes + 1) * sizeof(*number));
	if (names && v && number) {
		for (size_t i = 0; i < g->n_nodes; i++)
			v[i] = (named){g->nodes[i], i};
		qsort(v, g->n_nodes, sizeof(*v), cmp_named);
		for (size_t i = 0, j; i < g->n_nodes; i = j) {
			for (j = i + 1; j < g->n_nodes && !strcmp(v[j].node->info.file, v[i].node->info.file) &&
					!strcmp(v[j].node->info.name, v[i].node->info.name); j++)
				;
			number_group(c, g, v, i, j, number, names);
		}
	}
	free(v);
	free(number);
	for (size_t i = 0; names && i < g->n_nodes; i++)
		if (!names[g->nodes[i]->id])
			return NULL; /* a suffixed name did not fit in memory */
	return names;
}

static int64_t whole(const report_ctx *c, int64_t v)
{
	const char *u;
	/* pprof's int64(scaled): near 2^63 the scaled value is out of range */
	return cv_go_int64(cv_unit_scale(v, c->sample_unit, c->output_unit, &u));
}

static void print_node(FILE *out, const report_ctx *c, const cv_graph *g, const cv_node *n,
		       const cv_node *prev, const char **names, name_ids ids[3])
{
	const cv_node_info *i = &n->info;
	if (!prev || strcmp(i->objfile, prev->info.objfile) || strcmp(i->file, prev->info.file) ||
	    strcmp(i->name, prev->info.name)) {
		fputc('\n', out);
		put_name(out, "ob=", &ids[0], i->objfile);
		put_name(out, "fl=", &ids[1], i->file);
		put_name(out, "fn=", &ids[2], i->name);
	}
	put_address(out, prev, i->address);
	fprintf(out, " %" PRId64 " %" PRId64 "\n", i->lineno, whole(c, cv_node_flat(n)));
	cv_edge **edges = cv_node_sorted_edges(g, n, 1);
	for (size_t k = 0; edges && k < n->n_out; k++) {
		const cv_node *callee = edges[k]->dest;
		put_name(out, "cfl=", &ids[1], callee->info.file);
		/* pprof names a callee outside the graph "" (its map has no entry). */
		put_name(out, "cfn=", &ids[2], names[callee->id] ? names[callee->id] : "");
		/* pprof has no call counts; the position is relative to the previous node. */
		fputs("calls=0 ", out);
		put_address(out, prev, callee->info.address);
		fprintf(out, " %" PRId64 "\n* * %" PRId64 "\n", callee->info.lineno,
			whole(c, edges[k]->weight));
	}
}

int cv_report_callgrind(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	/* pprof's callgrind: every address, inlined frames included, nothing trimmed. */
	cv_report_options opts = *o;
	opts.granularity = CV_GRAN_ADDRESSES;
	opts.no_inlines = false;
	opts.node_count = 0;
	opts.node_fraction = 0;
	opts.edge_fraction = 0;
	report_ctx c;
	cv_graph *g;
	cv_trim_result tr;
	int rc = report_ctx_init(&c, p, &opts);
	if (rc)
		return rc;
	const char *requested = c.output_unit;
	c.obj_names = true;
	c.call_tree = o->call_tree;
	if ((rc = report_graph(&g, &tr, p, &c, false)))
		return rc;
	c.output_unit = whole_unit(g, &c, requested);
	const char **names = callee_names(&c, g);
	if (!names) {
		cv_graph_free(g);
		return cv_error_nomem();
	}
	fprintf(out, "positions: instr line\nevents: %s(%s)\n", c.sample_type, c.output_unit);
	name_ids ids[3] = {{0}};
	if (ids_init(&ids[0], g->n_nodes) || ids_init(&ids[1], g->n_nodes) ||
	    ids_init(&ids[2], 2 * g->n_nodes)) {
		for (int k = 0; k < 3; k++)
			ids_free(&ids[k]);
		cv_graph_free(g);
		return cv_error_nomem();
	}
	const cv_node *prev = NULL;
	for (size_t i = 0; i < g->n_nodes; i++) {
		print_node(out, &c, g, g->nodes[i], prev, names, ids);
		prev = g->nodes[i];
	}
	for (int k = 0; k < 3; k++)
		ids_free(&ids[k]);
	cv_graph_free(g);
	return 0;
}
