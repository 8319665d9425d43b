/*
 * A pass over profile.proto's wire format that allocates nothing: it
 * counts what protobuf-c is about to allocate and refuses structure that
 * protobuf-c refuses (field number 0, groups, unknown wire types, lengths
 * past the end), so that limits and garbage are caught while the data is
 * still being inflated. It only ever refuses what would fail later anyway
 * or what crosses a limit in limits.h; anything it accepts is still
 * checked in full by protobuf-c.
 */
#include <inttypes.h>
#include <string.h>

#include "callviz/error.h"
#include "profile/limits.h"

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };
enum { OK = 0, SHORT = 1, BAD = -1 };

typedef struct field {
	uint32_t num, wt;
	uint64_t value;         /* a varint's value, or a payload's length */
	const uint8_t *payload; /* WT_LEN only */
	size_t size;            /* header and payload */
} field;

/* A varint of at most `most` bytes (protobuf-c reads tags and lengths
 * in at most 5, values in at most 10). */
static int varint(const uint8_t *p, size_t len, size_t most, uint64_t *v, size_t *used)
{
	uint64_t x = 0;
	for (size_t i = 0; i < most; i++) {
		if (i == len)
			return SHORT;
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			*used = i + 1;
			return OK;
		}
	}
	return BAD;
}

/*
 * One field at p: SHORT if it runs past len, BAD if protobuf-c refuses it.
 * protobuf-c's own rules, not the spec's: a field number of 0 is refused
 * only when the tag's first byte says so, a 5-byte tag may carry any
 * 32-bit field number, and a length over INT_MAX is refused.
 */
static int next_field_slow(const uint8_t *p, size_t len, field *f)
{
	uint64_t key;
	size_t n, m;
	if (len > 0 && (p[0] & 0xf8) == 0)
		return BAD;
	int rc = varint(p, len, 5, &key, &n);
	if (rc)
		return rc;
	f->num = (uint32_t)(key >> 3);
	f->wt = key & 7;
	switch (f->wt) {
	case WT_VARINT:
		if ((rc = varint(p + n, len - n, 10, &f->value, &m)))
			return rc;
		f->size = n + m;
		return OK;
	case WT_I64:
		f->size = n + 8;
		break;
	case WT_I32:
		f->size = n + 4;
		break;
	case WT_LEN:
		if ((rc = varint(p + n, len - n, 5, &f->value, &m)))
			return rc;
		if (f->value > INT32_MAX)
			return BAD;
		f->payload = p + n + m;
		f->size = n + m + (size_t)f->value;
		break;
	default:
		return BAD;       /* groups and wire types 6, 7 */
	}
	return f->size > len ? SHORT : OK;
}

/* The same, inline for the fields nearly all are: a one-byte key, a
 * varint or length of one or two bytes. */
static inline int next_field(const uint8_t *p, size_t len, field *f)
{
	if (len < 3)
		return next_field_slow(p, len, f);
	uint32_t key = p[0], b1 = p[1], b2 = p[2], wt = key & 7;
	if (key >= 0x80 || key < 8 || (wt != WT_LEN && wt != WT_VARINT) || (b1 & b2 & 0x80))
		return next_field_slow(p, len, f);
	uint32_t more = b1 >> 7;
	uint64_t v = (b1 & 0x7f) | ((b2 & 0x7f) << 7 & (0u - more));
	f->num = key >> 3;
	f->wt = wt;
	f->value = v;
	f->size = 2 + more;
	if (wt == WT_LEN) {
		f->payload = p + f->size;
		f->size += (size_t)v;
	}
	return f->size > len ? SHORT : OK;
}

/* A packed run of varints holds one number per byte that ends a varint
 * (high bit clear); counted eight bytes at a time, this pass is cheap. */
static uint64_t packed_count(const uint8_t *p, size_t len)
{
	uint64_t n = len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		/* the high bits, one per byte, summed by a multiply */
		n -= ((w & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull >> 56;
	}
	for (; i < len; i++)
		n -= p[i] >> 7;
	return n;
}

/* A sample: location ids (field 1) and values (2) are numbers, labels (3)
 * messages. */
static int scan_sample(cv_scan *s, const field *outer)
{
	const uint8_t *p = outer->payload;
	size_t len = (size_t)outer->value;
	while (len > 0) {
		field f = {0};
		if (next_field(p, len, &f) != OK)
			return BAD;
		if (f.num == 1 || f.num == 2) {
			uint64_t n = f.wt == WT_LEN ? packed_count(f.payload, (size_t)f.value) : 1;
			s->numbers += n;
		} else if (f.num == 3) {
			s->messages++;
		}
		p += f.size;
		len -= f.size;
	}
	return OK;
}

/*
 * A location: its lines (field 4) are messages. A complete submessage
 * that does not parse makes protobuf-c fail the whole profile, so it is
 * BAD here too, as in a sample.
 */
static int scan_location(cv_scan *s, const field *outer)
{
	const uint8_t *p = outer->payload;
	size_t len = (size_t)outer->value;
	while (len > 0) {
		field f = {0};
		if (next_field(p, len, &f) != OK)
			return BAD;
		if (f.num == 4)
			s->messages++;
		p += f.size;
		len -= f.size;
	}
	return OK;
}

static int not_profile(void)
{
	return cv_error_set(CV_EFORMAT, "unrecognized profile format (not a profile.proto)");
}

static int too_many(const char *what, uint64_t limit)
{
	return cv_error_set(CV_EFORMAT,
			    "profile has more than %" PRIu64 " %s, a limit no real profile reaches",
			    limit, what);
}

static int long_string(const cv_scan *s, uint64_t len)
{
	char lim[32];
	return cv_error_set(CV_EFORMAT,
			    "string table entry %" PRIu64 " is %" PRIu64 " bytes long, over the %s limit",
			    s->strings, len, cv_format_size(lim, sizeof(lim), CV_MAX_STRING));
}

/* Count one complete top-level field of the Profile message. */
static int count_field(cv_scan *s, const field *f)
{
	int rc = OK;
	if (f->wt != WT_LEN) {
		/* time_nanos, duration_nanos, period, drop/keep_frames,
		 * default_sample_type, a comment: no allocation but comments'. */
		if (f->num == 13)
			s->numbers++;
		else if (f->num < 7 || f->num > 14 || f->num == 11)
			s->messages++;  /* kept by protobuf-c as an unknown field */
		return OK;
	}
	s->messages++;
	switch (f->num) {
	case 2:
		rc = scan_sample(s, f);
		break;
	case 4:
		rc = scan_location(s, f);
		break;
	case 6:
		if (f->value > CV_MAX_STRING)
			return long_string(s, f->value);
		s->strings++;
		break;
	case 13:
		s->numbers += packed_count(f->payload, (size_t)f->value);
		break;
	}
	return rc == OK ? OK : not_profile();
}

void cv_scan_init(cv_scan *s, size_t max_bytes)
{
	s->pos = 0;
	s->max_bytes = max_bytes;
	s->messages = s->numbers = s->strings = 0;
}

/*
 * A field not yet complete: refuse now if its claimed length can never be
 * acceptable, rather than inflate up to it.
 */
static int check_claim(const cv_scan *s, const field *f, const uint8_t *buf)
{
	char sz[32];
	size_t at = f->payload ? (size_t)(f->payload - buf) : 0;
	if (!f->payload)
		return 0;
	if (f->num == 6 && f->value > CV_MAX_STRING)
		return long_string(s, f->value);
	if (at > s->max_bytes || f->value > s->max_bytes - at)
		return cv_error_set(CV_EFORMAT,
				    "profile exceeds -max_bytes (%s): a field at byte %zu claims %" PRIu64 " bytes",
				    cv_format_size(sz, sizeof(sz), s->max_bytes), s->pos, f->value);
	return 0;
}

int cv_scan_feed(cv_scan *s, const uint8_t *buf, size_t len)
{
	while (s->pos < len) {
		field f = {0};
		int rc = next_field(buf + s->pos, len - s->pos, &f);
		if (rc == BAD)
			return not_profile();
		if (rc == SHORT)
			return check_claim(s, &f, buf);
		if ((rc = count_field(s, &f)))
			return rc;
		if (s->messages > CV_MAX_MESSAGES)
			return too_many("messages (samples, locations, functions, strings...)",
					CV_MAX_MESSAGES);
		if (s->numbers > CV_MAX_NUMBERS)
			return too_many("numbers (location ids, values)", CV_MAX_NUMBERS);
		s->pos += f.size;
	}
	return 0;
}
