#include "callviz/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One message per thread, in the manner of libgit2's git_error_last(). */
static _Thread_local char last_error[1024];

const char *cv_error_last(void)
{
	return last_error;
}

void cv_error_clear(void)
{
	last_error[0] = '\0';
}

/*
 * Messages quote names from profiles and URLs, which may hold newlines and
 * terminal escapes; an error is one line, so control characters become
 * spaces.
 */
int cv_error_set(int code, const char *fmt, ...)
{
	/* Formatted apart first: an argument may be cv_error_last() itself. */
	char text[sizeof(last_error)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	memcpy(last_error, text, sizeof(text));
	for (char *c = last_error; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return code;
}
