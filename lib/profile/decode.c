#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"
#include "profile/folded.h"
#include "profile/limits.h"
#include "profile/stream.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/task.h"
#include "util/options.h"

static size_t varint(const uint8_t *p, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	for (size_t i = 0; i < len && i < 10; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

/*
 * `cat a.pb b.pb` is a valid protobuf that merges two profiles into
 * nonsense (the second string table appended to the first). pprof notices
 * this when time_nanos arrives while already nonzero; protobuf-c would
 * just keep the last value, so the top-level fields are walked here.
 * Anything unparsable is left for protobuf-c to reject.
 */
static int check_concatenated(const uint8_t *p, size_t len)
{
	uint64_t time_nanos = 0, key, v;
	size_t n;
	while (len > 0 && (n = varint(p, len, &key)) != 0) {
		p += n, len -= n;
		switch (key & 7) {
		case 0:
			if (!(n = varint(p, len, &v)))
				return 0;
			if (key >> 3 == 9) {
				if (time_nanos != 0)
					return cv_error_set(CV_EFORMAT,
							    "concatenated profiles detected");
				time_nanos = v;
			}
			break;
		case 1: n = 8; break;
		case 5: n = 4; break;
		case 2:
			if (!(n = varint(p, len, &v)) || v > len - n)
				return 0;
			n += (size_t)v;
			break;
		default:
			return 0;
		}
		if (n > len)
			return 0;
		p += n, len -= n;
	}
	return 0;
}

int cv_profile_unpack(cv_profile **out, const uint8_t *data, size_t len,
		      uint8_t *owned, cv_raw_samples *raw, size_t n_parts)
{
	cv_scratch *s = cv_scratch_new();
	Perftools__Profiles__Profile *pb = !s ? NULL :
		perftools__profiles__profile__unpack(cv_scratch_pb_allocator(s), len, data);
	/* protobuf-c copied what it needs; drop the input before the
	 * profile's arena grows, to keep the peak down on big profiles. */
	free(owned);
	int rc;
	if (pb)
		rc = cv_profile_convert(out, pb, s, raw, n_parts);
	else if (!s || cv_scratch_failed(s))
		rc = cv_error_nomem();
	else if (n_parts)
		rc = CV_DECLINE;
	else
		rc = cv_error_set(CV_EFORMAT,
				  "unrecognized profile format (not a profile.proto)");
	/* No free_unpacked: the whole message dies with the scratch. */
	cv_scratch_free(s);
	return rc;
}

/*
 * The samples split off on another thread while the file inflates
 * (stream.h): inflating a big profile and splitting it cost about the
 * same, so this halves their time on two cores.
 */
typedef struct presplit {
	cv_stream stream;
	cv_raw_samples raw[2];  /* one part, or two from a split in halves */
	size_t n_parts;
	uint8_t *rest;
	size_t rest_len;
	int rc;
} presplit;

/* Smaller gzip files inflate faster than a thread starts. */
#define PRESPLIT_MIN_BYTES (16 * 1024)

static void presplit_run(void *arg)
{
	presplit *ps = arg;
	ps->n_parts = 1;
	ps->rc = cv_split_samples_followed(&ps->stream, &ps->raw[0], &ps->rest, &ps->rest_len);
}

static void presplit_discard(presplit *ps)
{
	if (ps && ps->rc == 0) {
		for (int k = 0; k < 2; k++)
			cv_raw_samples_free(&ps->raw[k]);
		free(ps->rest);
	}
}

/*
 * The fast path first: samples decoded straight from the wire
 * (wire_samples.c), protobuf-c for the rest. CV_DECLINE leaves the
 * profile to the whole-message path, which then accepts or refuses it
 * with its own messages. A presplit that failed in any way (the stream
 * was abandoned, memory ran out on its thread) is simply done again here.
 */
static int unpack_and_convert(cv_profile **out, const uint8_t *data,
			      size_t len, uint8_t *owned, presplit *ps)
{
	cv_raw_samples raw[2] = {{0}};
	size_t n_parts = 1;
	uint8_t *rest;
	size_t rest_len;
	int rc;
	if (ps && ps->rc == 0) {
		raw[0] = ps->raw[0];
		raw[1] = ps->raw[1];
		n_parts = ps->n_parts;
		rest = ps->rest;
		rest_len = ps->rest_len;
		rc = 0;
	} else {
		rc = cv_split_samples(data, len, &raw[0], &rest, &rest_len);
	}
	if (rc == 0) {
		rc = cv_profile_unpack(out, rest, rest_len, rest, raw, n_parts);
		for (int k = 0; k < 2; k++)
			cv_raw_samples_free(&raw[k]);
	}
	if (rc != CV_DECLINE) {
		free(owned);
		return rc;
	}
	return cv_profile_unpack(out, data, len, owned, NULL, 0);
}

/*
 * The scan's verdict on a buffer split in halves, without scanning the
 * samples again: the rest (every other field) is scanned, and the parts'
 * counts added for the limits. False when anything is amiss; one scan
 * over the whole then names what is wrong, with the same message as ever.
 * (The split refuses every sample the scan would, and more.)
 */
static bool rest_within_limits(const cv_scan *scan, const presplit *ps)
{
	cv_scan rs;
	cv_scan_init(&rs, scan->max_bytes);
	if (cv_scan_feed(&rs, ps->rest, ps->rest_len) || rs.pos != ps->rest_len)
		return false;
	uint64_t messages = rs.messages, numbers = rs.numbers;
	for (int k = 0; k < 2; k++) {
		messages += ps->raw[k].n + ps->raw[k].n_labels;
		numbers += ps->raw[k].n_locs + ps->raw[k].n_values;
	}
	return messages <= CV_MAX_MESSAGES && numbers <= CV_MAX_NUMBERS;
}

/*
 * The scan and the samples split of a whole buffer: big ones split in
 * halves on two threads, then judged by rest_within_limits; collapsed
 * stacks are left to the caller. The split's own verdict goes to ps->rc;
 * where none was made (the halves fell back to one scan), it is made
 * later, in unpack_and_convert.
 */
static int scan_and_split(const uint8_t *data, size_t len, cv_scan *scan, presplit *ps)
{
	if (cv_folded_detect(data, len))
		return 0;
	size_t mid = cv_split_middle(data, len);
	int rc;
	if (mid) {
		ps->rc = cv_split_samples_halves(data, len, mid, ps->raw, &ps->rest,
						 &ps->rest_len);
		ps->n_parts = 2;
		if (ps->rc == 0 && rest_within_limits(scan, ps))
			return 0;
		presplit_discard(ps);
		ps->rc = CV_DECLINE;
		return cv_scan_feed(scan, data, len);
	}
	if ((rc = cv_scan_feed(scan, data, len)) == 0 && len > 0) {
		ps->rc = cv_split_samples(data, len, &ps->raw[0], &ps->rest, &ps->rest_len);
		ps->n_parts = 1;
	}
	if (ps->rc == CV_ENOMEM)
		ps->rc = CV_DECLINE; /* done again later, and said then if so */
	return rc;
}

/*
 * Inflate. Most files are one gzip member that says its size: libdeflate
 * inflates those whole, then they are scanned and split as a file that
 * was not gzipped. Anything else goes through zlib, the samples split on
 * another thread as the bytes come when the file is big enough for that
 * to pay.
 */
static int inflate(const uint8_t *data, size_t len, size_t max, cv_scan *scan,
		   uint8_t **inflated, size_t *inflated_len, presplit *ps)
{
	if (len < PRESPLIT_MIN_BYTES)
		return cv_gunzip_scan(data, len, max, scan, NULL, inflated, inflated_len);
	int rc = cv_gunzip_whole(data, len, max, inflated, inflated_len);
	if (rc == 0 && (rc = scan_and_split(*inflated, *inflated_len, scan, ps)))
		free(*inflated);
	if (rc != CV_DECLINE)
		return rc;
	cv_task task;
	cv_stream_init(&ps->stream);
	cv_task_start(&task, presplit_run, ps);
	rc = cv_gunzip_scan(data, len, max, scan, &ps->stream, inflated, inflated_len);
	cv_task_join(&task);
	cv_stream_destroy(&ps->stream);
	if (ps->rc == CV_ENOMEM)
		ps->rc = CV_DECLINE; /* its message is on the other thread */
	return rc;
}

static int too_big(size_t max)
{
	char sz[32];
	return cv_error_set(CV_EFORMAT, "profile exceeds -max_bytes (%s)",
			    cv_format_size(sz, sizeof(sz), max));
}

/* Whatever the input format, a profile over the limits is refused. */
static int check_limits(cv_profile **out)
{
	int rc = cv_profile_check_limits(*out);
	if (rc) {
		cv_profile_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Collapsed stacks (flamegraph.pl's input, gzipped or not) are text,
 * never protobuf. */
static int parse_folded(cv_profile **out, const uint8_t *data, size_t len,
			uint8_t *owned, size_t max)
{
	int rc = len > max ? too_big(max) : cv_folded_parse(out, data, len);
	free(owned);
	return rc ? rc : check_limits(out);
}

/* `owned`, if not NULL, is the malloc'ed block behind `data`; it is freed
 * here, as early as possible. */
static int parse(cv_profile **out, const uint8_t *data, size_t len,
		 uint8_t *owned, size_t max)
{
	cv_scan scan;
	cv_scan_init(&scan, max);
	presplit ps = {.rc = CV_DECLINE};
	int rc = 0;
	if (cv_folded_detect(data, len))
		return parse_folded(out, data, len, owned, max);
	/* Sniff, don't trust file names: pprof accepts either form anywhere. */
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		uint8_t *inflated;
		rc = inflate(data, len, max, &scan, &inflated, &len, &ps);
		free(owned);
		if (rc) {
			presplit_discard(&ps);
			return rc;
		}
		data = owned = inflated;
		if (cv_folded_detect(data, len)) {
			presplit_discard(&ps);
			return parse_folded(out, data, len, owned, max);
		}
	} else if (len > max) {
		rc = too_big(max);
	} else {
		rc = scan_and_split(data, len, &scan, &ps);
	}
	/* pprof says this too; protobuf-c would accept it as an empty message.
	 * Once the samples are split off, the rest holds every other field in
	 * order, time_nanos among them: the check walks that, not all. */
	if (rc == 0)
		rc = len == 0 ? cv_error_set(CV_EFORMAT, "empty input file")
		     : ps.rc == 0 ? check_concatenated(ps.rest, ps.rest_len)
				  : check_concatenated(data, len);
	if (rc) {
		presplit_discard(&ps);
		free(owned);
		return rc;
	}
	if ((rc = unpack_and_convert(out, data, len, owned, &ps)))
		return rc;
	return check_limits(out);
}

static size_t max_bytes(const cv_profile_parse_options *o)
{
	return o && o->max_bytes ? o->max_bytes : CV_MAX_BYTES_DEFAULT;
}

int cv_profile_parse_ext(cv_profile **out, const void *data, size_t len,
			 const cv_profile_parse_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_PROFILE_PARSE_OPTIONS_VERSION, "cv_profile_parse_options");
	if (vrc)
		return vrc;
	return parse(out, data, len, NULL, max_bytes(o));
}

int cv_profile_parse(cv_profile **out, const void *data, size_t len)
{
	return cv_profile_parse_ext(out, data, len, NULL);
}

/* Slurp a descriptor: sized from fstat when possible, grown otherwise.
 * No file over max bytes is a profile callviz reads, gzipped or not. */
static int read_all(int fd, uint8_t **out, size_t *out_len, size_t max)
{
	struct stat st;
	size_t cap = 64 * 1024, len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > max)
			return too_big(max);
		cap = (size_t)st.st_size + 1;
	}
	uint8_t *buf = malloc(cap);
	if (!buf)
		return cv_error_nomem();
	for (;;) {
		if (CV_GROW(buf, cap, len + 1, 64 * 1024)) {
			free(buf);
			return cv_error_nomem();
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			free(buf);
			return cv_error_set(CV_EIO, "%s", strerror(err));
		}
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return too_big(max);
		}
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int cv_profile_read_ext(cv_profile **out, const char *path,
			const cv_profile_parse_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_PROFILE_PARSE_OPTIONS_VERSION, "cv_profile_parse_options");
	if (vrc)
		return vrc;
	bool use_stdin = strcmp(path, "-") == 0;
	int fd = use_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cv_error_set(CV_EIO, "%s", strerror(errno));
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = read_all(fd, &buf, &len, max_bytes(o));
	if (!use_stdin)
		close(fd);
	return rc ? rc : parse(out, buf, len, buf, max_bytes(o));
}

int cv_profile_read(cv_profile **out, const char *path)
{
	return cv_profile_read_ext(out, path, NULL);
}

void cv_profile_free(cv_profile *p)
{
	/* The profile struct itself lives in its arena. */
	if (p)
		cv_arena_free(p->arena);
}
