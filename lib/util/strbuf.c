#include "util/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static bool reserve(cv_strbuf *sb, size_t extra)
{
	if (sb->failed)
		return false;
	if (extra >= SIZE_MAX - sb->len) {
		cv_error_set(CV_ENOMEM, "out of memory: a string of %zu + %zu bytes", sb->len, extra);
		sb->failed = true;
		return false;
	}
	if (CV_GROW(sb->buf, sb->cap, sb->len + extra + 1, 256)) {
		sb->failed = true;
		return false;
	}
	return true;
}

void cv_strbuf_append(cv_strbuf *sb, const char *s, size_t len)
{
	if (!reserve(sb, len))
		return;
	memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void cv_strbuf_puts(cv_strbuf *sb, const char *s)
{
	cv_strbuf_append(sb, s, strlen(s));
}

void cv_strbuf_putc(cv_strbuf *sb, char c)
{
	cv_strbuf_append(sb, &c, 1);
}

void cv_strbuf_printf(cv_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

bool cv_strbuf_failed(const cv_strbuf *sb)
{
	return sb->failed;
}

char *cv_strbuf_detach(cv_strbuf *sb, size_t *len)
{
	/* An untouched buffer still hands out a valid empty string. */
	if (!sb->buf && reserve(sb, 0))
		sb->buf[0] = '\0';
	char *b = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return b;
}

void cv_strbuf_free(cv_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
