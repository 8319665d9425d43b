#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"
#include "profile/folded.h"
#include "profile/limits.h"
#include "profile/stream.h"
#include "util/alloc.h"

/* The size a gzip file's trailer claims for its (last) member. */
static size_t trailer_size(const uint8_t *in, size_t len)
{
	if (len < 18)
		return 0;
	return (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 |
	       (size_t)in[len - 1] << 24;
}

/*
 * Guess the inflated size to avoid regrowing the output: a gzip member
 * ends with its uncompressed length mod 2^32. Only the last member's is
 * visible and garbage could claim anything, so it is a hint, not a limit,
 * and one no larger than real profiles' ratios (under 10:1) could need:
 * a bomb's claim must not reserve gigabytes up front.
 */
static size_t size_hint(const uint8_t *in, size_t len, size_t max)
{
	size_t isize = trailer_size(in, len);
	size_t most = len < max / 32 ? len * 32 : max;
	size_t hint = isize >= len ? isize : (len < max / 4 ? len * 4 : max);
	if (hint > most)
		hint = most;
	if (hint < 4096)
		hint = 4096;
	return hint < max ? hint : max;
}

/* Inflate this much at a time, so the scan sees a bomb's first bytes. */
#define STEP ((size_t)1 << 20)

/* A followed buffer must stay where its reader is: copy, keep the old one. */
static int grow(uint8_t **buf, size_t *cap, size_t max, cv_stream *stream)
{
	size_t ncap = *cap < max / 2 ? *cap * 2 : max + 1;
	uint8_t *nbuf = stream ? malloc(ncap) : realloc(*buf, ncap);
	if (!nbuf)
		return cv_error_nomem();
	if (stream) {
		memcpy(nbuf, *buf, *cap);
		cv_stream_abandon(stream, *buf);
	}
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

/*
 * After a member's trailer, Go's gzip reader (and so pprof) insists that
 * whatever follows is another complete member; trailing junk is an error.
 */
static int next_member(z_stream *zs)
{
	if (zs->avail_in == 0)
		return 1;
	if (zs->avail_in < 2 || zs->next_in[0] != 0x1f || zs->next_in[1] != 0x8b)
		return cv_error_set(CV_EFORMAT, "gzip: invalid header after member");
	if (inflateReset(zs) != Z_OK)
		return cv_error_set(CV_EFORMAT, "gzip: cannot restart inflate");
	return 0;
}

/* `*used` is kept by hand: inflateReset between members zeroes total_out. */
static int inflate_all(z_stream *zs, uint8_t **buf, size_t *cap, size_t *used,
		       size_t max, cv_scan *scan, cv_stream *stream)
{
	for (;;) {
		if (*used == *cap) {
			int rc = grow(buf, cap, max, stream);
			if (rc)
				return rc;
		}
		size_t room = *cap - *used;
		zs->next_out = *buf + *used;
		zs->avail_out = (uInt)(room > STEP ? STEP : room);
		uInt before = zs->avail_out;
		int zr = inflate(zs, Z_NO_FLUSH);
		*used += before - zs->avail_out;
		if (stream)
			cv_stream_publish(stream, *buf, *cap, *used);
		/* The buffer tops out at max + 1 bytes so that filling it
		 * proves the limit was crossed. */
		if (*used > max)
			break;
		if (zr == Z_MEM_ERROR)
			return cv_error_nomem();
		if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR)
			return cv_error_set(CV_EFORMAT, "gzip: %s",
					    zs->msg ? zs->msg : "corrupt data");
		/* Input used up, room left, no end marker: the file was cut short. */
		if (zr != Z_STREAM_END && zs->avail_in == 0 && zs->avail_out > 0)
			return cv_error_set(CV_EFORMAT, "gzip: unexpected end of data");
		/* Gzipped collapsed stacks are text, not protobuf: once the
		 * first chunk says so, only -max_bytes bounds them, as it
		 * bounds a plain text file. */
		if (scan && scan->pos == 0 && cv_folded_detect(*buf, *used))
			scan = NULL;
		int rc = scan ? cv_scan_feed(scan, *buf, *used) : 0;
		if (rc == 0 && zr == Z_STREAM_END && (rc = next_member(zs)) > 0)
			return 0;
		if (rc)
			return rc;
	}
	char sz[32];
	return cv_error_set(CV_EFORMAT, "inflated profile exceeds -max_bytes (%s)",
			    cv_format_size(sz, sizeof(sz), max));
}

/* Real profiles inflate by less than 10:1; past this, trust only zlib,
 * which stops a bomb at the scan's first refusal. */
#define MOST_WHOLE_RATIO 32

int cv_gunzip_whole(const uint8_t *in, size_t len, size_t max,
		    uint8_t **out, size_t *out_len)
{
	size_t isize = trailer_size(in, len);
	if (isize == 0 || isize > max || isize / MOST_WHOLE_RATIO > len)
		return CV_DECLINE;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	uint8_t *buf = malloc(isize);
	if (!d || !buf) {
		libdeflate_free_decompressor(d);
		free(buf);
		return cv_error_nomem();
	}
	size_t in_used = 0, got = 0;
	enum libdeflate_result r =
		libdeflate_gzip_decompress_ex(d, in, len, buf, isize, &in_used, &got);
	libdeflate_free_decompressor(d);
	/* One member, all of the input, exactly the size claimed. */
	if (r != LIBDEFLATE_SUCCESS || in_used != len || got != isize) {
		free(buf);
		return CV_DECLINE;
	}
	*out = buf;
	*out_len = got;
	return 0;
}

int cv_gunzip(const uint8_t *in, size_t len, size_t max,
	      uint8_t **out, size_t *out_len)
{
	return cv_gunzip_scan(in, len, max, NULL, NULL, out, out_len);
}

int cv_gunzip_scan(const uint8_t *in, size_t len, size_t max, cv_scan *scan,
		   cv_stream *stream, uint8_t **out, size_t *out_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	/* 16 + MAX_WBITS: accept the gzip wrapper only, not raw zlib. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return cv_error_nomem();
	/* zlib counts avail_in in uInt; profiles over 4 GiB compressed are not real. */
	if (len > UINT_MAX) {
		inflateEnd(&zs);
		return cv_error_set(CV_EFORMAT, "gzip: compressed input too large");
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;

	size_t cap = size_hint(in, len, max);
	uint8_t *buf = malloc(cap);
	size_t n = 0;
	if (buf && stream)
		cv_stream_publish(stream, buf, cap, 0);
	int rc = buf ? inflate_all(&zs, &buf, &cap, &n, max, scan, stream)
		     : cv_error_nomem();
	inflateEnd(&zs);
	/* A reader may still be in a failed buffer: the stream frees it. */
	if (rc && stream && buf)
		cv_stream_abandon(stream, buf);
	else if (rc)
		free(buf);
	if (stream)
		cv_stream_finish(stream);
	if (rc)
		return rc;
	*out = buf;
	*out_len = n;
	return 0;
}
