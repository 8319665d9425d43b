/*
 * Sources: every place that takes a profile takes a file name, "-" or a
 * URL, decided by go tool pprof's rules. Profiles fetched over HTTP are
 * saved, as pprof saves them, so the data outlives the service.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "fetching.h"

/* Say what came instead of a profile when the server named it. */
static void explain_not_profile(const cv_fetch_result *r, const char *url)
{
	const char *ct = r->content_type;
	if (!ct[0] || !strncmp(ct, "application/octet-stream", 24))
		return;
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", cv_error_last());
	size_t n = strcspn(ct, ";");
	const char *debug = strstr(url, "debug=");
	bool text_dump = debug && strncmp(debug, "debug=0", 7) && !strncmp(ct, "text/plain", 10);
	cv_error_set(CV_EFORMAT, "%s; the server sent %.*s%s", msg, (int)n, ct,
		     text_dump ? ": leave out debug=N for a profile" : "");
}

static void save(const cv_profile *p, const cv_fetch_result *r, const char *url)
{
	char *path;
	if (cv_fetch_save(&path, p, r->data, r->len, NULL)) {
		fprintf(stderr, "callviz: %s: could not save profile: %s\n", url, cv_error_last());
		return;
	}
	fprintf(stderr, "Saved profile in %s\n", path);
	free(path);
}

static int load_url(cv_profile **out, const cv_fetch_target *t,
		    const cv_profile_parse_options *po, bool save_it)
{
	cv_fetch_result r;
	int rc = cli_fetch(&r, t, po->max_bytes);
	if (rc)
		return rc;
	rc = cv_profile_parse_ext(out, r.data, r.len, po);
	if (rc)
		explain_not_profile(&r, t->url);
	else if (save_it)
		save(*out, &r, t->url);
	cv_fetch_result_free(&r);
	return rc;
}

int cli_source_load(cv_profile **out, char **name, const cli_options *o, const char *source)
{
	return cli_source_load_ext(out, name, o, source, NULL);
}

int cli_source_load_ext(cv_profile **out, char **name, const cli_options *o,
			const char *source, bool *remote)
{
	*out = NULL;
	cv_profile_parse_options po;
	cv_profile_parse_options_init(&po);
	if (o->max_bytes)
		po.max_bytes = o->max_bytes;
	cv_fetch_target t;
	int rc = cv_fetch_resolve(&t, source, o->seconds, o->timeout);
	if (rc == 1) {
		*name = strdup(t.url);
		if (remote)
			*remote = true;
		rc = load_url(out, &t, &po, remote == NULL);
		cv_fetch_target_free(&t);
		return rc;
	}
	*name = strdup(source);
	if (rc < 0)
		return rc;
	return cv_profile_read_ext(out, source, &po);
}
