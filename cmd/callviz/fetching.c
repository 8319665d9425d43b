/*
 * Fetching from the command line: the countdown a user watches while a
 * service collects a timed profile, and hints on the errors that have an
 * obvious next step.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "callviz/callviz.h"
#include "fetching.h"

typedef struct countdown {
	const char *url;
	int seconds;
	bool drawn;
} countdown;

static int tick(void *data, double elapsed, uint64_t received)
{
	countdown *c = data;
	int left = c->seconds - (int)elapsed;
	/* \r redraws in place; \033[K clears what a longer line left behind. */
	if (left > 0)
		fprintf(stderr, "\rFetching profile over HTTP from %s, %ds left\033[K", c->url, left);
	else
		fprintf(stderr, "\rFetching profile over HTTP from %s, receiving%s\033[K", c->url,
			received ? " data" : "");
	fflush(stderr);
	c->drawn = true;
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

int cli_fetch(cv_fetch_result *res, const cv_fetch_target *t, size_t max_bytes)
{
	cv_fetch_options fo;
	cv_fetch_options_init(&fo);
	fo.timeout = t->timeout;
	fo.insecure = t->insecure;
	if (max_bytes)
		fo.max_bytes = body_limit(max_bytes);
	countdown c = {t->url, t->seconds, false};
	if (t->seconds > 0 && isatty(STDERR_FILENO)) {
		fo.progress = tick;
		fo.progress_data = &c;
	}
	int rc = cv_fetch_url(res, t->url, &fo);
	if (c.drawn) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	if (rc == CV_ENET && !strncmp(cv_error_last(), "timed out", 9))
		append_hint("; raise -timeout");
	if (rc == CV_ENET && !strncmp(cv_error_last(), "response larger than", 20))
		append_hint("; raise -max_bytes");
	return rc;
}
