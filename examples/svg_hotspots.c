/*
 * Render a call graph to SVG with callviz's hotspot classes marked
 * (allocation, GC, syscalls, locks, scheduling) and a class of the
 * caller's own, as `callviz -svg -highlight=json=encoding/json -o OUT
 * SOURCE` does.
 *
 *   svg_hotspots SOURCE OUT.svg
 */
#include <stdio.h>
#include <stdlib.h>

#include <callviz/callviz.h>

static int fail(const char *what)
{
	fprintf(stderr, "svg_hotspots: %s: %s\n", what, cv_error_last());
	return 1;
}

/* The -highlight class first, then the built-in ones, as the CLI orders them. */
static int hotspot_classes(cv_hotspots **h)
{
	if (cv_hotspot_new(h))
		return -1;
	if (cv_hotspot_highlight(*h, "json=encoding/json") || cv_hotspot_add_builtin(*h)) {
		cv_hotspot_free(*h);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(data, 1, len, f);
	return fclose(f) != 0 || n != len ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: svg_hotspots SOURCE OUT.svg\n");
		return 2;
	}
	cv_hotspots *classes;
	if (hotspot_classes(&classes))
		return fail("hotspot classes");
	cv_profile *p;
	char *name;
	if (cv_load_sources(&p, &name, (const char *const *)&argv[1], 1, NULL)) {
		cv_hotspot_free(classes);
		return fail(argv[1]);
	}
	cv_view_options o;
	cv_view_options_init(&o);
	o.format = "svg";
	o.hotspots = classes;

	char *svg;
	size_t len;
	int rc = cv_view_report(&svg, &len, p, &o);
	if (rc)
		fail(name);
	else if ((rc = write_file(argv[2], svg, len)))
		perror(argv[2]);
	free(svg);
	free(name);
	cv_profile_free(p);
	cv_hotspot_free(classes);
	return rc ? 1 : 0;
}
