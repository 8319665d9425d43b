#ifndef CALLVIZ_CLI_H
#define CALLVIZ_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* A repeatable flag's values, in command-line order. */
typedef struct cli_list {
	const char **items;        /* malloc'd array; the strings are argv's */
	int n;
} cli_list;

struct cv_hotspots;

/* Everything the command line can set, filled in by the flag table. */
typedef struct cli_options {
	const char *format;        /* "top", "dot", "svg", ... or NULL */
	const char *output;        /* -output FILE, NULL for stdout */
	int node_count;            /* -1: the format's default */
	double node_fraction, edge_fraction;
	bool cum, flat;
	const char *focus, *ignore, *hide, *show;
	const char *show_from, *prune_from;          /* stack cuts */
	const char *tagfocus, *tagignore, *tagshow, *taghide, *tagroot, *tagleaf;
	const char *sample_index;
	const char *unit;
	const char *title;
	const char *granularity;   /* "functions", "lines", ... (resolved) */
	bool gran[5];              /* -functions .. -addresses as given */
	bool no_inlines;
	/* Value transforms and presentation. */
	bool mean, drop_negative, call_tree, relative_percentages, compact_labels;
	double divide_by;          /* 1 unless -divide_by */
	const char *add_comment;
	/* pprof's legacy value shortcuts, resolved into sample_index / mean. */
	bool inuse_space, inuse_objects, alloc_space, alloc_objects;
	bool total_delay, contentions, mean_delay;
	bool trim;
	bool help, version;
	const char *symbolize;     /* accepted for compatibility, unused */
	const char *symbol;        /* -list / -peek regex */
	const char *source_path;   /* -source_path: where -list looks for sources */
	const char *trim_path;     /* -trim_path: prefixes to strip from source paths */
	int seconds;               /* -seconds: collection time for URLs, 0 unset */
	int timeout;               /* -timeout: seconds a fetch may take, 0 default */
	size_t max_bytes;          /* -max_bytes: inflated profile cap, 0 default */
	const char *pprof;         /* -pprof=net|sync|syscall|sched for traces */
	const char *hotspots;      /* -hotspots=FILE|none|builtin, NULL: builtin */
	cli_list highlight;        /* -highlight=[NAME=]REGEX */
	const char *base, *diff_base; /* -base / -diff_base source ("" is none) */
	bool normalize;            /* -normalize: scale the source to the base */
	struct cv_hotspots *hotspot_table; /* built by cli_hotspots_setup */
	/* callviz batch (batch.c) */
	const char *formats;       /* -formats=svg,pdf,top */
	const char *outdir;        /* -outdir: where the renders go (".") */
	int jobs;                  /* -jobs: worker processes, 0: one per core */
	bool compare;              /* -compare: side-by-side pages too */
	/* callviz -http (web.c) */
	const char *http;          /* -http=HOST:PORT: serve the web UI */
	bool no_browser;           /* -no_browser: do not run $BROWSER */
	const char **sources;
	int n_sources;
} cli_options;

/* Exit statuses: 1 for a failed run, 2 for a command line we cannot parse. */
enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

/*
 * Parse argv with go tool pprof's syntax. On a usage error prints
 * "callviz: message" to stderr and returns EXIT_USAGE; 0 on success.
 */
int cli_parse(cli_options *o, int argc, char **argv);

/*
 * After parsing, settle what several flags decide together, as pprof
 * does: one granularity and one sort order at most, the value shortcuts
 * (-sample_index first, then -total_delay, -mean_delay, -contentions,
 * -inuse_space, -inuse_objects, -alloc_space, -alloc_objects; the others
 * are ignored with a warning), -mean_delay's -mean, and a nonzero
 * -divide_by. Returns 0 or EXIT_USAGE after printing the error.
 */
int cli_resolve(cli_options *o);

/*
 * One value flag of the table, by name, for the shell's name=value
 * (shell_options.c): cli_option_set checks the text as the command line
 * does, "" puts the default back; cli_option_get prints the current value
 * as pprof's shell shows it. Formats and repeatable flags are not options.
 * Return 0, or -1 with cv_error_last() set (one line).
 */
int cli_option_set(cli_options *o, const char *name, const char *value);
int cli_option_get(const cli_options *o, const char *name, char *buf, size_t size);
bool cli_option_is_bool(const char *name);

/*
 * The interactive shell (shell.c): `callviz source...` without a format.
 * Loads the sources once, then reads commands from standard input until
 * quit or end of file. Returns the exit status.
 */
int cli_shell(cli_options *o);

/*
 * The web UI (web.c): `callviz -http=HOST:PORT source...` loads the
 * sources once and serves the graph, top, flame graph, peek, source and
 * hotspots views until SIGINT or SIGTERM. Returns the exit status.
 */
int cli_web(cli_options *o);

/* The -h text: every flag with its default and meaning. */
void cli_usage(FILE *out);

/* The output formats the flag table knows, space separated. */
const char *cli_format_list(void);

/*
 * Build o->hotspot_table from -highlight and -hotspots: the -highlight
 * classes first, then the built-in ones (or FILE's, or none). Prints
 * "callviz: SOURCE: message" and returns EXIT_FAILED on a bad regex or
 * file; 0 otherwise. cli_hotspots_release frees the table and the list.
 */
int cli_hotspots_setup(cli_options *o);
void cli_hotspots_release(cli_options *o);

/*
 * cli_hotspots_setup alongside the profile's load: the built-in classes
 * alone can fail only for memory, so they are compiled on another thread
 * (started by cli_hotspots_start, joined by cli_hotspots_finish, which
 * returns cli_hotspots_setup's result); classes a user gave are set up at
 * once by cli_hotspots_start, for their errors to come before any other.
 */
typedef struct cli_hotspots_job {
	cli_options *o;
	void *task;             /* a cv_task, NULL when set up at once */
	int rc;
} cli_hotspots_job;
int cli_hotspots_start(cli_hotspots_job *j, cli_options *o);
int cli_hotspots_finish(cli_hotspots_job *j);

/* "500M", "2GiB", "4096": a positive byte count (K, M, G, T are powers of
 * 1024). Returns 0, or -1 if the text is not one. */
int cli_parse_size(const char *text, size_t *out);

/* Write data to path atomically (temp file beside it, then rename). */
int cli_write_file(const char *path, const void *data, size_t len);

/*
 * Every source of the command line, merged as go tool pprof merges them,
 * with the -base / -diff_base profile subtracted and -normalize applied
 * (combine.c). A source that fails to load is reported and left out
 * while another loads. Prints its own errors as "callviz: SOURCE:
 * message"; returns 0, EXIT_FAILED or EXIT_USAGE.
 * *name (malloc'd) is what later messages call the result: the first
 * source that loaded.
 */
struct cv_profile;
int cli_load_profiles(struct cv_profile **out, char **name, const cli_options *o);

/* Before a one-shot run loads big profiles (8 MiB of files or more):
 * have malloc keep freed memory for reuse (memory.c). */
void cli_tune_memory(const cli_options *o);

/* `callviz fetch URL -o FILE`: save an endpoint's body as is. argv[0] is "fetch". */
int cli_fetch_command(int argc, char **argv);

/*
 * `callviz batch -formats=F,... [-sample_index=I,...] [-outdir=DIR]
 * [-jobs=N] [-compare] [report flags] source...`: every source x sample
 * index x format into DIR, with index.html (batch.c). argv[0] is "batch".
 */
int cli_batch_command(int argc, char **argv);

#endif
