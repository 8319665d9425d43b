/*
 * lib/fetch: which sources are URLs and what is requested (checked against
 * cmd/pprof's adjustURL run on the same inputs), how fetched profiles are
 * named and saved (driver/fetch.go), and cv_fetch_url against a one-shot
 * HTTP server on 127.0.0.1 that this test runs in a thread.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "callviz/callviz.h"
#include "fetch/fetch_internal.h"

/* URL sources: what go tool pprof (go1.19 cmd/pprof adjustURL) requests. */
typedef struct url_case {
	const char *source;
	int seconds;            /* -seconds */
	const char *url;        /* NULL: a file name */
	int timed;              /* collection seconds */
} url_case;

static const url_case url_cases[] = {
	{"localhost:6060", 0, "http://localhost:6060/debug/pprof/profile", 0},
	{"localhost:6060", 5, "http://localhost:6060/debug/pprof/profile?seconds=5", 5},
	{"127.0.0.1:6060", 0, "http://127.0.0.1:6060/debug/pprof/profile", 0},
	{"127.0.0.1:6060/debug/pprof/heap", 0, "http://127.0.0.1:6060/debug/pprof/heap", 0},
	{"127.0.0.1:6060/debug/pprof/heap", 3, "http://127.0.0.1:6060/debug/pprof/heap?seconds=3", 3},
	{"http://localhost:6060/debug/pprof/profile?seconds=7", 0,
	 "http://localhost:6060/debug/pprof/profile?seconds=7", 7},
	{"http://localhost:6060/debug/pprof/profile?seconds=7", 2,
	 "http://localhost:6060/debug/pprof/profile?seconds=2", 2},
	{"http://localhost:6060/debug/pprof/profile?seconds=7&seconds=9&a=b", 0,
	 "http://localhost:6060/debug/pprof/profile?a=b&seconds=7&seconds=9", 7},
	{"http://h:1/x?b=2&a=1&a=0", 0, "http://h:1/x?a=1&a=0&b=2", 0},
	{"http://h:1/x?b=2;c&a=%zz&d=%41+b", 0, "http://h:1/x?d=A+b", 0},
	{"http://h:1/debug/pprof/trace?seconds=x", 0, "http://h:1/debug/pprof/trace?seconds=x", 0},
	{"http://h:1/p?seconds=-3", 0, "http://h:1/p?seconds=-3", 0},
	{"https://example.com", 0, "https://example.com/debug/pprof/profile", 0},
	{"https://example.com/", 0, "https://example.com/debug/pprof/profile", 0},
	{"cpu.pb.gz", 0, NULL, 0},
	{"/tmp/cpu.pb.gz", 0, NULL, 0},
	{"dir/a:b", 0, NULL, 0},
	{"cpu:latest.pb.gz", 0, NULL, 0},
	{"a:1", 0, "http://a:1/debug/pprof/profile", 0},
	{"-", 0, NULL, 0},
	{"localhost", 0, NULL, 0},
	{"localhost/debug/pprof/heap", 0, NULL, 0},
	{"file:///tmp/x", 0, NULL, 0},
	{"http://h:1/a b", 0, "http://h:1/a%20b", 0},
	{"http://h:1/a%41!b", 0, "http://h:1/a%41!b", 0},
	{"http://user:pw@h:1/x", 0, "http://user:pw@h:1/x", 0},
	{"[::1]:6060", 0, "http://[::1]:6060/debug/pprof/profile", 0},
	{"http://[::1]:6060/debug/pprof/heap?debug=1", 0, "http://[::1]:6060/debug/pprof/heap?debug=1", 0},
	{"h:1/p#frag", 0, "http://h:1/p#frag", 0},
	{"HTTP://h:1/p", 0, "http://h:1/p", 0},
	{"http://h:1/x?q=a%2Fb&r=~._-", 0, "http://h:1/x?q=a%2Fb&r=~._-", 0},
	{"h:1?x", 0, "http://h:1/debug/pprof/profile?x=", 0},
	{"h:1/p?", 0, "http://h:1/p?", 0},
	/* callviz's own: "//path" stays a file, as the shell means it. */
	{"//tmp/cpu.pb.gz", 0, NULL, 0},
};

static void test_resolve_like_pprof(void **state)
{
	for (size_t i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		const url_case *c = &url_cases[i];
		cv_fetch_target t;
		int rc = cv_fetch_resolve(&t, c->source, c->seconds, 0);
		if (!c->url) {
			if (rc != 0)
				fail_msg("%s: want a file, got %d %s", c->source, rc, t.url);
			continue;
		}
		if (rc != 1)
			fail_msg("%s: want a URL, got %d (%s)", c->source, rc, cv_error_last());
		if (strcmp(t.url, c->url) || t.seconds != c->timed)
			fail_msg("%s -seconds=%d: got %s (%ds), want %s (%ds)", c->source, c->seconds,
				 t.url, t.seconds, c->url, c->timed);
		cv_fetch_target_free(&t);
	}
}

static void test_resolve_timeouts(void **state)
{
	cv_fetch_target t;
	assert_int_equal(cv_fetch_resolve(&t, "h:1/debug/pprof/heap", 0, 0), 1);
	assert_int_equal(t.timeout, 60);
	cv_fetch_target_free(&t);
	assert_int_equal(cv_fetch_resolve(&t, "h:1", 5, 0), 1);
	assert_int_equal(t.timeout, 35);
	cv_fetch_target_free(&t);
	assert_int_equal(cv_fetch_resolve(&t, "http://h:1/debug/pprof/trace?seconds=7", 0, 0), 1);
	assert_int_equal(t.seconds, 7);
	assert_int_equal(t.timeout, 37);
	cv_fetch_target_free(&t);
	assert_int_equal(cv_fetch_resolve(&t, "h:1", 5, 3), 1);
	assert_int_equal(t.timeout, 3);
	cv_fetch_target_free(&t);
}

static void test_resolve_schemes(void **state)
{
	cv_fetch_target t;
	assert_int_equal(cv_fetch_resolve(&t, "https+insecure://h:1/x", 0, 0), 1);
	assert_string_equal(t.url, "https://h:1/x");
	assert_true(t.insecure);
	cv_fetch_target_free(&t);
	assert_int_equal(cv_fetch_resolve(&t, "ftp://h/x", 0, 0), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "unsupported URL scheme \"ftp\""));
}

static void test_rewrite_query(void **state)
{
	static const struct {
		const char *raw;
		int seconds;
		const char *want;
		long url_seconds;
	} cases[] = {
		{"", 0, "", 0},
		{"", 4, "seconds=4", 0},
		{"debug=1&gc=1", 0, "debug=1&gc=1", 0},
		{"z=1&seconds=30&a=%20", 0, "a=+&seconds=30&z=1", 30},
		{"seconds=30&seconds=5", 10, "seconds=10", 0},
		{"k&=v&&x=1", 0, "=v&k=&x=1", 0},
		{"a=%2", 0, "", 0},
		{"u=%C3%A9/?", 0, "u=%C3%A9%2F%3F", 0},
		{"seconds=99999999999", 0, "seconds=99999999999", 0},
		{"seconds=+12", 0, "seconds=+12", 0},
		{"seconds=%2B12", 0, "seconds=%2B12", 12},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cv_strbuf sb = CV_STRBUF_INIT;
		long secs = -1;
		assert_int_equal(cv_fetch_rewrite_query(&sb, cases[i].raw, strlen(cases[i].raw),
							cases[i].seconds, &secs), 0);
		const char *got = sb.buf ? sb.buf : "";
		if (strcmp(got, cases[i].want) || secs != cases[i].url_seconds)
			fail_msg("%s: got %s (%ld), want %s (%ld)", cases[i].raw, got, secs,
				 cases[i].want, cases[i].url_seconds);
		cv_strbuf_free(&sb);
	}
}

static void read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	*data = malloc(*len + 1);
	assert_int_equal(fread(*data, 1, *len, f), *len);
	fclose(f);
}

static void test_save_prefix(void **state)
{
	static const struct { const char *file, *want; } cases[] = {
		{"go-cpu.pb.gz", "pprof.workload.samples.cpu."},
		{"go-heap.pb.gz", "pprof.workload.alloc_objects.alloc_space.inuse_objects.inuse_space."},
		{"go-goroutine.pb.gz", "pprof.workload.goroutine."},
		{"std-json-cpu.pb.gz", "pprof.json.test.samples.cpu."},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, cases[i].file);
		cv_profile *p;
		assert_int_equal(cv_profile_read(&p, path), 0);
		char *prefix = cv_fetch_save_prefix(p);
		assert_string_equal(prefix, cases[i].want);
		free(prefix);
		/* No mapping file: the binary part is left out. */
		if (p->n_mappings)
			p->mappings[0].file = "";
		prefix = cv_fetch_save_prefix(p);
		assert_int_equal(strncmp(prefix, "pprof.", 6), 0);
		assert_null(strstr(prefix, "workload"));
		free(prefix);
		cv_profile_free(p);
	}
}

static char *make_tmpdir(void)
{
	char *dir = strdup("/tmp/cv-fetch-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_tree(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_save_numbers_and_gzip(void **state)
{
	char *dir = make_tmpdir();
	char in[1024], raw[1024];
	snprintf(in, sizeof(in), "%s/go-cpu.pb.gz", CV_TEST_DATA);
	snprintf(raw, sizeof(raw), "%s/go-cpu-raw.pb", CV_TEST_DATA);
	uint8_t *gz, *plain;
	size_t gz_len, plain_len;
	read_file(in, &gz, &gz_len);
	read_file(raw, &plain, &plain_len);
	cv_profile *p;
	assert_int_equal(cv_profile_parse(&p, gz, gz_len), 0);

	char *first, *second, *third;
	assert_int_equal(cv_fetch_save(&first, p, gz, gz_len, dir), 0);
	assert_int_equal(cv_fetch_save(&second, p, plain, plain_len, dir), 0);
	char want[1024];
	snprintf(want, sizeof(want), "%s/pprof.workload.samples.cpu.001.pb.gz", dir);
	assert_string_equal(first, want);
	snprintf(want, sizeof(want), "%s/pprof.workload.samples.cpu.002.pb.gz", dir);
	assert_string_equal(second, want);

	/* A gzipped body is kept byte for byte; a raw one is encoded, gzipped. */
	uint8_t *back;
	size_t back_len;
	read_file(first, &back, &back_len);
	assert_int_equal(back_len, gz_len);
	assert_memory_equal(back, gz, gz_len);
	free(back);
	read_file(second, &back, &back_len);
	assert_true(back_len > 2 && back[0] == 0x1f && back[1] == 0x8b);
	free(back);
	cv_profile *q;
	assert_int_equal(cv_profile_read(&q, second), 0);
	assert_int_equal(q->n_samples, p->n_samples);
	cv_profile_free(q);

	/* A free number after a gap is taken, as newTempFile does. */
	unlink(first);
	assert_int_equal(cv_fetch_save(&third, p, gz, gz_len, dir), 0);
	assert_string_equal(third, first);

	free(first);
	free(second);
	free(third);
	free(gz);
	free(plain);
	cv_profile_free(p);
	remove_tree(dir);
	free(dir);
}

static void test_save_dir_from_env(void **state)
{
	char *dir = make_tmpdir();
	char path[1024], home[1024], want[1024];
	snprintf(path, sizeof(path), "%s/go-goroutine.pb.gz", CV_TEST_DATA);
	uint8_t *data;
	size_t len;
	read_file(path, &data, &len);
	cv_profile *p;
	assert_int_equal(cv_profile_parse(&p, data, len), 0);
	char *saved;

	/* $HOME/pprof when PPROF_TMPDIR is unset, created as needed. */
	const char *old_home = getenv("HOME");
	char *keep_home = old_home ? strdup(old_home) : NULL;
	snprintf(home, sizeof(home), "%s/home", dir);
	setenv("HOME", home, 1);
	unsetenv("PPROF_TMPDIR");
	assert_int_equal(cv_fetch_save(&saved, p, data, len, NULL), 0);
	snprintf(want, sizeof(want), "%s/home/pprof/pprof.workload.goroutine.001.pb.gz", dir);
	assert_string_equal(saved, want);
	free(saved);

	/* PPROF_TMPDIR wins, nested directories made. */
	snprintf(path, sizeof(path), "%s/t/u", dir);
	setenv("PPROF_TMPDIR", path, 1);
	assert_int_equal(cv_fetch_save(&saved, p, data, len, NULL), 0);
	snprintf(want, sizeof(want), "%s/t/u/pprof.workload.goroutine.001.pb.gz", dir);
	assert_string_equal(saved, want);
	free(saved);
	unsetenv("PPROF_TMPDIR");
	if (keep_home)
		setenv("HOME", keep_home, 1);
	free(keep_home);
	free(data);
	cv_profile_free(p);
	remove_tree(dir);
	free(dir);
}

/* A one-connection HTTP server on 127.0.0.1: reads a request, sends `reply`, then maybe stalls. */
typedef struct server {
	int fd;
	int port;
	const char *reply;
	size_t reply_len;
	int stall_ms;           /* keep the connection open this long after replying */
	pthread_t thread;
	char request[2048];
} server;

static void *serve_one(void *arg)
{
	server *s = arg;
	struct pollfd pfd = {s->fd, POLLIN, 0};
	if (poll(&pfd, 1, 5000) != 1)
		return NULL;
	int c = accept(s->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	size_t got = 0;
	struct pollfd cfd = {c, POLLIN, 0};
	while (got < sizeof(s->request) - 1 && !strstr(s->request, "\r\n\r\n") &&
	       poll(&cfd, 1, 5000) == 1) {
		ssize_t n = read(c, s->request + got, sizeof(s->request) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		s->request[got] = '\0';
	}
	if (write(c, s->reply, s->reply_len) < 0)
		perror("write");
	if (s->stall_ms)
		poll(&cfd, 1, s->stall_ms);
	close(c);
	return NULL;
}

static void start_server(server *s, const char *reply, size_t len, int stall_ms)
{
	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 1), 0);
	socklen_t al = sizeof(a);
	getsockname(s->fd, (struct sockaddr *)&a, &al);
	s->port = ntohs(a.sin_port);
	s->reply = reply;
	s->reply_len = len;
	s->stall_ms = stall_ms;
	assert_int_equal(pthread_create(&s->thread, NULL, serve_one, s), 0);
}

static void stop_server(server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

static int fetch_from(server *s, cv_fetch_result *r, const char *path, const cv_fetch_options *o)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	return cv_fetch_url(r, url, o);
}

static int ticks;
static int count_ticks(void *data, double elapsed, uint64_t received)
{
	ticks++;
	return 0;
}

static void test_fetch_body_kept(void **state)
{
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
				    "Content-Length: 5\r\n\r\na\0b\nc";
	server s;
	start_server(&s, reply, sizeof(reply) - 1, 0);
	cv_fetch_options o;
	cv_fetch_options_init(&o);
	o.timeout = 10;
	o.progress = count_ticks;
	ticks = 0;
	cv_fetch_result r;
	assert_int_equal(fetch_from(&s, &r, "/debug/pprof/heap", &o), 0);
	stop_server(&s);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.data, "a\0b\nc", 5);
	assert_string_equal(r.content_type, "application/octet-stream");
	assert_non_null(strstr(s.request, "GET /debug/pprof/heap HTTP/1.1"));
	assert_true(ticks >= 1);
	cv_fetch_result_free(&r);
}

static void expect_failure(const char *reply, int stall_ms, int timeout, const char *want)
{
	server s;
	start_server(&s, reply, strlen(reply), stall_ms);
	cv_fetch_options o;
	cv_fetch_options_init(&o);
	o.timeout = timeout;
	cv_fetch_result r;
	int rc = fetch_from(&s, &r, "/x", &o);
	stop_server(&s);
	if (rc != CV_ENET || !strstr(cv_error_last(), want))
		fail_msg("got %d \"%s\", want CV_ENET with \"%s\"", rc, cv_error_last(), want);
	assert_null(r.data);
}

static void test_fetch_errors(void **state)
{
	/* net/http/pprof explains in a text/plain body: its first line is kept. */
	expect_failure("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
		       "X-Go-Pprof: 1\r\nContent-Length: 52\r\n\r\n"
		       "profile duration exceeds server's WriteTimeout\nmore\n",
		       0, 10, "server response: 400 Bad Request - profile duration exceeds server's WriteTimeout");
	/* An HTML error page says nothing useful on one line: status only. */
	expect_failure("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n"
		       "<html>x</html>", 0, 10, "server response: 404 Not Found");
	/* A stalled body runs into the timeout. */
	expect_failure("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial", 3000, 1,
		       "timed out after 1s");
}

static void test_fetch_refused(void **state)
{
	/* A port that was just free: bound, then closed, so nothing listens. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &al);
	close(fd);
	char url[128], want[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/debug/pprof/heap", ntohs(a.sin_port));
	snprintf(want, sizeof(want), "cannot connect to 127.0.0.1:%d: Connection refused",
		 ntohs(a.sin_port));
	cv_fetch_options o;
	cv_fetch_options_init(&o);
	o.timeout = 5;
	cv_fetch_result r;
	assert_int_equal(cv_fetch_url(&r, url, &o), CV_ENET);
	assert_string_equal(cv_error_last(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_like_pprof),
		cmocka_unit_test(test_resolve_timeouts),
		cmocka_unit_test(test_resolve_schemes),
		cmocka_unit_test(test_rewrite_query),
		cmocka_unit_test(test_save_prefix),
		cmocka_unit_test(test_save_numbers_and_gzip),
		cmocka_unit_test(test_save_dir_from_env),
		cmocka_unit_test(test_fetch_body_kept),
		cmocka_unit_test(test_fetch_errors),
		cmocka_unit_test(test_fetch_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
