#ifndef CV_UTIL_STRBUF_H
#define CV_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A growable string. Appends never fail visibly: on allocation failure the
 * buffer is marked failed and later appends do nothing, so callers check
 * once (cv_strbuf_failed) at the end instead of after every append.
 */
typedef struct cv_strbuf {
	char *buf;
	size_t len, cap;
	bool failed;
} cv_strbuf;

#define CV_STRBUF_INIT {NULL, 0, 0, false}

void cv_strbuf_append(cv_strbuf *sb, const char *s, size_t len);
void cv_strbuf_puts(cv_strbuf *sb, const char *s);
void cv_strbuf_putc(cv_strbuf *sb, char c);
void cv_strbuf_printf(cv_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool cv_strbuf_failed(const cv_strbuf *sb);
/* Give the NUL-terminated buffer to the caller (free with free()). */
char *cv_strbuf_detach(cv_strbuf *sb, size_t *len);
void cv_strbuf_free(cv_strbuf *sb);

#endif
