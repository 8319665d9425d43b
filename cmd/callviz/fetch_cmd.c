/*
 * `callviz fetch URL -o FILE`: save what an endpoint returns, byte for
 * byte, without reading it as a profile; so any endpoint works, including
 * an execution trace (/debug/pprof/trace).
 */
#include <stdio.h>
#include <stdlib.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "pipeline.h"

static int usage(const char *msg)
{
	fprintf(stderr, "callviz: fetch: %s\n"
		"usage: callviz fetch [-seconds N] [-timeout N] URL -o FILE\n", msg);
	return EXIT_USAGE;
}

static int fetch_to_file(const cli_options *o, const char *source)
{
	cv_fetch_target t;
	int rc = cv_fetch_resolve(&t, source, o->seconds, o->timeout);
	if (rc == 0)
		return usage("the source is not a URL (want http://host:port/path, host:port[/path])");
	if (rc < 0) {
		fprintf(stderr, "callviz: %s: %s\n", source, cv_error_last());
		return EXIT_FAILED;
	}
	cv_load_options lo;
	cli_load_options(o, &lo);
	cv_fetch_result r = {0};
	rc = cv_load_fetch(&r, &t, &lo);
	if (rc == 0)
		rc = cli_write_file(o->output, r.data, r.len);
	if (rc)
		fprintf(stderr, "callviz: %s: %s\n", t.url, cv_error_last());
	cv_fetch_result_free(&r);
	cv_fetch_target_free(&t);
	return rc ? EXIT_FAILED : 0;
}

int cli_fetch_command(int argc, char **argv)
{
	cli_options o;
	int rc = cli_parse(&o, argc, argv);
	if (rc == 0) {
		if (o.help)
			printf("usage: callviz fetch [-seconds N] [-timeout N] URL -o FILE\n"
			       "Saves the body of a profile endpoint (any, including trace) as is.\n");
		else if (o.format)
			rc = usage("takes no output format: it saves the body as the server sent it");
		else if (o.n_sources != 1)
			rc = usage("give exactly one URL");
		else if (!o.output)
			rc = usage("give the file to save in with -o FILE");
		else
			rc = fetch_to_file(&o, o.sources[0]);
	}
	free(o.sources);
	return rc;
}
