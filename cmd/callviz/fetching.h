#ifndef CALLVIZ_FETCHING_H
#define CALLVIZ_FETCHING_H

#include "callviz/view.h"

/* cv_load_options.progress for the command line: the countdown on stderr. */
void cli_fetch_progress(void *data, const cv_fetch_target *t, double elapsed, uint64_t received);

#endif
