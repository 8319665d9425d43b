/* The -comments report: every comment of the profile, one per line. */
#include "callviz/error.h"
#include "callviz/report.h"
#include "util/options.h"

int cv_report_comments(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_REPORT_OPTIONS_VERSION, "cv_report_options");
	if (vrc)
		return vrc;
	(void)o; /* every comment is printed, '#' ones included, whatever the options */
	for (size_t i = 0; i < p->n_comments; i++)
		if (fprintf(out, "%s\n", p->comments[i]) < 0)
			return cv_error_set(CV_EIO, "write failed");
	return 0;
}
