/*
 * Merge profiles and compare them with a base, as go tool pprof does:
 * `merge_diff BASE SOURCE...` prints the top table of the merged sources
 * (`callviz -top SOURCE...`), then what changed against BASE with the
 * percentages of BASE's total (`callviz -top -diff_base=BASE SOURCE...`).
 * Warnings (a source that failed while others loaded) go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>

#include <callviz/callviz.h>

static void print_message(void *data, cv_message_kind kind, const char *subject,
			  const char *text)
{
	fprintf(stderr, "merge_diff: %s%s%s\n", subject ? subject : "", subject ? ": " : "", text);
}

/* Load `sources` (against `base` unless NULL) and print their top table. */
static int top(const char *const *sources, size_t n, const char *base)
{
	cv_load_options lo;
	cv_load_options_init(&lo);
	lo.base = base;
	lo.diff_base = true;
	lo.message = print_message;

	cv_profile *p;
	char *name;
	if (cv_load_sources(&p, &name, sources, n, &lo)) {
		fprintf(stderr, "merge_diff: %s: %s\n", name ? name : "sources", cv_error_last());
		free(name);
		return 1;
	}
	cv_view_options o;
	cv_view_options_init(&o);
	o.format = "top";
	o.node_count = 10;
	o.subject = name;
	o.message = print_message;

	char *text;
	size_t len;
	int rc = cv_view_report(&text, &len, p, &o);
	if (rc == 0)
		fwrite(text, 1, len, stdout);
	else
		fprintf(stderr, "merge_diff: %s: %s\n", name, cv_error_last());
	free(text);
	free(name);
	cv_profile_free(p);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: merge_diff BASE SOURCE...\n");
		return 2;
	}
	const char *const *sources = (const char *const *)&argv[2];
	size_t n = (size_t)argc - 2;
	if (top(sources, n, NULL))
		return 1;
	printf("\n");
	return top(sources, n, argv[1]);
}
