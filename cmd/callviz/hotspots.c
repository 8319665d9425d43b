/*
 * The hotspot class table the command line asks for: -highlight classes
 * first (so they win when a function matches a built-in class too), then
 * the built-in classes, a file's classes, or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "util/task.h"

static int failed(const char *source)
{
	fprintf(stderr, "callviz: %s: %s\n", source, cv_error_last());
	return EXIT_FAILED;
}

int cli_hotspots_setup(cli_options *o)
{
	const char *spec = o->hotspots ? o->hotspots : "builtin";
	bool none = !strcmp(spec, "none");
	o->hotspot_table = NULL;
	if (none && o->highlight.n == 0)
		return 0;
	cv_hotspots *h;
	if (!spec[0]) {
		cv_error_set(CV_EINVAL, "want -hotspots=FILE, -hotspots=none or -hotspots=builtin");
		return failed("-hotspots");
	}
	if (cv_hotspot_new(&h))
		return failed("hotspots");
	o->hotspot_table = h;
	for (int i = 0; i < o->highlight.n; i++)
		if (cv_hotspot_highlight(h, o->highlight.items[i]))
			return failed("-highlight");
	if (!strcmp(spec, "builtin") || !strcmp(spec, "default")) {
		if (cv_hotspot_add_builtin(h))
			return failed("hotspots");
	} else if (!none && cv_hotspot_load(h, spec)) {
		return failed(spec);
	}
	return 0;
}

void cli_hotspots_release(cli_options *o)
{
	cv_hotspot_free(o->hotspot_table);
	o->hotspot_table = NULL;
	free(o->highlight.items);
	o->highlight.items = NULL;
	o->highlight.n = 0;
}

static void setup_run(void *arg)
{
	cli_hotspots_job *j = arg;
	j->rc = cli_hotspots_setup(j->o);
}

int cli_hotspots_start(cli_hotspots_job *j, cli_options *o)
{
	*j = (cli_hotspots_job){.o = o};
	bool builtin_only = o->highlight.n == 0 &&
			    (!o->hotspots || !strcmp(o->hotspots, "builtin") ||
			     !strcmp(o->hotspots, "default"));
	cv_task *t = builtin_only ? malloc(sizeof(*t)) : NULL;
	if (!t)
		return j->rc = cli_hotspots_setup(o);
	j->task = t;
	cv_task_start(t, setup_run, j);
	return 0;
}

int cli_hotspots_finish(cli_hotspots_job *j)
{
	if (j->task) {
		cv_task_join(j->task);
		free(j->task);
		j->task = NULL;
	}
	return j->rc;
}
