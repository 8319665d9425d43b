/*
 * Any report of any sources, as `callviz -FORMAT -hotspots=none SOURCE...`
 * writes it: the smallest complete use of the library's entry point.
 *
 *   report FORMAT SOURCE...      (FORMAT: top, traces, raw, dot, svg, ...)
 */
#include <stdio.h>
#include <stdlib.h>

#include <callviz/callviz.h>

/* Notes and warnings worded as the command line prints them. */
static void print_message(void *data, cv_message_kind kind, const char *subject,
			  const char *text)
{
	if (kind == CV_MSG_NOTE)
		fprintf(stderr, "%s\n", text);
	else
		fprintf(stderr, "report: %s: %s\n", subject ? subject : "", text);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: report FORMAT SOURCE...\n");
		return 2;
	}
	cv_load_options lo;
	cv_load_options_init(&lo);
	lo.message = print_message;
	cv_profile *p;
	char *name;
	if (cv_load_sources(&p, &name, (const char *const *)&argv[2], (size_t)argc - 2, &lo)) {
		fprintf(stderr, "report: %s: %s\n", name ? name : argv[2], cv_error_last());
		free(name);
		return 1;
	}
	cv_view_options o;
	cv_view_options_init(&o);
	o.format = argv[1];
	o.subject = name;
	o.message = print_message;
	char *out;
	size_t len;
	int rc = cv_view_report(&out, &len, p, &o);
	if (rc == 0)
		fwrite(out, 1, len, stdout);
	else
		fprintf(stderr, "report: %s: %s\n", name, cv_error_last());
	free(out);
	free(name);
	cv_profile_free(p);
	return rc ? 1 : 0;
}
