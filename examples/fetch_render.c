/*
 * Fetch a profile from a live service's net/http/pprof endpoint and
 * render its call graph, as `callviz -svg -seconds=N -o OUT URL` does:
 * the URL is completed by go tool pprof's rules ("host:port" means its
 * CPU profile), a timed profile shows a countdown, and what was fetched
 * is saved where pprof saves it ($PPROF_TMPDIR, else ~/pprof).
 *
 *   fetch_render URL OUT.svg [SECONDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <callviz/callviz.h>

static void countdown(void *data, const cv_fetch_target *t, double elapsed, uint64_t received)
{
	if (elapsed >= 0 && t->seconds > 0)
		fprintf(stderr, "\rfetching %s: %.0f of %d s", t->url, elapsed, t->seconds);
	else if (elapsed < 0 && t->seconds > 0)
		fprintf(stderr, "\n");
}

static void print_message(void *data, cv_message_kind kind, const char *subject,
			  const char *text)
{
	fprintf(stderr, "%s\n", text);
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
	if (argc < 3) {
		fprintf(stderr, "usage: fetch_render URL OUT.svg [SECONDS]\n");
		return 2;
	}
	cv_load_options lo;
	cv_load_options_init(&lo);
	lo.seconds = argc > 3 ? atoi(argv[3]) : 0;
	lo.progress = countdown;
	lo.message = print_message;

	cv_profile *p;
	char *name;
	if (cv_load_sources(&p, &name, (const char *const *)&argv[1], 1, &lo)) {
		fprintf(stderr, "fetch_render: %s: %s\n", name ? name : argv[1], cv_error_last());
		free(name);
		return 1;
	}
	cv_view_options o;
	cv_view_options_init(&o);
	o.format = "svg";
	char *svg;
	size_t len;
	int rc = cv_view_report(&svg, &len, p, &o);
	if (rc)
		fprintf(stderr, "fetch_render: %s: %s\n", name, cv_error_last());
	else if ((rc = write_file(argv[2], svg, len)))
		perror(argv[2]);
	free(svg);
	free(name);
	cv_profile_free(p);
	return rc ? 1 : 0;
}
