/*
 * Execution traces as sources: recognised by their header, gzipped or
 * not, read as a stream (a file through zlib's gzread, a fetched body
 * through inflate), and turned into the profile -pprof=TYPE names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "callviz/error.h"
#include "callviz/trace.h"
#include "profile/limits.h"
#include "trace/trace_load.h"
#include "util/message.h"

#define PROFILES "net, sync, syscall or sched"

/* ---- a body in memory, maybe gzipped ---- */

typedef struct memsrc {
	const uint8_t *data;
	size_t len, pos;
	bool gz, gz_end;
	z_stream zs;
} memsrc;

static int memsrc_init(memsrc *m, const uint8_t *data, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->gz = len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	if (m->gz && inflateInit2(&m->zs, 16 + MAX_WBITS) != Z_OK)
		return cv_error_set(CV_ENOMEM, "out of memory");
	return 0;
}

static void memsrc_free(memsrc *m)
{
	if (m->gz)
		inflateEnd(&m->zs);
}

static long memsrc_read(void *data, uint8_t *buf, size_t len)
{
	memsrc *m = data;
	if (!m->gz) {
		size_t n = m->len - m->pos < len ? m->len - m->pos : len;
		memcpy(buf, m->data + m->pos, n);
		m->pos += n;
		return (long)n;
	}
	if (len > (1u << 30))
		len = 1u << 30;
	m->zs.next_out = buf;
	m->zs.avail_out = (uInt)len;
	while (m->zs.avail_out == len && !m->gz_end) {
		if (m->zs.avail_in == 0) {
			if (m->pos == m->len)
				return cv_error_set(CV_EFORMAT, "gzip: unexpected end of data");
			size_t n = m->len - m->pos < (1u << 30) ? m->len - m->pos : (1u << 30);
			m->zs.next_in = (Bytef *)(m->data + m->pos);
			m->zs.avail_in = (uInt)n;
			m->pos += n;
		}
		int zr = inflate(&m->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* Another member may follow, as gzip allows. */
			size_t left = m->zs.avail_in + (m->len - m->pos);
			if (left >= 2 && m->zs.avail_in >= 2 && m->zs.next_in[0] == 0x1f &&
			    m->zs.next_in[1] == 0x8b)
				inflateReset(&m->zs);
			else
				m->gz_end = true;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return cv_error_set(CV_EFORMAT, "gzip: %s", m->zs.msg ? m->zs.msg : "corrupt data");
		}
	}
	return (long)(len - m->zs.avail_out);
}

bool trace_sniff(const uint8_t *data, size_t len)
{
	if (!(len >= 2 && data[0] == 0x1f && data[1] == 0x8b))
		return cv_trace_detect(data, len);
	memsrc m;
	if (memsrc_init(&m, data, len))
		return false;
	uint8_t head[8];
	size_t got = 0;
	while (got < sizeof(head)) {
		long n = memsrc_read(&m, head + got, sizeof(head) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	memsrc_free(&m);
	return cv_trace_detect(head, got);
}

/* ---- a file, through gzread (which reads plain files as they are) ---- */

static long gz_read(void *data, uint8_t *buf, size_t len)
{
	gzFile f = data;
	if (len > (1u << 30))
		len = 1u << 30;
	int n = gzread(f, buf, (unsigned)len);
	if (n < 0) {
		int err;
		const char *msg = gzerror(f, &err);
		return cv_error_set(err == Z_ERRNO ? CV_EIO : CV_EFORMAT, "%s%s",
				    err == Z_ERRNO ? "" : "gzip: ", msg);
	}
	if (n == 0 && !gzeof(f))
		return cv_error_set(CV_EIO, "read failed");
	return n;
}

bool trace_sniff_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	gzFile f = gzdopen(fd, "rb");
	if (!f) {
		close(fd);
		return false;
	}
	uint8_t head[8];
	int n = gzread(f, head, sizeof(head));
	gzclose(f);
	return n > 0 && cv_trace_detect(head, (size_t)n);
}

/* ---- the profile ---- */

typedef struct warn_to {
	const cv_load_options *o;
	const char *name;
} warn_to;

static void warn(void *data, const char *text)
{
	warn_to *w = data;
	cv_message(w->o->message, w->o->message_data, CV_MSG_WARNING, w->name, "%s", text);
}

static int load(cv_profile **out, cv_trace_read_fn read, void *data, const cv_load_options *o,
		const char *name)
{
	cv_trace_pprof_type type = cv_trace_pprof_parse(o->pprof);
	if (!o->pprof || !o->pprof[0])
		return cv_error_set(CV_EINVAL,
				    "a Go execution trace: choose one of its profiles with -pprof=" PROFILES);
	if (type == CV_TRACE_PPROF_NONE)
		return cv_error_set(CV_EINVAL, "unknown -pprof=%s: a trace's profiles are " PROFILES,
				    o->pprof);
	cv_trace_reader *r;
	int rc = cv_trace_reader_new(&r, read, data, o->max_bytes);
	if (rc)
		return rc;
	warn_to w = {o, name};
	rc = cv_trace_pprof(out, r, type, warn, &w);
	cv_trace_reader_free(r);
	return rc;
}

int trace_load_mem(cv_profile **out, const uint8_t *data, size_t len, const cv_load_options *o,
		   const char *name)
{
	memsrc m;
	int rc = memsrc_init(&m, data, len);
	if (rc)
		return rc;
	rc = load(out, memsrc_read, &m, o, name);
	memsrc_free(&m);
	return rc;
}

int trace_load_file(cv_profile **out, const char *path, const cv_load_options *o)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cv_error_set(CV_EIO, "%m");
	gzFile f = gzdopen(fd, "rb");
	if (!f) {
		close(fd);
		return cv_error_set(CV_ENOMEM, "out of memory");
	}
	gzbuffer(f, 128 * 1024);
	int rc = load(out, gz_read, f, o, path);
	gzclose(f);
	return rc;
}

int trace_read_all(int fd, uint8_t **out, size_t *out_len, size_t max)
{
	size_t cap = 64 * 1024, len = 0;
	if (!max)
		max = (size_t)2 << 30;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return cv_error_set(CV_ENOMEM, "out of memory");
	for (;;) {
		if (len == cap) {
			uint8_t *nbuf = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				return cv_error_set(CV_ENOMEM, "out of memory");
			}
			buf = nbuf;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return cv_error_set(CV_EIO, "%m");
		}
		len += (size_t)n;
		if (len > max) {
			free(buf);
			char sz[32];
			return cv_error_set(CV_EFORMAT, "profile exceeds -max_bytes (%s)",
					    cv_format_size(sz, sizeof(sz), max));
		}
	}
	*out = buf;
	*out_len = len;
	return 0;
}
