/*
 * Messages the library has for its caller besides a result: pprof's
 * notes and warnings, sources that failed while others loaded. The
 * library never prints; the caller's callback decides where they go.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/message.h"

void cv_message(cv_message_fn fn, void *data, cv_message_kind kind, const char *subject,
		const char *fmt, ...)
{
	if (!fn)
		return;
	char buf[2048], *text = buf;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A long message (a list of label units, a long URL) is kept whole. */
	if (n >= (int)sizeof(buf)) {
		va_start(ap, fmt);
		if (vasprintf(&text, fmt, ap) < 0)
			text = buf;
		va_end(ap);
	}
	fn(data, kind, subject, text);
	if (text != buf)
		free(text);
}
