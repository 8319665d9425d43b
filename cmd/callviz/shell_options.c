/*
 * The shell's options: go tool pprof's configuration names, most of them
 * value flags of the flag table (flags.c checks and stores them), plus
 * pprof's two choice groups, sort (cum, flat) and granularity (functions
 * ... addresses), whose members also work as names (`cum`, `lines`), and
 * sample_index, checked against the profile's sample types.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

typedef enum { O_FLAG, O_SORT, O_GRANULARITY, O_SAMPLE_INDEX, O_LOAD_TIME } option_kind;

typedef struct option {
	const char *name;
	option_kind kind;
	const char *help;
} option;

/* pprof's names; `options` lists them sorted, as pprof does. */
static const option options[] = {
	{"call_tree", O_FLAG, "Create a context-sensitive call tree"},
	{"compact_labels", O_FLAG, "Show minimal headers"},
	{"divide_by", O_FLAG, "Ratio to divide all samples before visualization"},
	{"drop_negative", O_FLAG, "Ignore negative differences"},
	{"edgefraction", O_FLAG, "Hide edges below <f>*total"},
	{"focus", O_FLAG, "Restricts to samples going through a node matching regexp"},
	{"granularity", O_GRANULARITY, "Aggregate at this level: functions, filefunctions, files, lines or addresses"},
	{"hide", O_FLAG, "Skips nodes matching regexp"},
	{"ignore", O_FLAG, "Skips paths going through any nodes matching regexp"},
	{"mean", O_FLAG, "Average sample value over first value (count)"},
	{"nodecount", O_FLAG, "Max number of nodes to show"},
	{"nodefraction", O_FLAG, "Hide nodes below <f>*total"},
	{"noinlines", O_FLAG, "Ignore inlines: attribute inlined functions to their caller"},
	{"normalize", O_LOAD_TIME, "Scales profile based on the base profile (set when loading: -normalize)"},
	{"output", O_FLAG, "Output filename for file-based outputs"},
	{"prune_from", O_FLAG, "Drops any functions below the matched frame"},
	{"relative_percentages", O_FLAG, "Show percentages relative to focused subgraph"},
	{"sample_index", O_SAMPLE_INDEX, "Sample value to report (0-based index or name)"},
	{"show", O_FLAG, "Only show nodes matching regexp"},
	{"show_from", O_FLAG, "Drops functions above the highest matched frame"},
	{"sort", O_SORT, "Sort entries by cum or flat weight"},
	{"source_path", O_FLAG, "Search path for source files"},
	{"tagfocus", O_FLAG, "Restricts to samples with tags in range or matched by regexp"},
	{"taghide", O_FLAG, "Skip tags matching this regexp"},
	{"tagignore", O_FLAG, "Discard samples with tags in range or matched by regexp"},
	{"tagleaf", O_FLAG, "Adds pseudo stack frames for labels key/value pairs at the callstack leaf"},
	{"tagroot", O_FLAG, "Adds pseudo stack frames for labels key/value pairs at the callstack root"},
	{"tagshow", O_FLAG, "Only consider tags matching this regexp"},
	{"title", O_FLAG, "Title of the graph"},
	{"trim", O_FLAG, "Honor nodefraction/edgefraction/nodecount defaults"},
	{"trim_path", O_FLAG, "Path to trim from source paths before search"},
	{"unit", O_FLAG, "Measurement units to display"},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static const char *const sorts[] = {"cum", "flat", NULL};

static const option *find_option(const char *name)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

static int choice_index(const char *const *choices, const char *name)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(choices[i], name))
			return i;
	return -1;
}

/* The granularity named `name`, as a cv_granularity; -1 for none. */
static int granularity_index(const char *name)
{
	for (int g = CV_GRAN_FUNCTIONS; g <= CV_GRAN_ADDRESSES; g++)
		if (!strcmp(cv_granularity_name((cv_granularity)g), name))
			return g;
	return -1;
}

const char *const *shell_option_names(void)
{
	static const char *names[N_OPTIONS + 8];
	size_t n = 0;
	for (size_t i = 0; i < N_OPTIONS; i++)
		names[n++] = options[i].name;
	for (int i = 0; sorts[i]; i++)
		names[n++] = sorts[i];
	for (int g = CV_GRAN_FUNCTIONS; g <= CV_GRAN_ADDRESSES; g++)
		names[n++] = cv_granularity_name((cv_granularity)g);
	names[n] = NULL;
	return names;
}

const char *shell_option_help(const char *name)
{
	const option *opt = find_option(name);
	if (opt)
		return opt->help;
	if (choice_index(sorts, name) >= 0)
		return "Sort entries by this weight (sort=NAME)";
	if (granularity_index(name) >= 0)
		return "Aggregate at this level (granularity=NAME)";
	return NULL;
}

void shell_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout);
	fputs("callviz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int set_sort(cli_options *o, const char *value)
{
	int i = *value ? choice_index(sorts, value) : 1;
	if (i < 0)
		return cv_error_set(CV_EINVAL, "invalid \"sort\" value \"%s\"", value);
	o->cum = i == 0;
	o->flat = false;
	return 0;
}

static int set_granularity(cli_options *o, const char *value)
{
	int g = *value ? granularity_index(value) : CV_GRAN_FUNCTIONS;
	if (g < 0)
		return cv_error_set(CV_EINVAL, "invalid \"granularity\" value \"%s\"", value);
	o->granularity = cv_granularity_name((cv_granularity)g);
	memset(o->gran, 0, sizeof(o->gran));
	return 0;
}

/* pprof keeps the type's name: sample_index=1 shows as alloc_space. */
static int set_sample_index(shell *sh, cli_options *o, const char *value)
{
	if (!*value) {
		o->sample_index = NULL;
		return 0;
	}
	int i = cv_profile_sample_index(sh->p, value);
	if (i < 0)
		return -1;
	o->sample_index = sh->p->sample_types[i].type;
	return 0;
}

/* One option set to value ("" for the default); -1 with cv_error_last() set. */
static int set_option(shell *sh, cli_options *o, const char *name, const char *value)
{
	const option *opt = find_option(name);
	if (!opt) {
		/* A choice as a name: `cum`, `lines`, `lines=true`. */
		bool on = !*value || !strcmp(value, "true") || !strcmp(value, "1") ||
			  !strcmp(value, "t");
		if (on && choice_index(sorts, name) >= 0)
			return set_sort(o, name);
		if (on && granularity_index(name) >= 0)
			return set_granularity(o, name);
		return cv_error_set(CV_EINVAL, "unknown config field \"%s\"", name);
	}
	switch (opt->kind) {
	case O_SORT:
		return set_sort(o, value);
	case O_GRANULARITY:
		return set_granularity(o, value);
	case O_SAMPLE_INDEX:
		return set_sample_index(sh, o, value);
	case O_LOAD_TIME:
		return cv_error_set(CV_EINVAL, "%s applies when the profiles are loaded: give -%s "
				    "on the command line", name, name);
	default:
		break;
	}
	const char *kept = shell_keep(sh, value);
	if (!kept)
		return cv_error_set(CV_ENOMEM, "out of memory");
	if (cli_option_set(o, name, kept))
		return -1;
	if (!strcmp(name, "divide_by") && o->divide_by == 0) {
		o->divide_by = 1;
		return cv_error_set(CV_EINVAL, "zero divisor specified");
	}
	return 0;
}

static bool is_option_name(const char *name)
{
	return find_option(name) || choice_index(sorts, name) >= 0 ||
	       granularity_index(name) >= 0;
}

static bool takes_no_value(const char *name)
{
	return cli_option_is_bool(name) || choice_index(sorts, name) >= 0 ||
	       granularity_index(name) >= 0;
}

/* The sample type shortcuts: alloc_space, total_delay, mean_delay, ... */
static bool shortcut(shell *sh, const char *word)
{
	for (size_t i = 0; i < sh->p->n_sample_types; i++) {
		const char *t = sh->p->sample_types[i].type;
		int mean = -1;
		if (!strncmp(word, "total_", 6) && !strcmp(word + 6, t))
			mean = 0;
		else if (!strncmp(word, "mean_", 5) && !strcmp(word + 5, t))
			mean = 1;
		else if (strcmp(word, t))
			continue;
		if (mean >= 0)
			sh->o.mean = mean;
		sh->o.sample_index = t;
		return true;
	}
	return false;
}

/* "name = value //: comment" split as pprof splits it; returns the name. */
static char *split_assignment(char *line, char **value)
{
	char *eq = strchr(line, '=');
	*value = NULL;
	if (eq) {
		*eq = '\0';
		char *v = eq + 1;
		char *comment = strstr(v, "//:");
		while (comment && strstr(comment + 1, "//:"))
			comment = strstr(comment + 1, "//:");
		if (comment)
			*comment = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		size_t n = strlen(v);
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			v[--n] = '\0';
		*value = v;
	}
	char *name = line;
	while (*name == ' ' || *name == '\t')
		name++;
	size_t n = strlen(name);
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		name[--n] = '\0';
	return name;
}

int shell_assign(shell *sh, const char *line)
{
	char *copy = strdup(line), *value;
	if (!copy)
		return 0;
	char *name = split_assignment(copy, &value);
	int done = 1;
	if (!strcmp(name, ":") && !value) {
		/* pprof's ":" clears the sample filters. */
		sh->o.focus = sh->o.ignore = sh->o.hide = sh->o.tagfocus = sh->o.tagignore = NULL;
	} else if (!value && shortcut(sh, name)) {
		/* done */
	} else if (!is_option_name(name)) {
		done = 0;
	} else if (!value && !takes_no_value(name)) {
		shell_error("please specify a value, e.g. %s=<val>", name);
	} else if (set_option(sh, &sh->o, name, value ? value : "true")) {
		shell_error("%s", cv_error_last());
	}
	free(copy);
	return done;
}

int shell_assign_once(shell *sh, cli_options *o, const char *token)
{
	const char *eq = strchr(token, '=');
	if (!eq || eq == token)
		return 0;
	char *name = strndup(token, (size_t)(eq - token));
	if (!name || !is_option_name(name)) {
		free(name);
		return 0;
	}
	int rc = set_option(sh, o, name, eq + 1);
	if (rc)
		shell_error("%s", cv_error_last());
	free(name);
	return rc ? -1 : 1;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The current value as pprof shows it, with its comment. */
static void show_value(const shell *sh, const option *opt, char *v, size_t size,
		       char *comment, size_t csize)
{
	const cli_options *o = &sh->o;
	*comment = '\0';
	switch (opt->kind) {
	case O_SORT:
		snprintf(v, size, "%s", o->cum ? "cum" : "flat");
		snprintf(comment, csize, "//: [cum | flat]");
		return;
	case O_GRANULARITY:
		snprintf(v, size, "%s", o->granularity);
		snprintf(comment, csize, "//: [addresses | filefunctions | files | functions | lines]");
		return;
	case O_SAMPLE_INDEX: {
		int i = cv_profile_sample_index(sh->p, o->sample_index);
		snprintf(v, size, "%s", i >= 0 ? sh->p->sample_types[i].type : "");
		size_t n = snprintf(comment, csize, "//: [");
		for (size_t k = 0; k < sh->p->n_sample_types && n < csize; k++)
			n += snprintf(comment + n, csize - n, "%s%s", k ? " | " : "",
				      sh->p->sample_types[k].type);
		if (n < csize)
			snprintf(comment + n, csize - n, "]");
		return;
	}
	case O_LOAD_TIME:
		snprintf(v, size, "%s", o->normalize ? "true" : "false");
		return;
	default:
		cli_option_get(o, opt->name, v, size);
	}
	/* No -unit is pprof's "minimum" (the smallest unit that fits). */
	if (!strcmp(opt->name, "unit") && !*v)
		snprintf(v, size, "minimum");
	if (!strcmp(opt->name, "nodecount") && o->node_count == -1)
		snprintf(comment, csize, "//: default");
	else if (!*v)
		snprintf(v, size, "\"\"");
}

void shell_print_options(const shell *sh)
{
	char *lines[N_OPTIONS];
	size_t n = 0;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		/* pprof leaves source_path out of the listing. */
		if (!strcmp(options[i].name, "source_path"))
			continue;
		char v[512], comment[512];
		show_value(sh, &options[i], v, sizeof(v), comment, sizeof(comment));
		if (asprintf(&lines[n], "  %-25s = %-20s %s", options[i].name, v, comment) >= 0)
			n++;
	}
	qsort(lines, n, sizeof(*lines), by_text);
	for (size_t i = 0; i < n; i++) {
		printf("%s\n", lines[i]);
		free(lines[i]);
	}
	fflush(stdout);
}
