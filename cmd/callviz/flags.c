/*
 * The command line, driven by one table. Syntax follows go tool pprof (Go's
 * flag package): -flag, --flag, -flag=value, -flag value; booleans take
 * -flag or -flag=true/false. Unlike Go, flags may follow the sources.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/graph.h"
#include "cli.h"

/* F_FORMAT_ARG: a format that takes a value (-list=REGEX), stored at offset. */
/* F_FORMAT_OR_VALUE: bare, a format (-hotspots); with =VALUE, a string option
 * of every format (-hotspots=FILE). F_LIST: repeatable, values collected. */
typedef enum { F_BOOL, F_INT, F_FLOAT, F_NUMBER, F_STRING, F_FORMAT, F_FORMAT_ARG,
	       F_FORMAT_OR_VALUE, F_LIST, F_SIZE } flag_kind;

typedef struct flag_def {
	const char *name;
	flag_kind kind;
	size_t offset;             /* field in cli_options */
	const char *defval;        /* shown by -h */
	const char *help;
} flag_def;

#define OPT(field) offsetof(cli_options, field)

static const flag_def flags[] = {
	/* Output formats: each selects the report to produce. */
	{"top", F_FORMAT, 0, "", "Outputs top entries in text form"},
	{"text", F_FORMAT, 0, "", "Outputs top entries in text form"},
	{"dot", F_FORMAT, 0, "", "Outputs a graph in DOT format"},
	{"svg", F_FORMAT, 0, "", "Outputs a graph in SVG format"},
	{"pdf", F_FORMAT, 0, "", "Outputs a graph in PDF format"},
	{"png", F_FORMAT, 0, "", "Outputs a graph image in PNG format"},
	{"gif", F_FORMAT, 0, "", "Outputs a graph image in GIF format"},
	{"ps", F_FORMAT, 0, "", "Outputs a graph in PS format"},
	{"proto", F_FORMAT, 0, "", "Outputs the profile in compressed protobuf format"},
	{"folded", F_FORMAT, 0, "", "Outputs collapsed stacks (root;caller;leaf value), flamegraph.pl's input"},
	{"flame", F_FORMAT, 0, "", "Outputs an interactive flame graph in SVG format"},
	{"icicle", F_FORMAT, 0, "", "Outputs an interactive flame graph with the roots at the top"},
	{"html", F_FORMAT, 0, "", "Outputs one self-contained HTML report: legend, hotspots, top table, call graph, flame graph"},
	{"comments", F_FORMAT, 0, "", "Output all profile comments"},
	{"traces", F_FORMAT, 0, "", "Outputs all profile samples in text form"},
	{"tree", F_FORMAT, 0, "", "Outputs a text rendering of call graph"},
	{"peek", F_FORMAT_ARG, OPT(symbol), "", "Output callers/callees of functions matching regexp"},
	{"list", F_FORMAT_ARG, OPT(symbol), "", "Output annotated source for functions matching regexp"},
	{"callgrind", F_FORMAT, 0, "", "Outputs a graph in callgrind format"},
	{"raw", F_FORMAT, 0, "", "Outputs a text representation of the raw profile"},
	{"tags", F_FORMAT, 0, "", "Outputs all tags in the profile"},
	{"hotspots", F_FORMAT_OR_VALUE, OPT(hotspots), "builtin", "Bare: outputs each hotspot class's share and top functions; =FILE: hotspot classes from FILE, =none: no built-in classes"},
	{"highlight", F_LIST, OPT(highlight), "", "Mark functions matching [NAME=]REGEX as hotspot class NAME (custom); repeatable"},
	{"source_path", F_STRING, OPT(source_path), "current directory", "Search path for source files (':'-separated)"},
	{"trim_path", F_STRING, OPT(trim_path), "", "Path prefixes to trim from source paths before search (':'-separated)"},
	/* Output control. */
	{"output", F_STRING, OPT(output), "stdout", "Output filename (written atomically)"},
	{"o", F_STRING, OPT(output), "stdout", "Short for -output"},
	{"title", F_STRING, OPT(title), "binary name", "Title of the graph"},
	{"unit", F_STRING, OPT(unit), "minimum", "Measurement units to display (e.g. ms, MB)"},
	/* Trimming. */
	{"nodecount", F_INT, OPT(node_count), "80 for graphs, all for text", "Max number of nodes to show"},
	{"nodefraction", F_FLOAT, OPT(node_fraction), "0.005", "Hide nodes below <f>*total"},
	{"edgefraction", F_FLOAT, OPT(edge_fraction), "0.001", "Hide edges below <f>*total"},
	{"trim", F_BOOL, OPT(trim), "true", "Honor nodefraction/edgefraction/nodecount defaults"},
	{"cum", F_BOOL, OPT(cum), "false", "Sort entries based on cumulative weight"},
	{"flat", F_BOOL, OPT(flat), "true", "Sort entries based on own weight"},
	/* Filters. */
	{"focus", F_STRING, OPT(focus), "", "Restricts to samples going through a node matching regexp"},
	{"f", F_STRING, OPT(focus), "", "Short for -focus"},
	{"ignore", F_STRING, OPT(ignore), "", "Skips paths going through any nodes matching regexp"},
	{"i", F_STRING, OPT(ignore), "", "Short for -ignore"},
	{"hide", F_STRING, OPT(hide), "", "Skips nodes matching regexp"},
	{"show", F_STRING, OPT(show), "", "Only show nodes matching regexp"},
	{"show_from", F_STRING, OPT(show_from), "", "Drops functions above the highest matched frame"},
	{"prune_from", F_STRING, OPT(prune_from), "", "Drops any functions below the matched frame"},
	{"tagfocus", F_STRING, OPT(tagfocus), "", "Restricts to samples with tags in range or matched by regexp"},
	{"tagignore", F_STRING, OPT(tagignore), "", "Discard samples with tags in range or matched by regexp"},
	{"tagshow", F_STRING, OPT(tagshow), "", "Only consider tags matching this regexp"},
	{"taghide", F_STRING, OPT(taghide), "", "Skip tags matching this regexp"},
	{"tagroot", F_STRING, OPT(tagroot), "", "Adds pseudo stack frames for labels key/value pairs at the callstack root"},
	{"tagleaf", F_STRING, OPT(tagleaf), "", "Adds pseudo stack frames for labels key/value pairs at the callstack leaf"},
	/* Which value, at which granularity. */
	{"sample_index", F_STRING, OPT(sample_index), "default_sample_type or last", "Sample value to report (0-based index or name)"},
	{"inuse_space", F_BOOL, OPT(inuse_space), "", "Same as -sample_index=inuse_space"},
	{"inuse_objects", F_BOOL, OPT(inuse_objects), "", "Same as -sample_index=inuse_objects"},
	{"alloc_space", F_BOOL, OPT(alloc_space), "", "Same as -sample_index=alloc_space"},
	{"alloc_objects", F_BOOL, OPT(alloc_objects), "", "Same as -sample_index=alloc_objects"},
	{"contentions", F_BOOL, OPT(contentions), "", "Same as -sample_index=contentions"},
	{"total_delay", F_BOOL, OPT(total_delay), "", "Same as -sample_index=delay"},
	{"mean_delay", F_BOOL, OPT(mean_delay), "", "Same as -mean -sample_index=delay"},
	/* Value transforms. */
	{"mean", F_BOOL, OPT(mean), "false", "Average sample value over first value (count)"},
	{"divide_by", F_NUMBER, OPT(divide_by), "1", "Ratio to divide all samples before visualization"},
	{"drop_negative", F_BOOL, OPT(drop_negative), "false", "Ignore negative differences"},
	/* Comparisons: a base profile subtracted from the merged sources (as in
	 * go tool pprof, the last -base or -diff_base given counts). */
	{"base", F_STRING, OPT(base), "", "Source of base profile for profile subtraction"},
	{"diff_base", F_STRING, OPT(diff_base), "", "Source of base profile for comparison (percentages of the base)"},
	{"normalize", F_BOOL, OPT(normalize), "false", "Scale the source profile to the base's total before subtracting"},
	/* Presentation. */
	{"call_tree", F_BOOL, OPT(call_tree), "false", "Create a context-sensitive call tree (graphs)"},
	{"relative_percentages", F_BOOL, OPT(relative_percentages), "false", "Show percentages relative to focused subgraph"},
	{"compact_labels", F_BOOL, OPT(compact_labels), "false", "Show minimal headers (text reports)"},
	{"add_comment", F_STRING, OPT(add_comment), "", "Annotation string to record in the profile"},
	{"functions", F_BOOL, OPT(gran[CV_GRAN_FUNCTIONS]), "", "Aggregate at the function level (default)"},
	{"filefunctions", F_BOOL, OPT(gran[CV_GRAN_FILEFUNCTIONS]), "", "Aggregate at the function level, per file"},
	{"files", F_BOOL, OPT(gran[CV_GRAN_FILES]), "", "Aggregate at the file level"},
	{"lines", F_BOOL, OPT(gran[CV_GRAN_LINES]), "", "Aggregate at the source code line level"},
	{"addresses", F_BOOL, OPT(gran[CV_GRAN_ADDRESSES]), "", "Aggregate at the address level"},
	{"noinlines", F_BOOL, OPT(no_inlines), "false", "Attribute inlined functions to their caller"},
	{"symbolize", F_STRING, OPT(symbolize), "", "Accepted for compatibility; profiles are used as symbolized"},
	/* Fetching from URLs (net/http/pprof endpoints). */
	{"seconds", F_INT, OPT(seconds), "", "Duration for time-based profile collection (sets seconds= on URLs)"},
	{"max_bytes", F_SIZE, OPT(max_bytes), "2GiB", "Refuse profiles larger than this after inflating (bytes; K, M, G suffixes)"},
	{"pprof", F_STRING, OPT(pprof), "", "Go execution traces: the profile to make, net, sync, syscall or sched (go tool trace -pprof)"},
	{"timeout", F_INT, OPT(timeout), "seconds+30, else 60", "Timeout in seconds for fetching a profile"},
	/* callviz batch. */
	{"formats", F_STRING, OPT(formats), "", "batch: output formats to render, comma-separated (svg,pdf,top)"},
	{"outdir", F_STRING, OPT(outdir), ".", "batch: directory for the renders and index.html"},
	{"jobs", F_INT, OPT(jobs), "number of cores", "batch: worker processes"},
	{"compare", F_BOOL, OPT(compare), "false", "batch: also write side-by-side comparison pages"},
	/* The web UI (web.c). */
	{"http", F_STRING, OPT(http), "", "Serve the web UI on HOST:PORT (loopback without a host; port 0 picks one)"},
	{"no_browser", F_BOOL, OPT(no_browser), "false", "With -http: do not open $BROWSER"},
	/* About callviz itself. */
	{"help", F_BOOL, OPT(help), "false", "Show this help"},
	{"h", F_BOOL, OPT(help), "false", "Show this help"},
	{"version", F_BOOL, OPT(version), "false", "Print the version"},
};

#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

const char *cli_format_list(void)
{
	return "-top -text -dot -svg -pdf -png -gif -ps -comments -traces -tree -peek -list -tags "
	       "-callgrind -raw -hotspots -proto -folded -flame -icicle -html";
}

static const flag_def *find_flag(const char *name, size_t len)
{
	for (size_t i = 0; i < N_FLAGS; i++)
		if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
			return &flags[i];
	return NULL;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set while the shell sets an option: errors go to cv_error_last(), one line. */
static bool errors_to_caller;

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errors_to_caller) {
		char msg[512];
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		cv_error_set(CV_EINVAL, "%s", msg);
		return EXIT_USAGE;
	}
	fprintf(stderr, "callviz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\ncallviz: run 'callviz -h' for usage\n");
	va_end(ap);
	return EXIT_USAGE;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "t") || !strcmp(v, "T") ||
	    !strcmp(v, "TRUE") || !strcmp(v, "True"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "f") ||
		 !strcmp(v, "F") || !strcmp(v, "FALSE") || !strcmp(v, "False"))
		*out = false;
	else
		return -1;
	return 0;
}

/* Store a flag's value; `value` is NULL for a bare boolean-like flag. */
static int set_flag(cli_options *o, const flag_def *f, const char *value)
{
	char *field = (char *)o + f->offset;
	char *end;
	bool on = true;
	if ((f->kind == F_BOOL || f->kind == F_FORMAT) && value && parse_bool(value, &on))
		return usage_error("invalid boolean value \"%s\" for -%s", value, f->name);
	switch (f->kind) {
	case F_LIST: {
		cli_list *l = (cli_list *)field;
		const char **items = realloc(l->items, ((size_t)l->n + 1) * sizeof(*items));
		if (!items)
			return usage_error("out of memory");
		items[l->n++] = value;
		l->items = items;
		break;
	}
	case F_BOOL:
		*(bool *)field = on;
		break;
	case F_FORMAT_OR_VALUE:
		/* With a value an option; bare, it selects the format. */
		if (value) {
			*(const char **)field = value;
			break;
		}
		/* fall through */
	case F_FORMAT:
	case F_FORMAT_ARG:
		/* pprof selects -list/-peek only with a non-empty regex. */
		if (!on || (f->kind == F_FORMAT_ARG && !*value))
			break;
		if (o->format && strcmp(o->format, f->name))
			return usage_error("only one output format may be given (-%s and -%s)", o->format, f->name);
		o->format = f->name;
		if (f->kind == F_FORMAT_ARG)
			*(const char **)field = value;
		break;
	case F_INT:
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || *end || end == value || v < 0 || v > 1000000000)
			return usage_error("invalid value \"%s\" for -%s: want a whole number >= 0", value, f->name);
		*(int *)field = (int)v;
		break;
	case F_FLOAT:
		errno = 0;
		double d = strtod(value, &end);
		if (errno || *end || end == value || !(d >= 0 && d <= 1))
			return usage_error("invalid value \"%s\" for -%s: want a fraction from 0 to 1", value, f->name);
		/* A false positive: field is a double member of cli_options, by offsetof. */
		/* cppcheck-suppress invalidPointerCast */
		*(double *)field = d;
		break;
	case F_NUMBER: {
		/* Go's ParseFloat: no surrounding blanks; inf and nan are numbers,
		 * but a finite number too large for a double is an error. */
		errno = 0;
		double x = strtod(value, &end);
		if (*end || end == value || isspace((unsigned char)*value) ||
		    (errno == ERANGE && (x > 1 || x < -1)))
			return usage_error("invalid value \"%s\" for -%s: want a number", value, f->name);
		/* A false positive: field is a double member of cli_options, by offsetof. */
		/* cppcheck-suppress invalidPointerCast */
		*(double *)field = x;
		break;
	}
	case F_STRING:
		*(const char **)field = value;
		break;
	case F_SIZE:
		if (cli_parse_size(value, (size_t *)field))
			return usage_error("invalid value \"%s\" for -%s: want a size such as 500M or 2GiB", value, f->name);
		break;
	}
	return 0;
}

static void set_defaults(cli_options *o)
{
	memset(o, 0, sizeof(*o));
	o->node_count = -1;
	o->node_fraction = 0.005;
	o->edge_fraction = 0.001;
	o->trim = true;
	o->granularity = "functions";
	o->divide_by = 1;
}

/* Parse one "-name[=value]" argument, maybe taking the next argv as value. */
static int parse_flag(cli_options *o, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 1;
	if (*arg == '-')
		arg++;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const flag_def *f = find_flag(arg, len);
	if (!f)
		return usage_error("unknown flag: %s", argv[*i]);
	const char *value = eq ? eq + 1 : NULL;
	bool takes_value = f->kind == F_INT || f->kind == F_FLOAT || f->kind == F_NUMBER ||
			   f->kind == F_STRING || f->kind == F_FORMAT_ARG || f->kind == F_LIST ||
			   f->kind == F_SIZE;
	if (takes_value && !value) {
		if (*i + 1 >= argc)
			return usage_error("flag -%s needs a value", f->name);
		value = argv[++*i];
	}
	return set_flag(o, f, value);
}

int cli_parse(cli_options *o, int argc, char **argv)
{
	set_defaults(o);
	o->sources = calloc((size_t)argc + 1, sizeof(*o->sources));
	if (!o->sources)
		return EXIT_FAILED;
	bool only_sources = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_sources && !strcmp(a, "--")) {
			only_sources = true;
		} else if (!only_sources && a[0] == '-' && a[1] != '\0') {
			int rc = parse_flag(o, argc, argv, &i);
			if (rc)
				return rc;
		} else {
			o->sources[o->n_sources++] = a;
		}
	}
	return cli_resolve(o);
}

void cli_usage(FILE *out)
{
	fprintf(out,
		"usage: callviz [format] [options] source...\n\n"
		"Reads pprof profiles (profile.proto, gzipped or not) and prints the\n"
		"same reports as go tool pprof; graphs are laid out in-process by graphviz.\n\n"
		"Flags (-flag, --flag, -flag=value, -flag value):\n");
	for (size_t i = 0; i < N_FLAGS; i++) {
		const flag_def *f = &flags[i];
		const char *arg = f->kind == F_INT ? " N" : f->kind == F_FLOAT ? " F" :
				  f->kind == F_NUMBER ? " X" : f->kind == F_FORMAT_ARG ? " REGEX" :
				  f->kind == F_FORMAT_OR_VALUE ? "[=FILE|none]" :
				  f->kind == F_LIST ? " [NAME=]REGEX" : f->kind == F_SIZE ? " SIZE" :
				  f->kind == F_STRING ? " VALUE" : "";
		char left[64];
		snprintf(left, sizeof(left), "-%s%s", f->name, arg);
		fprintf(out, "  %-22s %s", left, f->help);
		if (f->defval[0])
			fprintf(out, " (default: %s)", f->defval);
		fputc('\n', out);
	}
}

static size_t field_size(flag_kind kind)
{
	switch (kind) {
	case F_BOOL:
		return sizeof(bool);
	case F_INT:
		return sizeof(int);
	case F_FLOAT:
	case F_NUMBER:
		return sizeof(double);
	case F_SIZE:
		return sizeof(size_t);
	default:
		return sizeof(const char *);
	}
}

/* The flags that hold a value the shell may show and change. */
static const flag_def *value_flag(const char *name)
{
	const flag_def *f = find_flag(name, strlen(name));
	if (!f || f->kind == F_FORMAT || f->kind == F_FORMAT_ARG || f->kind == F_LIST)
		return NULL;
	return f;
}

int cli_option_set(cli_options *o, const char *name, const char *value)
{
	const flag_def *f = value_flag(name);
	if (!f)
		return cv_error_set(CV_ENOTFOUND, "unknown option \"%s\"", name);
	if (!*value) {
		/* "name=" puts the default back, whatever the command line said. */
		cli_options d;
		set_defaults(&d);
		memcpy((char *)o + f->offset, (char *)&d + f->offset, field_size(f->kind));
		return 0;
	}
	errors_to_caller = true;
	int rc = set_flag(o, f, value);
	errors_to_caller = false;
	return rc ? -1 : 0;
}

bool cli_option_is_bool(const char *name)
{
	const flag_def *f = value_flag(name);
	return f && f->kind == F_BOOL;
}

/* Go's %v of a float64: the shortest text that reads back the same. */
static void shortest_double(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

int cli_option_get(const cli_options *o, const char *name, char *buf, size_t size)
{
	const flag_def *f = value_flag(name);
	if (!f)
		return cv_error_set(CV_ENOTFOUND, "unknown option \"%s\"", name);
	const char *field = (const char *)o + f->offset;
	switch (f->kind) {
	case F_BOOL:
		snprintf(buf, size, "%s", *(const bool *)field ? "true" : "false");
		break;
	case F_INT:
		snprintf(buf, size, "%d", *(const int *)field);
		break;
	case F_FLOAT:
	case F_NUMBER:
		/* A false positive: field is a double member of cli_options, by offsetof. */
		/* cppcheck-suppress invalidPointerCast */
		shortest_double(buf, size, *(const double *)field);
		break;
	case F_SIZE:
		snprintf(buf, size, "%zu", *(const size_t *)field);
		break;
	default: {
		const char *s = *(const char *const *)field;
		snprintf(buf, size, "%s", s ? s : "");
		break;
	}
	}
	return 0;
}
