/*
 * One HTTP GET into memory, through libcurl. Failures become the one-line
 * messages a user can act on: who refused, what the server said, how
 * long we waited. The body of a successful response is kept byte for byte.
 * libcurl is not linked but loaded by the first fetch (curl_dl.h): every
 * call goes through the table cv_curl_api_load returns.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "callviz/callviz.h"
#include "callviz/fetch.h"
#include "fetch/curl_dl.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/options.h"

#define DEFAULT_MAX_BYTES ((size_t)1 << 30)
/* Of an error response only the explanation is wanted, not all of it. */
#define ERROR_BODY_MAX 4096
#define REASON_MAX 128

typedef struct transfer {
	cv_strbuf body;
	size_t max_bytes;
	long status;                 /* of the latest status line seen */
	char reason[REASON_MAX];
	char content_type[256];
	bool too_big, error_body_done;
	const cv_fetch_options *opts;
	struct timespec start;
	long last_tick;              /* whole seconds reported to progress */
	bool progress_aborted;
} transfer;

void cv_fetch_options_init(cv_fetch_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_FETCH_OPTIONS_VERSION;
}

static void trim_copy(char *dst, size_t size, const char *src, size_t len)
{
	while (len && isspace((unsigned char)*src)) {
		src++;
		len--;
	}
	while (len && isspace((unsigned char)src[len - 1]))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Each response (redirects make several) starts with its status line. */
static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	transfer *t = arg;
	size_t len = size * n;
	if (len > 5 && !strncmp(data, "HTTP/", 5)) {
		const char *sp = memchr(data, ' ', len);
		t->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		t->reason[0] = t->content_type[0] = '\0';
		const char *reason = sp && (size_t)(sp - data) + 4 < len ? sp + 4 : NULL;
		if (reason)
			trim_copy(t->reason, sizeof(t->reason), reason, len - (size_t)(reason - data));
	} else if (len > 13 && !strncasecmp(data, "Content-Type:", 13)) {
		trim_copy(t->content_type, sizeof(t->content_type), data + 13, len - 13);
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	transfer *t = arg;
	size_t len = size * n;
	if (t->status != 200) {
		size_t room = ERROR_BODY_MAX - t->body.len;
		cv_strbuf_append(&t->body, data, len < room ? len : room);
		/* The first line is all the message needs: stop reading there. */
		if (memchr(data, '\n', len) || t->body.len >= ERROR_BODY_MAX) {
			t->error_body_done = true;
			return 0;
		}
		return len;
	}
	if (t->body.len + len > t->max_bytes) {
		t->too_big = true;
		return 0;
	}
	cv_strbuf_append(&t->body, data, len);
	return cv_strbuf_failed(&t->body) ? 0 : len;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* libcurl calls this often; the user's callback hears once a second. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	transfer *t = arg;
	double elapsed = seconds_since(&t->start);
	if ((long)elapsed <= t->last_tick)
		return 0;
	t->last_tick = (long)elapsed;
	if (t->opts->progress(t->opts->progress_data, elapsed, (uint64_t)dlnow)) {
		t->progress_aborted = true;
		return 1;
	}
	return 0;
}

/* Go's http.Client never sends loopback traffic through a proxy. */
static bool is_loopback(const char *host)
{
	return !strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) ||
	       !strcmp(host, "::1") || !strcmp(host, "[::1]");
}

/* Host and port of the URL, for messages: "127.0.0.1:6060". */
static void url_host(const cv_curl_api *api, const char *url, char *out, size_t size,
		     bool *loopback)
{
	snprintf(out, size, "%s", url);
	*loopback = false;
	CURLU *u = api->url();
	char *host = NULL, *port = NULL;
	if (u && api->url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    api->url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		*loopback = is_loopback(host);
		if (api->url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
			snprintf(out, size, "%s:%s", host, port);
		else
			snprintf(out, size, "%s", host);
	}
	api->free(host);
	api->free(port);
	api->url_cleanup(u);
}

static CURL *make_handle(const cv_curl_api *api, transfer *t, const char *url,
			 const cv_fetch_options *o, char *errbuf, bool loopback)
{
	CURL *h = api->easy_init();
	if (!h)
		return NULL;
	char agent[64];
	snprintf(agent, sizeof(agent), "callviz/%s", cv_version());
	api->easy_setopt(h, CURLOPT_URL, url);
	api->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	api->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	api->easy_setopt(h, CURLOPT_USERAGENT, agent);
	api->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	api->easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	api->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	api->easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
	api->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	api->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	api->easy_setopt(h, CURLOPT_HEADERDATA, t);
	api->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	api->easy_setopt(h, CURLOPT_WRITEDATA, t);
	if (o->timeout > 0)
		api->easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)o->timeout * 1000L);
	if (o->insecure) {
		api->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		api->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (loopback)
		api->easy_setopt(h, CURLOPT_NOPROXY, "*");
	if (o->progress) {
		api->easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		api->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		api->easy_setopt(h, CURLOPT_XFERINFODATA, t);
	}
	return h;
}

/* HTTP/2 has no reason phrase; name the common statuses as Go does. */
static const char *status_text(long code)
{
	static const struct { long code; const char *text; } texts[] = {
		{400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
		{404, "Not Found"}, {405, "Method Not Allowed"}, {408, "Request Timeout"},
		{429, "Too Many Requests"}, {500, "Internal Server Error"},
		{502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == code)
			return texts[i].text;
	return "";
}

/* "server response: 500 Internal Server Error - <first line of a text body>" */
static int status_error(const transfer *t)
{
	const char *reason = t->reason[0] ? t->reason : status_text(t->status);
	char line[256] = "";
	if (!strncasecmp(t->content_type, "text/plain", 10) && t->body.len) {
		size_t n = strcspn(t->body.buf, "\r\n");
		trim_copy(line, sizeof(line), t->body.buf, n);
		for (char *c = line; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return cv_error_set(CV_ENET, "server response: %ld%s%s%s%s", t->status,
			    reason[0] ? " " : "", reason, line[0] ? " - " : "", line);
}

static int transfer_error(const cv_curl_api *api, CURL *h, CURLcode rc, const transfer *t,
			  const cv_fetch_options *o, const char *errbuf, const char *where)
{
	long os_errno = 0;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST: {
		/* The name is what was not found; its port only distracts. */
		const char *colon = strrchr(where, ':');
		int n = colon ? (int)(colon - where) : (int)strlen(where);
		return cv_error_set(CV_ENET, "host not found: %.*s", n, where);
	}
	case CURLE_COULDNT_CONNECT:
		api->easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
		return cv_error_set(CV_ENET, "cannot connect to %s: %s", where,
				    os_errno ? strerror((int)os_errno) : errbuf);
	case CURLE_OPERATION_TIMEDOUT:
		return cv_error_set(CV_ENET, "timed out after %ds waiting for %s (%zu bytes received)",
				    o->timeout, where, t->body.len);
	case CURLE_WRITE_ERROR:
		if (t->too_big)
			return cv_error_set(CV_ENET, "response larger than %zu bytes", t->max_bytes);
		if (cv_strbuf_failed(&t->body))
			return cv_error_nomem();
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		if (t->progress_aborted)
			return cv_error_set(CV_ENET, "fetch interrupted");
		break;
	default:
		break;
	}
	return cv_error_set(CV_ENET, "%s", errbuf[0] ? errbuf : api->easy_strerror(rc));
}

static int run(const cv_curl_api *api, cv_fetch_result *res, CURL *h, transfer *t,
	       const cv_fetch_options *o, const char *errbuf, const char *where)
{
	clock_gettime(CLOCK_MONOTONIC, &t->start);
	CURLcode rc = api->easy_perform(h);
	long code = 0;
	api->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	/* A status says more than how the transfer ended (even a stalled one). */
	if (code != 0 && code != 200) {
		t->status = code;
		return status_error(t);
	}
	if (rc != CURLE_OK)
		return transfer_error(api, h, rc, t, o, errbuf, where);
	if (cv_strbuf_failed(&t->body))
		return cv_error_nomem();
	size_t len;
	res->data = (uint8_t *)cv_strbuf_detach(&t->body, &len);
	res->len = len;
	res->content_type = strdup(t->content_type);
	if (!res->data || !res->content_type) {
		cv_fetch_result_free(res);
		return cv_error_nomem();
	}
	return 0;
}

int cv_fetch_url(cv_fetch_result *res, const char *url, const cv_fetch_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_FETCH_OPTIONS_VERSION, "cv_fetch_options");
	if (vrc)
		return vrc;
	memset(res, 0, sizeof(*res));
	cv_fetch_options defaults;
	if (!o) {
		cv_fetch_options_init(&defaults);
		o = &defaults;
	}
	const cv_curl_api *api = cv_curl_api_load();
	if (!api)
		return CV_ENET;
	transfer t = {.body = CV_STRBUF_INIT, .opts = o, .last_tick = -1};
	t.max_bytes = o->max_bytes ? o->max_bytes : DEFAULT_MAX_BYTES;
	char where[512];
	bool loopback;
	url_host(api, url, where, sizeof(where), &loopback);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = make_handle(api, &t, url, o, errbuf, loopback);
	if (!h)
		return cv_error_set(CV_ENOMEM, "libcurl: cannot create a handle");
	int rc = run(api, res, h, &t, o, errbuf, where);
	api->easy_cleanup(h);
	cv_strbuf_free(&t.body);
	return rc;
}

void cv_fetch_result_free(cv_fetch_result *res)
{
	if (!res)
		return;
	free(res->data);
	free(res->content_type);
	res->data = NULL;
	res->content_type = NULL;
	res->len = 0;
}
