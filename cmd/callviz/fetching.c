/*
 * What a user watches while a service collects a timed profile: a
 * countdown on stderr, redrawn in place, when stderr is a terminal.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "fetching.h"

/* Whether a countdown line is on the screen, to be cleared at the end. */
static _Atomic bool drawn;

void cli_fetch_progress(void *data, const cv_fetch_target *t, double elapsed, uint64_t received)
{
	if (elapsed < 0) {
		if (drawn) {
			fprintf(stderr, "\r\033[K");
			fflush(stderr);
			drawn = false;
		}
		return;
	}
	if (t->seconds <= 0 || !isatty(STDERR_FILENO))
		return;
	int left = t->seconds - (int)elapsed;
	/* \r redraws in place; \033[K clears what a longer line left behind. */
	if (left > 0)
		fprintf(stderr, "\rFetching profile over HTTP from %s, %ds left\033[K", t->url, left);
	else
		fprintf(stderr, "\rFetching profile over HTTP from %s, receiving%s\033[K", t->url,
			received ? " data" : "");
	fflush(stderr);
	drawn = true;
}
