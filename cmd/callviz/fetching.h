#ifndef CALLVIZ_FETCHING_H
#define CALLVIZ_FETCHING_H

#include "callviz/fetch.h"

/*
 * Fetch a resolved target as the command line does: with a countdown on
 * stderr while a timed profile is collected (only when stderr is a
 * terminal), and with hints added to messages a user can act on. A body
 * that could not inflate to max_bytes or less (-max_bytes; 0: the
 * library's default) is refused while it arrives.
 */
int cli_fetch(cv_fetch_result *res, const cv_fetch_target *t, size_t max_bytes);

#endif
