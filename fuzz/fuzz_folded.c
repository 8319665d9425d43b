/*
 * The collapsed-stack reader ("root;caller;leaf count" lines, flamegraph.pl's
 * input): whatever it accepts must be a profile the reports can use, so the
 * result goes through -top's graph and the DOT writer too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "callviz/callviz.h"
#include "profile/folded.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_folded_detect(data, size);
	cv_profile *p;
	if (cv_folded_parse(&p, data, size) != 0)
		return 0;
	/* As the decoder does for every input format. */
	if (cv_profile_check_limits(p) != 0) {
		cv_profile_free(p);
		return 0;
	}
	cv_report_options ro;
	cv_report_options_init(&ro);
	ro.sample_index = 0;
	if (p->n_sample_types > 0) {
		cv_report_top(devnull, p, &ro);
		char *dot = NULL;
		size_t len;
		cv_report_dot_string(&dot, &len, p, &ro);
		free(dot);
	}
	cv_profile_free(p);
	return 0;
}
