/*
 * Which sources are URLs, and what exactly to request: go tool pprof's
 * rules (cmd/pprof's adjustURL). A source is first parsed as Go's
 * url.Parse would; if that fails or finds a scheme but no host (as in
 * "localhost:6060", whose "scheme" is "localhost"), "http://" is put in
 * front and it is parsed again. Without a host it is a file name.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "callviz/error.h"
#include "callviz/fetch.h"
#include "fetch/fetch_internal.h"
#include "util/alloc.h"

/* The endpoint of net/http/pprof that a bare host:port means. */
#define CPU_PROFILE_PATH "/debug/pprof/profile"

typedef struct span {
	const char *s;
	size_t len;
} span;

typedef struct url_parts {
	span scheme, userinfo, host, path, query, fragment;
	bool has_userinfo, has_fragment;
	bool force_query;       /* a lone '?' at the end is kept, as Go keeps it */
} url_parts;

static bool in_set(unsigned char c, const char *set)
{
	return isalnum(c) || (c != '\0' && strchr(set, c) != NULL);
}

/* url.Parse's scheme: a letter, then letters, digits, "+-.", then ':'. */
static int get_scheme(span *scheme, span *rest, span s)
{
	*scheme = (span){s.s, 0};
	*rest = s;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.s[i];
		if (isalpha(c))
			continue;
		if (isdigit(c) || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				return 0;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return -1;  /* "missing protocol scheme" */
			*scheme = (span){s.s, i};
			*rest = (span){s.s + i + 1, s.len - i - 1};
		}
		return 0;
	}
	return 0;
}

/* A port is empty or ':' followed by digits only. */
static bool valid_port(span p)
{
	if (p.len == 0)
		return true;
	if (p.s[0] != ':')
		return false;
	for (size_t i = 1; i < p.len; i++)
		if (!isdigit((unsigned char)p.s[i]))
			return false;
	return true;
}

static int check_host(span h)
{
	span port = {h.s + h.len, 0};
	if (h.len && h.s[0] == '[') {
		const char *close = memchr(h.s, ']', h.len);
		if (!close)
			return -1;
		port = (span){close + 1, (size_t)(h.s + h.len - close - 1)};
	} else {
		for (size_t i = h.len; i-- > 0;)
			if (h.s[i] == ':') {
				port = (span){h.s + i, h.len - i};
				break;
			}
	}
	if (!valid_port(port))
		return -1;
	for (size_t i = 0; i < h.len; i++) {
		unsigned char c = (unsigned char)h.s[i];
		if (c < 0x80 && !in_set(c, "!$&'()*+,;=:[]<>\"-_.~"))
			return -1;
	}
	return 0;
}

static bool valid_escapes(span p)
{
	for (size_t i = 0; i < p.len; i++)
		if (p.s[i] == '%' && (i + 2 >= p.len || !isxdigit((unsigned char)p.s[i + 1]) ||
				      !isxdigit((unsigned char)p.s[i + 2])))
			return false;
	return true;
}

static int parse_authority(url_parts *u, span auth)
{
	const char *at = NULL;
	for (size_t i = 0; i < auth.len; i++)
		if (auth.s[i] == '@')
			at = auth.s + i;
	span host = auth;
	if (at) {
		u->userinfo = (span){auth.s, (size_t)(at - auth.s)};
		u->has_userinfo = true;
		for (size_t i = 0; i < u->userinfo.len; i++)
			if (!in_set((unsigned char)u->userinfo.s[i], "-._:~!$&'()*+,;=%@"))
				return -1;
		host = (span){at + 1, (size_t)(auth.s + auth.len - at - 1)};
	}
	u->host = host;
	return check_host(host);
}

/* Go's url.Parse, reduced to what decides URL-or-file. 0 ok, -1 rejected. */
static int parse_url(url_parts *u, const char *src)
{
	memset(u, 0, sizeof(*u));
	size_t len = strlen(src);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			return -1;
	const char *hash = memchr(src, '#', len);
	span rest, all = {src, hash ? (size_t)(hash - src) : len};
	if (hash) {
		u->has_fragment = true;
		u->fragment = (span){hash + 1, len - all.len - 1};
	}
	if (get_scheme(&u->scheme, &rest, all))
		return -1;
	const char *q = memchr(rest.s, '?', rest.len);
	if (q) {
		u->query = (span){q + 1, (size_t)(rest.s + rest.len - q - 1)};
		u->force_query = u->query.len == 0;
		rest.len = (size_t)(q - rest.s);
	}
	if (rest.len == 0 || rest.s[0] != '/') {
		if (u->scheme.len)
			return 0;  /* opaque, as in "localhost:6060": no host */
		const char *slash = memchr(rest.s, '/', rest.len);
		size_t seg = slash ? (size_t)(slash - rest.s) : rest.len;
		if (memchr(rest.s, ':', seg))
			return -1;
	}
	bool triple = rest.len >= 3 && !strncmp(rest.s, "///", 3);
	if ((u->scheme.len || !triple) && rest.len >= 2 && !strncmp(rest.s, "//", 2)) {
		span auth = {rest.s + 2, rest.len - 2};
		const char *slash = memchr(auth.s, '/', auth.len);
		if (slash)
			auth.len = (size_t)(slash - auth.s);
		if (parse_authority(u, auth))
			return -1;
		rest = (span){auth.s + auth.len, (size_t)(rest.s + rest.len - auth.s - auth.len)};
	}
	u->path = rest;
	return valid_escapes(rest) ? 0 : -1;
}

static int unhex(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* A path is sent as written when Go would keep it; else re-escaped. */
static void put_path(cv_strbuf *sb, span p)
{
	static const char hex[] = "0123456789ABCDEF";
	bool raw_ok = true;
	for (size_t i = 0; i < p.len; i++)
		raw_ok &= in_set((unsigned char)p.s[i], "-_.~$&+,/:;=@!'()*[]%");
	if (raw_ok) {
		cv_strbuf_append(sb, p.s, p.len);
		return;
	}
	for (size_t i = 0; i < p.len; i++) {
		unsigned char c = (unsigned char)p.s[i];
		if (c == '%') {  /* escapes were validated by parse_url */
			c = (unsigned char)(unhex(p.s[i + 1]) << 4 | unhex(p.s[i + 2]));
			i += 2;
		}
		if (in_set(c, "-_.~$&+,/:;=@")) {
			cv_strbuf_putc(sb, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			cv_strbuf_append(sb, e, 3);
		}
	}
}

static bool scheme_is(span s, const char *name)
{
	return s.len == strlen(name) && !strncasecmp(s.s, name, s.len);
}

static int build(cv_fetch_target *t, const url_parts *u, int seconds, int timeout)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	t->insecure = scheme_is(u->scheme, "https+insecure");
	cv_strbuf_puts(&sb, t->insecure || scheme_is(u->scheme, "https") ? "https://" : "http://");
	if (u->has_userinfo) {
		cv_strbuf_append(&sb, u->userinfo.s, u->userinfo.len);
		cv_strbuf_putc(&sb, '@');
	}
	cv_strbuf_append(&sb, u->host.s, u->host.len);
	if (u->path.len == 0 || (u->path.len == 1 && u->path.s[0] == '/'))
		cv_strbuf_puts(&sb, CPU_PROFILE_PATH);
	else
		put_path(&sb, u->path);
	cv_strbuf query = CV_STRBUF_INIT;
	long url_seconds;
	int rc = cv_fetch_rewrite_query(&query, u->query.s ? u->query.s : "", u->query.len,
					seconds, &url_seconds);
	if (rc == 0 && (query.len || u->force_query)) {
		cv_strbuf_putc(&sb, '?');
		if (query.len)
			cv_strbuf_append(&sb, query.buf, query.len);
	}
	if (u->has_fragment) {
		cv_strbuf_putc(&sb, '#');
		cv_strbuf_append(&sb, u->fragment.s, u->fragment.len);
	}
	cv_strbuf_free(&query);
	if (rc == 0 && cv_strbuf_failed(&sb))
		rc = cv_error_nomem();
	if (rc) {
		cv_strbuf_free(&sb);
		return rc;
	}
	t->url = cv_strbuf_detach(&sb, NULL);
	t->seconds = seconds > 0 ? seconds : url_seconds > 0 ? (int)url_seconds : 0;
	/* Timed profiles get their collection time plus room to send it. */
	t->timeout = timeout > 0 ? timeout : t->seconds > 0 ? t->seconds + 30 : 60;
	return 1;
}

int cv_fetch_resolve(cv_fetch_target *t, const char *source, int seconds, int timeout)
{
	memset(t, 0, sizeof(*t));
	url_parts u;
	int bad = parse_url(&u, source);
	char *prefixed = NULL;
	if (bad || (u.host.len == 0 && u.scheme.len && !scheme_is(u.scheme, "file"))) {
		size_t n = strlen(source) + sizeof("http://");
		prefixed = malloc(n);
		if (!prefixed)
			return cv_error_nomem();
		snprintf(prefixed, n, "http://%s", source);
		bad = parse_url(&u, prefixed);
	}
	int rc = 0;
	/* "//dir/file" has a host to Go, but here it is a path, as the shell means. */
	if (!bad && u.host.len && u.scheme.len) {
		if (scheme_is(u.scheme, "http") || scheme_is(u.scheme, "https") ||
		    scheme_is(u.scheme, "https+insecure"))
			rc = build(t, &u, seconds, timeout);
		else
			rc = cv_error_set(CV_EINVAL, "unsupported URL scheme \"%.*s\" (want http or https)",
					  (int)u.scheme.len, u.scheme.s);
	}
	free(prefixed);
	return rc;
}

void cv_fetch_target_free(cv_fetch_target *t)
{
	if (!t)
		return;
	free(t->url);
	t->url = NULL;
}
