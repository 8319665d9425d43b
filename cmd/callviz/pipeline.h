#ifndef CALLVIZ_CLI_PIPELINE_H
#define CALLVIZ_CLI_PIPELINE_H

#include "callviz/callviz.h"
#include "cli.h"

/*
 * A loaded profile made ready for a report: compacted, pruned, commented,
 * label frames added and filtered, with the report options the flags ask
 * for. ro.active_filters points into the struct itself: use it in place.
 */
typedef struct cli_prepared {
	cv_report_options ro;
	const char *filters[16];
	char store[4096];
} cli_prepared;

/*
 * Everything the command line does to p before the report itself, in
 * go tool pprof's order, for o->sample_index (and o->format: some reports
 * see trimmed source paths). Prints "callviz: SOURCE: message" on failure
 * and returns EXIT_FAILED; 0 on success. p is changed, not freed.
 */
int cli_prepare(cli_prepared *pr, const cli_options *o, cv_profile *p, const char *source);

/* cli_prepare, then the report o->format names into *data (malloc'd). */
int cli_render(char **data, size_t *len, const cli_options *o, cv_profile *p,
	       const char *source);

#endif
