/* Granularity names, as pprof's flags and its shell spell them. */
#include <string.h>

#include "callviz/error.h"
#include "callviz/graph.h"

static const char *const granularities[] = {
	[CV_GRAN_FUNCTIONS] = "functions",
	[CV_GRAN_FILEFUNCTIONS] = "filefunctions",
	[CV_GRAN_FILES] = "files",
	[CV_GRAN_LINES] = "lines",
	[CV_GRAN_ADDRESSES] = "addresses",
};

const char *cv_granularity_name(cv_granularity g)
{
	size_t i = (size_t)g;
	return i < sizeof(granularities) / sizeof(granularities[0]) ? granularities[i] : "functions";
}

int cv_granularity_parse(const char *name, cv_granularity *g)
{
	for (size_t i = 0; i < sizeof(granularities) / sizeof(granularities[0]); i++) {
		if (name && !strcmp(granularities[i], name)) {
			*g = (cv_granularity)i;
			return 0;
		}
	}
	return cv_error_set(CV_ENOTFOUND, "unknown granularity %s", name ? name : "(none)");
}
