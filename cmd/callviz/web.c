/*
 * callviz -http=HOST:PORT: go tool pprof's web UI from the C binary. The
 * sources are decoded once; libmicrohttpd serves every view from memory
 * (web_views.c), GET and HEAD only, until SIGINT or SIGTERM. It is loaded
 * here, not linked (mhd_dl.h), so other runs of callviz start faster.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mhd_dl.h"
#include "web.h"

/* libmicrohttpd's functions: set by cli_web before the server starts. */
static const mhd_api *mhd;

static const char *arg(struct MHD_Connection *c, const char *key)
{
	return mhd->lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result send_response(struct MHD_Connection *c, web_response *r, bool allow)
{
	struct MHD_Response *resp =
		mhd->create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	mhd->add_response_header(resp, "Content-Type", r->type);
	/* Pages are computed per request; nothing to sniff, nothing to frame. */
	mhd->add_response_header(resp, "Cache-Control", "no-store");
	mhd->add_response_header(resp, "X-Content-Type-Options", "nosniff");
	mhd->add_response_header(resp, "X-Frame-Options", "DENY");
	if (allow)
		mhd->add_response_header(resp, "Allow", "GET, HEAD");
	enum MHD_Result ret = mhd->queue_response(c, (unsigned)r->status, resp);
	mhd->destroy_response(resp);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	web_state *st = cls;
	web_response r;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		web_error_page(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are served");
		return send_response(c, &r, true);
	}
	web_query q = {
		.f = arg(c, "f"), .i = arg(c, "i"), .h = arg(c, "h"), .s = arg(c, "s"),
		.sf = arg(c, "sf"), .tf = arg(c, "tf"), .ti = arg(c, "ti"), .ts = arg(c, "ts"),
		.th = arg(c, "th"), .g = arg(c, "g"), .n = arg(c, "n"),
		.si = arg(c, "si"), .sort = arg(c, "sort"), .sym = arg(c, "sym"),
	};
	web_view(st, url, &q, &r);
	return send_response(c, &r, false);
}

/* "HOST:PORT", "[V6]:PORT", ":PORT": the address to bind, loopback without a host. */
static int resolve_address(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *colon = strrchr(spec, ':');
	if (!colon)
		return cv_error_set(CV_EINVAL, "-http=%s: want HOST:PORT", spec);
	char host[256];
	size_t n = (size_t)(colon - spec);
	if (n >= sizeof(host))
		return cv_error_set(CV_EINVAL, "-http=%s: host too long", spec);
	memcpy(host, spec, n);
	host[n] = 0;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = 0;
	}
	const char *port = colon[1] ? colon + 1 : "0";
	char *end;
	long pn = strtol(port, &end, 10);
	if (*end || pn < 0 || pn > 65535)
		return cv_error_set(CV_EINVAL, "-http=%s: bad port \"%s\"", spec, port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV}, *ai;
	int rc = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &ai);
	if (rc)
		return cv_error_set(CV_EINVAL, "-http=%s: %s", spec, gai_strerror(rc));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* The URL to print: numeric host as bound, the port the kernel gave. */
static void server_url(char *buf, size_t size, const struct sockaddr_storage *ss,
		       socklen_t len, unsigned port)
{
	char host[NI_MAXHOST] = "127.0.0.1";
	getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	bool v6 = ss->ss_family == AF_INET6;
	if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
		snprintf(host, sizeof(host), "%s", v6 ? "::1" : "127.0.0.1");
	snprintf(buf, size, v6 ? "http://[%s]:%u" : "http://%s:%u", host, port);
}

/* $BROWSER URL, detached (double fork: no zombie, no waiting on the browser). */
static void open_browser(const char *url)
{
	const char *browser = getenv("BROWSER");
	if (!browser || !*browser)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			/* The server blocks SIGINT and SIGTERM; the browser must not. */
			sigset_t all;
			sigfillset(&all);
			sigprocmask(SIG_UNBLOCK, &all, NULL);
			execl("/bin/sh", "sh", "-c", "exec $BROWSER \"$1\"", "sh", url, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static struct MHD_Daemon *start(web_state *st, const struct sockaddr_storage *ss)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return mhd->start_daemon(flags, 0, NULL, NULL, handle, st,
				 MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
				 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
				 MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
				 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				 MHD_OPTION_END);
}

/* Serve until SIGINT or SIGTERM; the signals are blocked in every thread. */
static int serve(web_state *st, const struct sockaddr_storage *ss, socklen_t len)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = start(st, ss);
	if (!d) {
		fprintf(stderr, "callviz: -http=%s: cannot listen: %s\n", st->o.http,
			strerror(errno ? errno : EADDRINUSE));
		return EXIT_FAILED;
	}
	const union MHD_DaemonInfo *info = mhd->get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char url[NI_MAXHOST + 32];
	server_url(url, sizeof(url), ss, len, info ? info->port : 0);
	printf("Serving web UI on %s\n", url);
	fflush(stdout);
	if (!st->o.no_browser)
		open_browser(url);
	int sig;
	while (sigwait(&stop, &sig) != 0)
		;
	mhd->stop_daemon(d);
	return 0;
}

int cli_web(cli_options *o)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	if (resolve_address(o->http, &ss, &len)) {
		fprintf(stderr, "callviz: %s\n", cv_error_last());
		return EXIT_USAGE;
	}
	/* Before the sources are decoded: a large profile takes a while. */
	mhd = mhd_api_load();
	if (!mhd) {
		fprintf(stderr, "callviz: -http: %s\n", cv_error_last());
		return EXIT_FAILED;
	}
	web_state st = {.o = *o};
	int rc = cli_load_profiles(&st.profile, &st.name, o);
	if (rc)
		return rc;
	pthread_mutex_init(&st.lock, NULL);
	rc = serve(&st, &ss, len);
	pthread_mutex_destroy(&st.lock);
	cv_profile_free(st.profile);
	free(st.name);
	return rc;
}
