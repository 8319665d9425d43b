/* The -comments report: every comment of the profile, one per line. */
#include "callviz/error.h"
#include "callviz/report.h"

int cv_report_comments(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	(void)o; /* every comment is printed, '#' ones included, whatever the options */
	for (size_t i = 0; i < p->n_comments; i++)
		if (fprintf(out, "%s\n", p->comments[i]) < 0)
			return cv_error_set(CV_EIO, "write failed");
	return 0;
}
