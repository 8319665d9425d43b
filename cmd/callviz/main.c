/*
 * callviz: the command line. Reads its profiles (merged, maybe against a
 * base), filters them, and writes the requested report; each stage is a
 * library call, so this file only wires flags to options and reports
 * errors as "callviz: SOURCE: message".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "pipeline.h"

static int fail(const char *source)
{
	fprintf(stderr, "callviz: %s: %s\n", source, cv_error_last());
	return EXIT_FAILED;
}

static int emit(const cli_options *o, const char *data, size_t len)
{
	if (o->output)
		return cli_write_file(o->output, data, len);
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return cv_error_set(CV_EIO, "writing standard output failed");
	return 0;
}

/* The report from one loaded profile (pipeline.c), written out; frees p. */
static int report(const cli_options *o, cv_profile *p, const char *source)
{
	char *data;
	size_t len;
	int rc = cli_render(&data, &len, o, p, source);
	if (rc == 0 && emit(o, data, len))
		rc = fail(source);
	free(data);
	cv_profile_free(p);
	return rc;
}

/* Load the sources and bases (cli_load_profiles), the hotspot classes
 * set up meanwhile, then report on them. */
static int run(cli_options *o)
{
	cv_profile *p;
	char *name = NULL;
	cli_hotspots_job hot;
	cli_tune_memory(o);
	int rc = cli_hotspots_start(&hot, o);
	if (rc)
		return rc;
	rc = cli_load_profiles(&p, &name, o);
	int hot_rc = cli_hotspots_finish(&hot);
	if (rc == 0 && hot_rc) {
		cv_profile_free(p);
		rc = hot_rc;
	}
	if (rc == 0)
		rc = report(o, p, name ? name : o->sources[0]);
	free(name);
	return rc;
}

int main(int argc, char **argv)
{
	/* `callviz fetch ...` only saves an endpoint's body; see fetch_cmd.c. */
	if (argc > 1 && !strcmp(argv[1], "fetch"))
		return cli_fetch_command(argc - 1, argv + 1);
	/* `callviz batch ...` renders many reports at once; see batch.c. */
	if (argc > 1 && !strcmp(argv[1], "batch"))
		return cli_batch_command(argc - 1, argv + 1);
	cli_options o;
	int rc = cli_parse(&o, argc, argv);
	if (rc) {
		free(o.sources);
		cli_hotspots_release(&o);
		return rc;
	}
	if (o.help) {
		cli_usage(stdout);
	} else if (o.version) {
		printf("callviz %s\n", cv_version());
	} else if (o.n_sources == 0) {
		fprintf(stderr, "callviz: no profile given\ncallviz: run 'callviz -h' for usage\n");
		rc = EXIT_USAGE;
	} else if (o.format && !o.http) {
		rc = run(&o);
	} else if ((rc = cli_hotspots_setup(&o)) == 0) {
		/* -http serves every view (web.c); no format opens pprof's
		 * interactive shell (shell.c). */
		rc = o.http ? cli_web(&o) : cli_shell(&o);
	}
	free(o.sources);
	cli_hotspots_release(&o);
	return rc;
}
