#ifndef CV_PROFILE_LIMITS_H
#define CV_PROFILE_LIMITS_H

/*
 * What a decode accepts, beyond profile.proto's own rules. Every limit is
 * far above what real profilers write (Go records at most 128 frames per
 * stack, perf 127 by default and async-profiler 2048; real profiles hold
 * thousands to a few million samples) and exists so that a hostile file
 * gets a clear error instead of hours of work or tens of gigabytes.
 *
 * Memory: protobuf-c turns a 2-byte empty message into a ~100-byte struct,
 * and a 1-byte packed number into 8 bytes, so a small gzip file could
 * decode into far more memory than its inflated size suggests. The counts
 * are therefore taken from the wire format as it is inflated, before
 * protobuf-c allocates anything, and a bomb stops at the first limit.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/profile.h"

/* Default for -max_bytes: the profile.proto bytes, after inflating. */
#define CV_MAX_BYTES_DEFAULT ((size_t)2 << 30)

/* Messages and strings of all kinds together (samples, labels, locations,
 * lines, functions, mappings, strings, unknown fields): ~2 GB decoded. */
#define CV_MAX_MESSAGES ((uint64_t)1 << 24)
/* Repeated numbers (location ids, values, comments): ~2 GB decoded. */
#define CV_MAX_NUMBERS ((uint64_t)1 << 27)
/* One string: names of a few kB exist (C++ templates), megabytes do not. */
#define CV_MAX_STRING ((uint64_t)1 << 20)
/* Frames of one sample, inlined frames included. */
#define CV_MAX_DEPTH ((uint64_t)1 << 20)
/* Frames of all samples: what every graph pass walks, ~10 s of work. */
#define CV_MAX_FRAMES ((uint64_t)1 << 30)

/*
 * Incremental check of the wire format, fed the growing inflated buffer.
 * It refuses what protobuf-c would refuse anyway (so a bomb of garbage
 * stops after its first chunk) and what crosses a limit above.
 */
typedef struct cv_scan {
	size_t pos;             /* first top-level byte not yet scanned */
	size_t max_bytes;       /* the -max_bytes in force, for messages */
	uint64_t messages, numbers, strings;
} cv_scan;

void cv_scan_init(cv_scan *s, size_t max_bytes);

/*
 * Scan the complete top-level fields of buf[s->pos, len); the bytes before
 * s->pos must be the ones fed before. A field cut off by the end of buf is
 * left for the next call. Returns 0 or CV_EFORMAT with the error set.
 */
int cv_scan_feed(cv_scan *s, const uint8_t *buf, size_t len);

/* "2 GiB", "512 MiB", "1000 bytes": a -max_bytes value for messages. */
const char *cv_format_size(char *buf, size_t size, size_t bytes);

#endif
