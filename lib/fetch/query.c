/*
 * Query strings as Go's net/url rewrites them: go tool pprof parses the
 * query into url.Values and encodes it back, so the URL it requests (and
 * prints) has sorted, canonically escaped pairs. callviz requests the same
 * URL, so servers see the same thing from both tools.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "fetch/fetch_internal.h"
#include "util/alloc.h"

typedef struct pair {
	char *key, *value;
	size_t order;       /* position in the raw query, keeps sorting stable */
} pair;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* url.QueryUnescape: "+" is a space; a malformed escape rejects the part. */
static char *unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				errno = EINVAL;
				return NULL;
			}
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[n++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	out[n] = '\0';
	return out;
}

/* url.QueryEscape. */
static void escape(cv_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			cv_strbuf_putc(sb, (char)c);
		} else if (c == ' ') {
			cv_strbuf_putc(sb, '+');
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			cv_strbuf_append(sb, e, 3);
		}
	}
}

static int by_key(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void free_pairs(pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].key);
		free(pairs[i].value);
	}
	free(pairs);
}

/* Split the raw query into decoded pairs, dropping what Go would drop. */
static int split(pair **out, size_t *n_out, const char *raw, size_t len)
{
	pair *pairs = calloc(len / 2 + 2, sizeof(*pairs));
	if (!pairs)
		return cv_error_nomem();
	size_t n = 0;
	for (size_t start = 0; start <= len;) {
		const char *amp = memchr(raw + start, '&', len - start);
		size_t end = amp ? (size_t)(amp - raw) : len;
		const char *part = raw + start;
		size_t plen = end - start;
		start = end + 1;
		if (plen == 0 || memchr(part, ';', plen))
			continue;
		const char *eq = memchr(part, '=', plen);
		errno = 0;
		size_t klen = eq ? (size_t)(eq - part) : plen;
		char *k = unescape(part, klen);
		char *v = eq ? unescape(eq + 1, plen - klen - 1) : strdup("");
		if (!k || !v) {
			bool oom = errno != EINVAL;
			free(k);
			free(v);
			if (oom) {
				free_pairs(pairs, n);
				return cv_error_nomem();
			}
			continue;
		}
		pairs[n] = (pair){k, v, n};
		n++;
	}
	*out = pairs;
	*n_out = n;
	return 0;
}

/* strconv.ParseInt(v, 10, 32): optional sign, digits only, in int32 range. */
static long parse_int32(const char *v)
{
	const char *d = v + (*v == '+' || *v == '-');
	if (!*d)
		return 0;
	for (const char *c = d; *c; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	errno = 0;
	long long x = strtoll(v, NULL, 10);
	if (errno || x > INT32_MAX || x < INT32_MIN)
		return 0;
	return (long)x;
}

int cv_fetch_rewrite_query(cv_strbuf *out, const char *raw, size_t len,
			   int seconds, long *url_seconds)
{
	pair *pairs = NULL;
	size_t n = 0;
	int rc = split(&pairs, &n, raw, len);
	if (rc)
		return rc;
	*url_seconds = 0;
	size_t kept = 0;
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		bool is_seconds = !strcmp(pairs[i].key, "seconds");
		if (is_seconds && !found && seconds <= 0)
			*url_seconds = parse_int32(pairs[i].value);
		found |= is_seconds;
		if (is_seconds && seconds > 0) {
			free(pairs[i].key);
			free(pairs[i].value);
			continue;
		}
		pairs[kept++] = pairs[i];
	}
	n = kept;
	if (seconds > 0) {
		char num[16];
		snprintf(num, sizeof(num), "%d", seconds);
		pairs[n].key = strdup("seconds");
		pairs[n].value = strdup(num);
		pairs[n].order = n;
		n++;
		if (!pairs[n - 1].key || !pairs[n - 1].value) {
			free_pairs(pairs, n);
			return cv_error_nomem();
		}
	}
	qsort(pairs, n, sizeof(*pairs), by_key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			cv_strbuf_putc(out, '&');
		escape(out, pairs[i].key);
		cv_strbuf_putc(out, '=');
		escape(out, pairs[i].value);
	}
	free_pairs(pairs, n);
	return cv_strbuf_failed(out) ? cv_error_nomem() : 0;
}
