/*
 * Sources: every place that takes a profile takes a file name, "-" or a
 * URL, decided by go tool pprof's rules. Profiles fetched over HTTP are
 * saved, as pprof saves them, so the data outlives the service.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "load/load_internal.h"
#include "trace/trace_load.h"
#include "util/message.h"

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

void load_save(const cv_load_options *o, const cv_profile *p, const void *data, size_t len,
	       const char *name)
{
	char *path;
	if (cv_fetch_save(&path, p, data, len, NULL)) {
		cv_message(o->message, o->message_data, CV_MSG_ERROR, name,
			   "could not save profile: %s", cv_error_last());
		return;
	}
	cv_message(o->message, o->message_data, CV_MSG_NOTE, name, "Saved profile in %s", path);
	free(path);
}

/* Progress of one fetch, passed on with its target. */
typedef struct progress {
	const cv_load_options *o;
	const cv_fetch_target *t;
} progress;

static int tick(void *data, double elapsed, uint64_t received)
{
	progress *pr = data;
	pr->o->progress(pr->o->progress_data, pr->t, elapsed, received);
	return 0;
}

static void append_hint(const char *hint)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", cv_error_last());
	cv_error_set(CV_ENET, "%s%s", msg, hint);
}

/* gzip never shrinks incompressible data by more than its framing: a
 * body this much over the limit cannot inflate to within it. */
static size_t body_limit(size_t max_bytes)
{
	size_t slack = max_bytes / 512 + 64;
	return max_bytes > SIZE_MAX - slack ? SIZE_MAX : max_bytes + slack;
}

int cv_load_fetch(cv_fetch_result *res, const cv_fetch_target *t, const cv_load_options *o)
{
	cv_fetch_options fo;
	cv_fetch_options_init(&fo);
	fo.timeout = t->timeout;
	fo.insecure = t->insecure;
	if (o->max_bytes)
		fo.max_bytes = body_limit(o->max_bytes);
	progress pr = {o, t};
	if (o->progress) {
		fo.progress = tick;
		fo.progress_data = &pr;
	}
	int rc = cv_fetch_url(res, t->url, &fo);
	if (o->progress)
		o->progress(o->progress_data, t, -1, 0);
	if (rc == CV_ENET && !strncmp(cv_error_last(), "timed out", 9))
		append_hint("; raise -timeout");
	if (rc == CV_ENET && !strncmp(cv_error_last(), "response larger than", 20))
		append_hint("; raise -max_bytes");
	return rc;
}

static int load_url(cv_profile **out, const cv_fetch_target *t, const cv_load_options *o,
		    const cv_profile_parse_options *po, bool save_it)
{
	cv_fetch_result r;
	int rc = cv_load_fetch(&r, t, o);
	if (rc)
		return rc;
	bool trace = trace_sniff(r.data, r.len);
	rc = trace ? trace_load_mem(out, r.data, r.len, o, t->url)
		   : cv_profile_parse_ext(out, r.data, r.len, po);
	if (rc && !trace)
		explain_not_profile(&r, t->url);
	else if (save_it && o->save_fetched)
		load_save(o, *out, r.data, r.len, t->url);
	cv_fetch_result_free(&r);
	return rc;
}

/* Standard input, a pipe or a FIFO is read whole: a trace or a profile
 * (what a look at its start took could not be read again). */
static int load_stream(cv_profile **out, int fd, const cv_load_options *o,
		       const cv_profile_parse_options *po)
{
	uint8_t *buf;
	size_t len;
	int rc = trace_read_all(fd, &buf, &len, o->max_bytes);
	if (rc)
		return rc;
	rc = trace_sniff(buf, len) ? trace_load_mem(out, buf, len, o, "-")
				   : cv_profile_parse_ext(out, buf, len, po);
	free(buf);
	return rc;
}

int load_source(cv_profile **out, char **name, const cv_load_options *o, const char *source,
		bool *remote)
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
		rc = load_url(out, &t, o, &po, remote == NULL);
		cv_fetch_target_free(&t);
		return rc;
	}
	*name = strdup(source);
	if (rc < 0)
		return rc;
	if (strcmp(source, "-") == 0)
		return load_stream(out, STDIN_FILENO, o, &po);
	struct stat st;
	if (stat(source, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		int fd = open(source, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cv_error_set(CV_EIO, "%s", strerror(errno));
		rc = load_stream(out, fd, o, &po);
		close(fd);
		return rc;
	}
	if (trace_sniff_file(source))
		return trace_load_file(out, source, o);
	return cv_profile_read_ext(out, source, &po);
}
