/*
 * Print the hotspot class table, one "NAME<TAB>PATTERN" line per class:
 * the built-in classes, or those of the -highlight specs given as
 * arguments. check_shares.py hands each pattern to go tool pprof -focus.
 */
#include <stdio.h>

#include "callviz/error.h"
#include "callviz/hotspot.h"

int main(int argc, char **argv)
{
	cv_hotspots *h;
	int rc = cv_hotspot_new(&h);
	for (int i = 1; !rc && i < argc; i++)
		rc = cv_hotspot_highlight(h, argv[i]);
	if (!rc && argc == 1)
		rc = cv_hotspot_add_builtin(h);
	if (rc) {
		fprintf(stderr, "hotspot_patterns: %s\n", cv_error_last());
		cv_hotspot_free(h);
		return 1;
	}
	for (size_t i = 0; i < cv_hotspot_count(h); i++) {
		const cv_hotspot_class *c = cv_hotspot_get(h, i);
		printf("%s\t%s\n", c->name, c->pattern);
	}
	cv_hotspot_free(h);
	return 0;
}
