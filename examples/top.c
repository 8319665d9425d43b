/*
 * Print go tool pprof's top table of a profile, as `callviz -top -cum
 * -nodecount=N SOURCE` does: the library's one entry point does the
 * loading and pprof's rules, the program only picks the options.
 *
 *   top SOURCE [N]
 */
#include <stdio.h>
#include <stdlib.h>

#include <callviz/callviz.h>

static int fail(const char *what)
{
	fprintf(stderr, "top: %s: %s\n", what, cv_error_last());
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: top SOURCE [N]\n");
		return 2;
	}
	cv_profile *p;
	char *name;
	if (cv_load_sources(&p, &name, (const char *const *)&argv[1], 1, NULL))
		return fail(argv[1]);

	cv_view_options o;
	cv_view_options_init(&o);
	o.format = "top";
	o.cum_sort = true;
	o.node_count = argc > 2 ? atoi(argv[2]) : 10;

	char *text;
	size_t len;
	int rc = cv_view_report(&text, &len, p, &o);
	if (rc == 0)
		fwrite(text, 1, len, stdout);
	else
		fail(name);
	free(text);
	free(name);
	cv_profile_free(p);
	return rc ? 1 : 0;
}
