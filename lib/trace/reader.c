/*
 * The generational trace format of Go 1.22 to 1.26, read as Go's
 * internal/trace reader reads it (reader.go, generation.go, batch.go,
 * batchcursor.go): the input is a header and a run of batches; each
 * belongs to a generation, and a generation's batches (events per thread,
 * strings, stacks, CPU samples, the clock) are read whole before any of
 * its events is given out. Before Go 1.26 a generation ends where a batch
 * of the next one starts; from Go 1.26 on, at an end-of-generation byte.
 * Only one generation is held at a time.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "trace/trace_internal.h"
#include "util/alloc.h"

#define NONE CV_TRACE_NONE
#define MAX_BATCH (64u << 10)
#define MAX_FRAMES 128
#define MAX_STRING (1u << 10)
#define MAX_BYTES_DEFAULT ((size_t)2 << 30)
#define N_SPECS 137

enum {
	EV_EVENT_BATCH = 1, EV_STACKS = 2, EV_STACK = 3, EV_STRINGS = 4, EV_STRING = 5,
	EV_CPU_SAMPLES = 6, EV_CPU_SAMPLE = 7, EV_FREQUENCY = 8,
	EV_EXPERIMENTAL_BATCH = 49, EV_SYNC = 50, EV_CLOCK_SNAPSHOT = 51,
	EV_END_OF_GENERATION = 52
};

/* Per event type: arguments including the timestamp (0: not a timed
 * event), the argument holding its own stack and its string arguments
 * (1-based, counting the timestamp as 0; 0 for none). */
typedef struct spec { uint8_t nargs, stack, str1, str2; } spec;

static const spec specs[N_SPECS] = {
	[9] = {3, 2, 0, 0}, [10] = {3, 0, 0, 0}, [11] = {1, 0, 0, 0}, [12] = {4, 0, 0, 0},
	[13] = {3, 0, 0, 0}, [14] = {4, 3, 0, 0}, [15] = {2, 0, 0, 0}, [16] = {3, 0, 0, 0},
	[17] = {1, 0, 0, 0}, [18] = {1, 0, 0, 0}, [19] = {3, 2, 1, 0}, [20] = {3, 2, 1, 0},
	[21] = {4, 3, 0, 0}, [22] = {3, 2, 0, 0}, [23] = {1, 0, 0, 0}, [24] = {1, 0, 0, 0},
	[25] = {4, 0, 0, 0}, [26] = {3, 2, 1, 0}, [27] = {1, 0, 0, 0}, [28] = {2, 0, 0, 0},
	[29] = {3, 2, 0, 0}, [30] = {2, 0, 0, 0}, [31] = {2, 0, 0, 0}, [32] = {2, 1, 0, 0},
	[33] = {3, 0, 0, 0}, [34] = {2, 0, 0, 0}, [35] = {2, 1, 0, 0}, [36] = {1, 0, 0, 0},
	[37] = {2, 0, 0, 0}, [38] = {2, 0, 0, 0}, [39] = {2, 0, 1, 0}, [40] = {5, 4, 3, 0},
	[41] = {3, 2, 0, 0}, [42] = {4, 3, 2, 0}, [43] = {4, 3, 2, 0}, [44] = {5, 4, 2, 3},
	[45] = {3, 0, 0, 0}, [46] = {3, 0, 0, 0}, [47] = {4, 3, 0, 0}, [48] = {5, 4, 0, 0},
	[51] = {4, 0, 0, 0},
	[128] = {4, 0, 0, 0}, [129] = {4, 0, 0, 0}, [130] = {2, 0, 0, 0}, [131] = {3, 0, 0, 0},
	[132] = {3, 0, 0, 0}, [133] = {2, 0, 0, 0}, [134] = {3, 0, 0, 0}, [135] = {3, 0, 0, 0},
	[136] = {2, 0, 0, 0},
};

struct cv_trace_reader {
	cv_trace_read_fn read;
	void *read_data;
	uint8_t buf[64 * 1024];
	size_t pos, end;
	bool eof;
	uint64_t off, max_bytes;
	int version;
	int64_t last_ts;
	generation *gen;
	cursor *cursors;        /* the frontier, a min-heap by event time */
	size_t n_front, cap_front;
	ordering order;
	int syncs;
	bool done;
	/* Before Go 1.26: the first batch of the next generation. */
	bool has_spill;
	uint64_t spill_gen;
	tbatch spill;
	uint8_t *spill_data;
	int spill_exp;
	int spill_err;          /* 0, or the error after the last generation */
	char spill_msg[512];
	bool spill_err_sync;
	int gen_err;            /* Go 1.26: the error reading a generation */
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return cv_grow(arr, cap, need, elem, 16);
}

bool cv_trace_detect(const uint8_t *data, size_t len)
{
	return len >= 5 && memcmp(data, "go 1.", 5) == 0;
}

/* ---- input ---- */

/* Refill the buffer; 0 on success or end of input, <0 on error. */
static int fill(cv_trace_reader *r)
{
	if (r->pos < r->end || r->eof)
		return 0;
	long n = r->read(r->read_data, r->buf, sizeof(r->buf));
	if (n < 0)
		return (int)n;
	r->pos = 0;
	r->end = (size_t)n;
	if (n == 0)
		r->eof = true;
	return 0;
}

/* One byte: 1, 0 at the end, <0 on error. */
static int read_byte(cv_trace_reader *r, uint8_t *b)
{
	int rc = fill(r);
	if (rc)
		return rc;
	if (r->pos == r->end)
		return 0;
	if (r->off >= r->max_bytes)
		return cv_error_set(CV_EFORMAT, "offset %llu: trace exceeds -max_bytes",
				    (unsigned long long)r->off);
	*b = r->buf[r->pos++];
	r->off++;
	return 1;
}

/* Exactly len bytes: 1, 0 if the input ended first, <0 on error. */
static int read_full(cv_trace_reader *r, uint8_t *dst, size_t len)
{
	while (len > 0) {
		int rc = fill(r);
		if (rc)
			return rc;
		if (r->pos == r->end)
			return 0;
		size_t n = r->end - r->pos < len ? r->end - r->pos : len;
		if (r->off + n > r->max_bytes)
			return cv_error_set(CV_EFORMAT, "offset %llu: trace exceeds -max_bytes",
					    (unsigned long long)r->off);
		memcpy(dst, r->buf + r->pos, n);
		r->pos += n;
		r->off += n;
		dst += n;
		len -= n;
	}
	return 1;
}

/* A varint from the input, as encoding/binary.ReadUvarint: 1, 0 at the
 * end before any byte, <0 on error (a cut or an overflow). */
static int read_uvarint(cv_trace_reader *r, uint64_t *v, const char *what)
{
	uint64_t x = 0;
	unsigned s = 0;
	uint64_t start = r->off;
	for (int i = 0; i < 10; i++) {
		uint8_t b = 0;
		int rc = read_byte(r, &b);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (i == 0)
				return 0;
			return cv_error_set(CV_EFORMAT, "offset %llu: %s cut short",
					    (unsigned long long)start, what);
		}
		if (b < 0x80) {
			if (i == 9 && b > 1)
				break;
			*v = x | (uint64_t)b << s;
			return 1;
		}
		x |= (uint64_t)(b & 0x7f) << s;
		s += 7;
	}
	return cv_error_set(CV_EFORMAT, "offset %llu: %s overflows 64 bits",
			    (unsigned long long)start, what);
}

/* A varint from memory, as binary.Uvarint: bytes used, 0 if cut, <0 if
 * it overflows. */
static int uvarint(const uint8_t *p, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	unsigned s = 0;
	for (size_t i = 0; i < len && i < 10; i++) {
		uint8_t b = p[i];
		if (b < 0x80) {
			if (i == 9 && b > 1)
				return -1;
			*v = x | (uint64_t)b << s;
			return (int)i + 1;
		}
		x |= (uint64_t)(b & 0x7f) << s;
		s += 7;
	}
	return len >= 10 ? -1 : 0;
}

/* ---- header ---- */

int cv_trace_reader_new(cv_trace_reader **out, cv_trace_read_fn read, void *data,
			size_t max_bytes)
{
	*out = NULL;
	cv_trace_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return cv_error_nomem();
	r->read = read;
	r->read_data = data;
	r->max_bytes = max_bytes ? max_bytes : MAX_BYTES_DEFAULT;
	/* "go 1.%d trace\0\0\0": 16 bytes for every version Go writes. */
	uint8_t h[16];
	int rc = read_full(r, h, sizeof(h));
	int v = 0;
	if (rc == 1 && memcmp(h, "go 1.", 5) == 0 && h[5] >= '0' && h[5] <= '9' && h[6] >= '0' &&
	    h[6] <= '9' && memcmp(h + 7, " trace\0\0\0", 9) == 0)
		v = (h[5] - '0') * 10 + (h[6] - '0');
	if (rc < 0) {
		free(r);
		return rc;
	}
	if (v == 0) {
		free(r);
		return cv_error_set(CV_EFORMAT, "offset 0: bad file format: not a Go execution trace");
	}
	if (v == 11 || v == 19 || v == 21) {
		free(r);
		return cv_error_set(CV_EFORMAT,
				    "offset 0: go 1.%d trace: traces of Go 1.21 and before are not read yet",
				    v);
	}
	if (v != 22 && v != 23 && v != 25 && v != 26) {
		free(r);
		return cv_error_set(CV_EFORMAT, "offset 0: unknown or unsupported trace version go 1.%d",
				    v);
	}
	r->version = v;
	r->order.version = v;
	*out = r;
	return 0;
}

int cv_trace_version(const cv_trace_reader *r)
{
	return r->version;
}

uint64_t cv_trace_offset(const cv_trace_reader *r)
{
	return r->off;
}

/* ---- generations ---- */

static void gen_free(generation *g)
{
	if (!g)
		return;
	free(g->bytes);
	free(g->batches);
	free(g->ms);
	u64map_free(&g->m_index);
	free(g->strs);
	u64map_free(&g->str_index);
	free(g->stacks);
	u64map_free(&g->stack_index);
	free(g->pcs);
	free(g->frames);
	u64map_free(&g->frame_index);
	free(g->samples);
	free(g);
}

const char *gen_string(const generation *g, uint64_t id, bool *ok)
{
	*ok = true;
	if (id == 0)
		return "";
	uint32_t i = u64map_get(&g->str_index, id);
	if (i == U64MAP_NONE) {
		*ok = false;
		return "";
	}
	return (const char *)g->bytes + g->strs[i].off;
}

static bool gen_has_stack(const generation *g, uint64_t id)
{
	return id == 0 || u64map_get(&g->stack_index, id) != U64MAP_NONE;
}

/* A batch header and its data. Returns 1, 0 at the end, <0 on error;
 * *end_of_gen for Go 1.26's end-of-generation byte. */
static int read_batch(cv_trace_reader *r, generation *g, tbatch *b, uint64_t *gen, int *exp,
		      bool *end_of_gen)
{
	uint8_t typ;
	uint64_t start = r->off;
	*end_of_gen = false;
	*exp = 0;
	int rc = read_byte(r, &typ);
	if (rc <= 0)
		return rc;
	if (typ == EV_END_OF_GENERATION) {
		*end_of_gen = true;
		*gen = 0;
		return 1;
	}
	if (typ != EV_EVENT_BATCH && typ != EV_EXPERIMENTAL_BATCH)
		return cv_error_set(CV_EFORMAT, "offset %llu: expected batch event, got event %d",
				    (unsigned long long)start, typ);
	if (typ == EV_EXPERIMENTAL_BATCH) {
		uint8_t e;
		if ((rc = read_byte(r, &e)) <= 0)
			return rc ? rc : cv_error_set(CV_EFORMAT, "offset %llu: batch header cut short",
						      (unsigned long long)start);
		*exp = e;
	}
	uint64_t m, ts, size;
	if ((rc = read_uvarint(r, gen, "batch generation")) <= 0 ||
	    (rc = read_uvarint(r, &m, "batch thread ID")) <= 0 ||
	    (rc = read_uvarint(r, &ts, "batch timestamp")) <= 0 ||
	    (rc = read_uvarint(r, &size, "batch size")) <= 0)
		return rc ? rc : cv_error_set(CV_EFORMAT, "offset %llu: batch header cut short",
					      (unsigned long long)start);
	if (size > MAX_BATCH)
		return cv_error_set(CV_EFORMAT, "offset %llu: invalid batch size %llu, maximum is %u",
				    (unsigned long long)start, (unsigned long long)size, MAX_BATCH);
	if (grow((void **)&g->bytes, &g->cap_bytes, g->n_bytes + size + 1, 1))
		return CV_ENOMEM;
	b->m = (int64_t)m;
	b->time = ts;
	b->data = g->n_bytes;
	b->len = size;
	b->off = r->off;
	b->next = UINT32_MAX;
	rc = read_full(r, g->bytes + g->n_bytes, size);
	if (rc <= 0)
		return rc ? rc : cv_error_set(CV_EFORMAT,
					      "offset %llu: batch cut short: wanted %llu bytes of data, the trace ends at %llu",
					      (unsigned long long)start, (unsigned long long)size,
					      (unsigned long long)r->off);
	g->n_bytes += size;
	return 1;
}

#define BERR(b, ...) batch_error(b, __VA_ARGS__)

static int batch_error(const tbatch *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int batch_error(const tbatch *b, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cv_error_set(CV_EFORMAT, "offset %llu: %s", (unsigned long long)b->off, msg);
}

static int add_strings(generation *g, const tbatch *b)
{
	const uint8_t *p = g->bytes + b->data;
	size_t len = b->len, i = 1;
	while (i < len) {
		if (p[i] != EV_STRING)
			return BERR(b, "expected string event, got %d", p[i]);
		i++;
		uint64_t id, n;
		int k = uvarint(p + i, len - i, &id);
		if (k <= 0)
			return BERR(b, "bad string ID");
		i += (size_t)k;
		if ((k = uvarint(p + i, len - i, &n)) <= 0)
			return BERR(b, "bad string length");
		i += (size_t)k;
		if (n > MAX_STRING)
			return BERR(b, "invalid string size %llu, maximum is %u", (unsigned long long)n,
				    MAX_STRING);
		if (n > len - i)
			return BERR(b, "failed to read full string: wanted %llu bytes",
				    (unsigned long long)n);
		bool dup;
		gen_string(g, id, &dup);
		if (dup && id != 0)
			return BERR(b, "multiple strings with the same ID: id=%llu",
				    (unsigned long long)id);
		if (id == 0)
			return BERR(b, "multiple strings with the same ID: id=0");
		/* Strings are kept NUL-terminated in bytes: copy after the data. */
		if (grow((void **)&g->strs, &g->cap_strs, g->n_strs + 1, sizeof(*g->strs)) ||
		    grow((void **)&g->bytes, &g->cap_bytes, g->n_bytes + n + 1, 1))
			return CV_ENOMEM;
		p = g->bytes + b->data;
		memcpy(g->bytes + g->n_bytes, p + i, n);
		g->bytes[g->n_bytes + n] = 0;
		g->strs[g->n_strs] = (tstr){g->n_bytes, n};
		g->n_bytes += n + 1;
		if (u64map_put(&g->str_index, id, (uint32_t)g->n_strs++))
			return CV_ENOMEM;
		i += n;
	}
	return 0;
}

static int add_stacks(generation *g, const tbatch *b)
{
	const uint8_t *p = g->bytes + b->data;
	size_t len = b->len, i = 1;
	while (i < len) {
		if (p[i] != EV_STACK)
			return BERR(b, "expected stack event, got %d", p[i]);
		i++;
		uint64_t id, n;
		int k = uvarint(p + i, len - i, &id);
		if (k <= 0)
			return BERR(b, "bad stack ID");
		i += (size_t)k;
		if ((k = uvarint(p + i, len - i, &n)) <= 0)
			return BERR(b, "bad stack size");
		i += (size_t)k;
		if (n > MAX_FRAMES)
			return BERR(b, "invalid stack size %llu, maximum is %d", (unsigned long long)n,
				    MAX_FRAMES);
		if (grow((void **)&g->pcs, &g->cap_pcs, g->n_pcs + n, sizeof(*g->pcs)))
			return CV_ENOMEM;
		size_t first = g->n_pcs;
		for (uint64_t f = 0; f < n; f++) {
			uint64_t v[4];
			for (int j = 0; j < 4; j++) {
				if ((k = uvarint(p + i, len - i, &v[j])) <= 0)
					return BERR(b, "reading frame %llu of stack %llu",
						    (unsigned long long)f + 1, (unsigned long long)id);
				i += (size_t)k;
			}
			g->pcs[g->n_pcs++] = v[0];
			if (u64map_get(&g->frame_index, v[0]) == U64MAP_NONE) {
				if (grow((void **)&g->frames, &g->cap_frames, g->n_frames + 1,
					 sizeof(*g->frames)) ||
				    g->n_frames >= UINT32_MAX - 1 ||
				    u64map_put(&g->frame_index, v[0], (uint32_t)g->n_frames))
					return CV_ENOMEM;
				g->frames[g->n_frames++] = (tframe){v[1], v[2], v[3]};
			}
		}
		if (id == 0 || u64map_get(&g->stack_index, id) != U64MAP_NONE)
			return BERR(b, "multiple stacks with the same ID: id=%llu",
				    (unsigned long long)id);
		if (grow((void **)&g->stacks, &g->cap_stacks, g->n_stacks + 1, sizeof(*g->stacks)) ||
		    g->n_stacks >= UINT32_MAX - 1 ||
		    u64map_put(&g->stack_index, id, (uint32_t)g->n_stacks))
			return CV_ENOMEM;
		g->stacks[g->n_stacks++] = (tstack){first, (uint32_t)n};
	}
	return 0;
}

static int add_samples(generation *g, const tbatch *b)
{
	const uint8_t *p = g->bytes + b->data;
	size_t len = b->len, i = 1;
	while (i < len) {
		if (p[i] != EV_CPU_SAMPLE)
			return BERR(b, "expected CPU sample event, got %d", p[i]);
		i++;
		uint64_t v[5];
		for (int j = 0; j < 5; j++) {
			int k = uvarint(p + i, len - i, &v[j]);
			if (k <= 0)
				return BERR(b, "bad CPU sample");
			i += (size_t)k;
		}
		if (grow((void **)&g->samples, &g->cap_samples, g->n_samples + 1,
			 sizeof(*g->samples)))
			return CV_ENOMEM;
		g->samples[g->n_samples++] = (tsample){(int64_t)v[0], (int64_t)v[1], (int64_t)v[2],
						       v[3] == 0 ? NONE : (int64_t)v[3], v[4]};
	}
	return 0;
}

static int set_sync(cv_trace_reader *r, generation *g, const tbatch *b)
{
	const uint8_t *p = g->bytes + b->data;
	size_t len = b->len, i = 0;
	if (r->version >= 25) {
		if (len == 0 || p[0] != EV_SYNC)
			return BERR(b, "missing sync batch header");
		i = 1;
	}
	while (i < len) {
		uint8_t ev = p[i++];
		uint64_t v[4];
		int k;
		if (ev == EV_FREQUENCY) {
			if (g->has_freq)
				return BERR(b, "found multiple frequency events");
			if ((k = uvarint(p + i, len - i, &v[0])) <= 0)
				return BERR(b, "bad frequency");
			i += (size_t)k;
			g->freq = 1.0 / ((double)v[0] / 1e9);
			g->has_freq = g->freq != 0;
		} else if (ev == EV_CLOCK_SNAPSHOT && r->version >= 25) {
			if (g->has_clock)
				return BERR(b, "found multiple clock snapshot events");
			g->has_clock = true;
			for (int j = 0; j < 4; j++) {
				if ((k = uvarint(p + i, len - i, &v[j])) <= 0)
					return BERR(b, "bad clock snapshot");
				i += (size_t)k;
			}
		} else {
			return BERR(b, "expected frequency or clock snapshot event, got %d", ev);
		}
	}
	return 0;
}

static int process_batch(cv_trace_reader *r, generation *g, tbatch *b, int exp)
{
	const uint8_t *p = g->bytes + b->data;
	uint8_t first = b->len ? p[0] : 0;
	if (exp == 0 && b->len > 0) {
		if (first == EV_STRINGS)
			return add_strings(g, b);
		if (first == EV_STACKS)
			return add_stacks(g, b);
		if (first == EV_CPU_SAMPLES)
			return add_samples(g, b);
		if ((first == EV_FREQUENCY && r->version < 25) || (first == EV_SYNC && r->version >= 25))
			return set_sync(r, g, b);
		if (first == EV_END_OF_GENERATION)
			return BERR(b, "unexpected end of generation in a batch");
	}
	if (exp != 0)
		return 0; /* experiments' data is not read */
	if (grow((void **)&g->batches, &g->cap_batches, g->n_batches + 1, sizeof(*g->batches)) ||
	    g->n_batches >= UINT32_MAX - 1)
		return CV_ENOMEM;
	uint32_t bi = (uint32_t)g->n_batches;
	g->batches[g->n_batches++] = *b;
	uint32_t mi = u64map_get(&g->m_index, (uint64_t)b->m);
	if (mi == U64MAP_NONE) {
		if (grow((void **)&g->ms, &g->cap_ms, g->n_ms + 1, sizeof(*g->ms)) ||
		    u64map_put(&g->m_index, (uint64_t)b->m, (uint32_t)g->n_ms))
			return CV_ENOMEM;
		g->ms[g->n_ms++] = (tmlist){b->m, bi, bi};
	} else {
		g->batches[g->ms[mi].last].next = bi;
		g->ms[mi].last = bi;
	}
	return 0;
}

static int64_t tmul(double f, uint64_t t)
{
	double x = (double)t * f;
	/* Go on amd64 gives INT64_MIN for what does not fit. */
	if (!(x > -9223372036854775808.0 && x < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)x;
}

static int cmp_sample(const void *a, const void *b)
{
	int64_t x = ((const tsample *)a)->time, y = ((const tsample *)b)->time;
	return (x > y) - (x < y);
}

/* What every generation needs once its batches are in. */
static int finish_gen(cv_trace_reader *r, generation *g)
{
	if (!g->has_freq)
		return cv_error_set(CV_EFORMAT, "offset %llu: no frequency event found in generation %llu",
				    (unsigned long long)r->off, (unsigned long long)g->gen);
	if (r->version >= 25 && !g->has_clock)
		return cv_error_set(CV_EFORMAT, "offset %llu: no clock snapshot event found in generation %llu",
				    (unsigned long long)r->off, (unsigned long long)g->gen);
	for (size_t s = 0; s < g->n_stacks; s++) {
		for (uint32_t k = 0; k < g->stacks[s].n; k++) {
			uint64_t pc = g->pcs[g->stacks[s].off + k];
			uint32_t f = u64map_get(&g->frame_index, pc);
			bool ok1, ok2;
			gen_string(g, g->frames[f].func, &ok1);
			gen_string(g, g->frames[f].file, &ok2);
			if (!ok1 || !ok2)
				return cv_error_set(CV_EFORMAT,
						    "offset %llu: generation %llu: found invalid %s string ID for a stack frame",
						    (unsigned long long)r->off, (unsigned long long)g->gen,
						    ok1 ? "file" : "func");
		}
	}
	for (size_t i = 0; i < g->n_samples; i++)
		g->samples[i].time = tmul(g->freq, (uint64_t)g->samples[i].time);
	if (g->n_samples > 1)
		qsort(g->samples, g->n_samples, sizeof(*g->samples), cmp_sample);
	return 0;
}

static generation *gen_new(void)
{
	return calloc(1, sizeof(generation));
}

/* Go 1.26: batches up to the end-of-generation byte. *out NULL at the end. */
static int read_generation(cv_trace_reader *r, generation **out)
{
	*out = NULL;
	generation *g = gen_new();
	if (!g)
		return cv_error_nomem();
	int rc;
	for (;;) {
		tbatch b;
		uint64_t gen;
		int exp;
		bool eog;
		rc = read_batch(r, g, &b, &gen, &exp, &eog);
		if (rc < 0)
			goto fail;
		if (rc == 0) {
			if (g->n_batches) {
				rc = cv_error_set(CV_EFORMAT,
						  "offset %llu: incomplete generation found; trace likely truncated",
						  (unsigned long long)r->off);
				goto fail;
			}
			gen_free(g);
			return 0;
		}
		if (g->gen == 0)
			g->gen = gen;
		if (eog)
			break;
		if (gen == 0) {
			rc = cv_error_set(CV_EFORMAT, "offset %llu: invalid generation number 0",
					  (unsigned long long)b.off);
			goto fail;
		}
		if (gen != g->gen) {
			rc = cv_error_set(CV_EFORMAT,
					  "offset %llu: broken trace: missing end-of-generation event, or generations are interleaved",
					  (unsigned long long)b.off);
			goto fail;
		}
		if (g->min_ts == 0 || b.time < g->min_ts)
			g->min_ts = b.time;
		if ((rc = process_batch(r, g, &b, exp)))
			goto fail;
	}
	if ((rc = finish_gen(r, g)))
		goto fail;
	*out = g;
	return 0;
fail:
	gen_free(g);
	return rc;
}

/* Before Go 1.26: batches up to the first of the next generation, kept
 * as the spill. Returns the generation (NULL with an error if none); an
 * error after some batches is kept in r->spill_err for later. */
static int read_generation_spill(cv_trace_reader *r, generation **out)
{
	*out = NULL;
	generation *g = gen_new();
	if (!g)
		return cv_error_nomem();
	int rc = 0;
	if (r->has_spill) {
		g->gen = r->spill_gen;
		g->min_ts = r->spill.time;
		if (grow((void **)&g->bytes, &g->cap_bytes, r->spill.len + 1, 1)) {
			rc = CV_ENOMEM;
			goto fail;
		}
		memcpy(g->bytes, r->spill_data, r->spill.len);
		g->n_bytes = r->spill.len;
		tbatch b = r->spill;
		b.data = 0;
		r->has_spill = false;
		free(r->spill_data);
		r->spill_data = NULL;
		if ((rc = process_batch(r, g, &b, r->spill_exp)))
			goto fail;
	}
	for (;;) {
		tbatch b;
		uint64_t gen;
		int exp;
		bool eog;
		size_t mark = g->n_bytes;
		rc = read_batch(r, g, &b, &gen, &exp, &eog);
		if (rc == 0)
			break;
		if (rc > 0 && eog) {
			rc = cv_error_set(CV_EFORMAT, "offset %llu: invalid generation number 0",
					  (unsigned long long)r->off - 1);
			goto fail;
		}
		if (rc < 0) {
			if (g->gen != 0) {
				r->spill_err = rc;
				snprintf(r->spill_msg, sizeof(r->spill_msg), "%s", cv_error_last());
				rc = 0;
				break;
			}
			goto fail;
		}
		if (gen == 0) {
			rc = cv_error_set(CV_EFORMAT, "offset %llu: invalid generation number 0",
					  (unsigned long long)b.off);
			goto fail;
		}
		if (g->gen == 0)
			g->gen = gen;
		if (gen == g->gen + 1) {
			r->spill_data = malloc(b.len + 1);
			if (!r->spill_data) {
				rc = cv_error_nomem();
				goto fail;
			}
			memcpy(r->spill_data, g->bytes + b.data, b.len);
			r->spill = b;
			r->spill_gen = gen;
			r->spill_exp = exp;
			r->has_spill = true;
			g->n_bytes = mark;
			break;
		}
		if (gen != g->gen) {
			rc = cv_error_set(CV_EFORMAT, "offset %llu: generations out of order",
					  (unsigned long long)b.off);
			goto fail;
		}
		if (g->min_ts == 0 || b.time < g->min_ts)
			g->min_ts = b.time;
		if ((rc = process_batch(r, g, &b, exp)))
			goto fail;
	}
	if ((rc = finish_gen(r, g)))
		goto fail;
	*out = g;
	return 0;
fail:
	gen_free(g);
	return rc;
}

/* ---- cursors ---- */

/* The cursor's next event; 1, 0 when its batches are done, <0 on error. */
static int cursor_next(cursor *c, const generation *g)
{
	while (c->batch != UINT32_MAX && g->batches[c->batch].len == c->off) {
		c->batch = g->batches[c->batch].next;
		c->off = 0;
		c->last_ts = 0;
	}
	if (c->batch == UINT32_MAX)
		return 0;
	const tbatch *b = &g->batches[c->batch];
	if (c->last_ts == 0)
		c->last_ts = tmul(g->freq, b->time);
	const uint8_t *p = g->bytes + b->data + c->off;
	size_t len = b->len - c->off;
	uint8_t typ = p[0];
	uint64_t at = b->off + c->off;
	if (typ >= N_SPECS)
		return cv_error_set(CV_EFORMAT, "offset %llu: found invalid event type: %d",
				    (unsigned long long)at, typ);
	const spec *s = &specs[typ];
	if (s->nargs == 0)
		return cv_error_set(CV_EFORMAT, "offset %llu: found event without a timestamp: type=%d",
				    (unsigned long long)at, typ);
	size_t n = 1;
	uint64_t ts;
	int k = uvarint(p + n, len - n, &ts);
	if (k <= 0)
		return cv_error_set(CV_EFORMAT, "offset %llu: found invalid uvarint for timestamp",
				    (unsigned long long)at);
	n += (size_t)k;
	memset(c->ev.args, 0, sizeof(c->ev.args));
	for (int i = 0; i < s->nargs - 1; i++) {
		if ((k = uvarint(p + n, len - n, &c->ev.args[i])) <= 0)
			return cv_error_set(CV_EFORMAT, "offset %llu: found invalid uvarint",
					    (unsigned long long)at);
		n += (size_t)k;
	}
	c->ev.typ = typ;
	c->ev.time = (int64_t)((uint64_t)tmul(g->freq, ts) + (uint64_t)c->last_ts);
	c->last_ts = c->ev.time;
	c->off += n;
	return 1;
}

static void heap_swap(cursor *h, size_t i, size_t j)
{
	cursor t = h[i];
	h[i] = h[j];
	h[j] = t;
}

static size_t sift_up(cursor *h, size_t i)
{
	while (i > 0 && h[(i - 1) / 2].ev.time > h[i].ev.time) {
		heap_swap(h, (i - 1) / 2, i);
		i = (i - 1) / 2;
	}
	return i;
}

static void sift_down(cursor *h, size_t n, size_t i)
{
	for (;;) {
		size_t m = i;
		int64_t mt = i < n ? h[i].ev.time : INT64_MAX;
		if (2 * i + 1 < n && h[2 * i + 1].ev.time < mt) {
			mt = h[2 * i + 1].ev.time;
			m = 2 * i + 1;
		}
		if (2 * i + 2 < n && h[2 * i + 2].ev.time < mt)
			m = 2 * i + 2;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_remove(cv_trace_reader *r, size_t i)
{
	cursor *h = r->cursors;
	while (i > 0) {
		heap_swap(h, (i - 1) / 2, i);
		i = (i - 1) / 2;
	}
	heap_swap(h, 0, r->n_front - 1);
	r->n_front--;
	sift_down(h, r->n_front, 0);
}

static void sync_event(cv_trace_reader *r, cv_trace_event *ev, int64_t ts)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = CV_TRACE_EV_SYNC;
	ev->time = ts;
	ev->g = ev->p = ev->m = NONE;
	ev->args[0] = (uint64_t)++r->syncs;
}

static int install_gen(cv_trace_reader *r, generation *g, cv_trace_event *ev)
{
	gen_free(r->gen);
	r->gen = g;
	if (!g) {
		r->done = true;
		sync_event(r, ev, r->last_ts);
		return 1;
	}
	r->n_front = 0;
	if (grow((void **)&r->cursors, &r->cap_front, g->n_ms, sizeof(*r->cursors)))
		return CV_ENOMEM;
	for (size_t i = 0; i < g->n_ms; i++) {
		cursor c = {.m = g->ms[i].m, .batch = g->ms[i].first};
		int rc = cursor_next(&c, g);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		r->cursors[r->n_front] = c;
		sift_up(r->cursors, r->n_front++);
	}
	sync_event(r, ev, tmul(g->freq, g->min_ts));
	return 1;
}

static int next_gen_spill(cv_trace_reader *r, cv_trace_event *ev)
{
	if (r->spill_err) {
		if (r->spill_err_sync) {
			cv_error_set(r->spill_err, "%s", r->spill_msg);
			return r->spill_err;
		}
		r->spill_err_sync = true;
		sync_event(r, ev, r->last_ts);
		return 1;
	}
	if (r->gen && !r->has_spill) {
		r->done = true;
		sync_event(r, ev, r->last_ts);
		return 1;
	}
	generation *g;
	int rc = read_generation_spill(r, &g);
	if (rc == CV_ENOMEM)
		return rc;
	if (rc) {
		gen_free(r->gen);
		r->gen = NULL;
		r->spill_err = rc;
		snprintf(r->spill_msg, sizeof(r->spill_msg), "%s", cv_error_last());
		r->spill_err_sync = true;
		sync_event(r, ev, r->last_ts);
		return 1;
	}
	return install_gen(r, g, ev);
}

static int try_advance(cv_trace_reader *r, size_t i, bool *ok)
{
	cursor *c = &r->cursors[i];
	int rc = order_advance(&r->order, &c->ev, r->gen, c->m, r->gen->gen, ok);
	if (rc < 0) {
		const tbatch *b = &r->gen->batches[c->batch];
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", cv_error_last());
		return cv_error_set(rc, "offset %llu: broken trace: %s",
				    (unsigned long long)(b->off + c->off), msg);
	}
	if (!*ok)
		return 0;
	rc = cursor_next(c, r->gen);
	if (rc < 0)
		return rc;
	if (rc) {
		if (sift_up(r->cursors, i) == i)
			sift_down(r->cursors, r->n_front, i);
	} else {
		heap_remove(r, i);
	}
	return 0;
}

/* Go sorts the frontier with pdqsort, which is an insertion sort (and so
 * stable) up to 12 elements, the number of threads of most traces; a
 * stable merge sort beyond keeps the work O(n log n). */
static int sort_frontier(cv_trace_reader *r)
{
	cursor *h = r->cursors;
	size_t n = r->n_front;
	if (n <= 12) {
		for (size_t i = 1; i < n; i++) {
			cursor c = h[i];
			size_t j = i;
			while (j > 0 && h[j - 1].ev.time > c.ev.time) {
				h[j] = h[j - 1];
				j--;
			}
			h[j] = c;
		}
		return 0;
	}
	cursor *tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return cv_error_nomem();
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = h[j].ev.time < h[i].ev.time ? h[j++] : h[i++];
			while (i < mid)
				tmp[k++] = h[i++];
			while (j < hi)
				tmp[k++] = h[j++];
		}
		memcpy(h, tmp, n * sizeof(*h));
	}
	free(tmp);
	return 0;
}

static int next_inner(cv_trace_reader *r, cv_trace_event *ev)
{
	if (order_next(&r->order, ev))
		return 1;
	generation *g = r->gen;
	if (r->n_front == 0 && (!g || g->next_sample == g->n_samples)) {
		if (r->version < 26)
			return next_gen_spill(r, ev);
		if (r->gen_err) {
			cv_error_set(r->gen_err, "%s", r->spill_msg);
			return r->gen_err;
		}
		generation *ng;
		int rc = read_generation(r, &ng);
		if (rc == CV_ENOMEM)
			return rc;
		if (rc) {
			r->gen_err = rc;
			snprintf(r->spill_msg, sizeof(r->spill_msg), "%s", cv_error_last());
			gen_free(r->gen);
			r->gen = NULL;
			sync_event(r, ev, r->last_ts);
			return 1;
		}
		return install_gen(r, ng, ev);
	}
	if (g->next_sample < g->n_samples &&
	    (r->n_front == 0 || g->samples[g->next_sample].time < r->cursors[0].ev.time)) {
		const tsample *s = &g->samples[g->next_sample++];
		memset(ev, 0, sizeof(*ev));
		ev->type = CV_TRACE_EV_CPU_SAMPLE;
		ev->time = s->time;
		ev->g = s->g;
		ev->p = s->p;
		ev->m = s->m;
		ev->args[0] = s->stack;
		return 1;
	}
	if (r->n_front == 0)
		return cv_error_set(CV_EFORMAT, "offset %llu: broken trace: frontier is empty",
				    (unsigned long long)r->off);
	bool ok;
	int rc = try_advance(r, 0, &ok);
	if (rc)
		return rc;
	if (!ok) {
		/* Sort the heap by time (a sorted heap is still a heap), then try
		 * the others in order. */
		if ((rc = sort_frontier(r)))
			return rc;
		for (size_t i = 1; i < r->n_front && !ok; i++)
			if ((rc = try_advance(r, i, &ok)))
				return rc;
		if (!ok) {
			const cursor *c = &r->cursors[0];
			const tbatch *b = &r->gen->batches[c->batch];
			return cv_error_set(CV_EFORMAT,
					    "offset %llu: broken trace: failed to advance: no thread's next event can happen (generation %llu)",
					    (unsigned long long)b->off, (unsigned long long)r->gen->gen);
		}
	}
	if (!order_next(&r->order, ev))
		return cv_error_set(CV_EFORMAT, "internal error: advance successful, but queue is empty");
	return 1;
}

static int validate_ids(cv_trace_reader *r, const cv_trace_event *ev)
{
	if (ev->type == CV_TRACE_EV_SYNC || ev->type == CV_TRACE_EV_CPU_SAMPLE || !r->gen)
		return 0;
	const spec *s = &specs[ev->type];
	uint64_t stacks[2] = {s->stack ? ev->args[s->stack - 1] : 0,
			      (ev->type == 14 || ev->type == 47) ? ev->args[1] : 0};
	for (int i = 0; i < 2; i++)
		if (!gen_has_stack(r->gen, stacks[i]))
			return cv_error_set(CV_EFORMAT, "offset %llu: found invalid stack ID %llu for event type %d",
					    (unsigned long long)r->off, (unsigned long long)stacks[i],
					    ev->type);
	int strs[2] = {s->str1, s->str2};
	for (int i = 0; i < 2; i++) {
		bool ok;
		if (strs[i])
			gen_string(r->gen, ev->args[strs[i] - 1], &ok);
		if (strs[i] && !ok)
			return cv_error_set(CV_EFORMAT, "offset %llu: found invalid string ID %llu for event type %d",
					    (unsigned long long)r->off,
					    (unsigned long long)ev->args[strs[i] - 1], ev->type);
	}
	return 0;
}

int cv_trace_next(cv_trace_reader *r, cv_trace_event *ev)
{
	if (r->done)
		return 0;
	int rc = next_inner(r, ev);
	if (rc <= 0)
		return rc;
	if ((rc = validate_ids(r, ev)))
		return rc;
	if (ev->time <= r->last_ts)
		ev->time = r->last_ts + 1;
	r->last_ts = ev->time;
	return 1;
}

void cv_trace_reader_free(cv_trace_reader *r)
{
	if (!r)
		return;
	gen_free(r->gen);
	free(r->cursors);
	free(r->spill_data);
	order_free(&r->order);
	free(r);
}

/* ---- accessors ---- */

uint64_t cv_trace_event_stack(const cv_trace_event *ev)
{
	if (ev->type == CV_TRACE_EV_SYNC)
		return 0;
	if (ev->type == CV_TRACE_EV_CPU_SAMPLE)
		return ev->args[0];
	if (ev->type < 0 || ev->type >= N_SPECS || !specs[ev->type].stack)
		return 0;
	return ev->args[specs[ev->type].stack - 1];
}

size_t cv_trace_stack_pcs(const cv_trace_reader *r, uint64_t stack, const uint64_t **pcs)
{
	*pcs = NULL;
	if (!r->gen || stack == 0)
		return 0;
	uint32_t i = u64map_get(&r->gen->stack_index, stack);
	if (i == U64MAP_NONE)
		return 0;
	*pcs = r->gen->pcs + r->gen->stacks[i].off;
	return r->gen->stacks[i].n;
}

bool cv_trace_frame(const cv_trace_reader *r, uint64_t pc, const char **func, const char **file,
		    uint64_t *line)
{
	if (!r->gen)
		return false;
	uint32_t i = u64map_get(&r->gen->frame_index, pc);
	if (i == U64MAP_NONE)
		return false;
	bool ok;
	*func = gen_string(r->gen, r->gen->frames[i].func, &ok);
	*file = gen_string(r->gen, r->gen->frames[i].file, &ok);
	*line = r->gen->frames[i].line;
	return true;
}

static const uint8_t go_status_state[] = {CV_GO_UNDETERMINED, CV_GO_RUNNABLE, CV_GO_RUNNING,
					  CV_GO_SYSCALL, CV_GO_WAITING};

bool cv_trace_go_transition_of(const cv_trace_reader *r, const cv_trace_event *ev,
			       cv_trace_go_transition *t)
{
	memset(t, 0, sizeof(*t));
	t->reason = "";
	const uint64_t *a = ev->args;
	bool ok;
	switch (ev->type) {
	case 14: case 47:
		*t = (cv_trace_go_transition){(int64_t)a[0], CV_GO_NOT_EXIST,
					      ev->type == 47 ? CV_GO_WAITING : CV_GO_RUNNABLE, "", a[1]};
		return true;
	case 15:
		*t = (cv_trace_go_transition){(int64_t)a[0], CV_GO_NOT_EXIST, CV_GO_SYSCALL, "", 0};
		return true;
	case 16:
		*t = (cv_trace_go_transition){(int64_t)a[0], CV_GO_RUNNABLE, CV_GO_RUNNING, "", 0};
		return true;
	case 17:
		*t = (cv_trace_go_transition){ev->g, CV_GO_RUNNING, CV_GO_NOT_EXIST, "", 0};
		return true;
	case 18:
		*t = (cv_trace_go_transition){ev->g, CV_GO_SYSCALL, CV_GO_NOT_EXIST, "", 0};
		return true;
	case 19: case 20:
		*t = (cv_trace_go_transition){ev->g, CV_GO_RUNNING,
					      ev->type == 19 ? CV_GO_RUNNABLE : CV_GO_WAITING,
					      r->gen ? gen_string(r->gen, a[0], &ok) : "", a[1]};
		return true;
	case 21: case 45: case 46:
		*t = (cv_trace_go_transition){(int64_t)a[0], CV_GO_WAITING, CV_GO_RUNNABLE, "", 0};
		return true;
	case 22:
		*t = (cv_trace_go_transition){ev->g, CV_GO_RUNNING, CV_GO_SYSCALL, "", a[1]};
		return true;
	case 23:
		*t = (cv_trace_go_transition){ev->g, CV_GO_SYSCALL, CV_GO_RUNNING, "", 0};
		return true;
	case 24:
		*t = (cv_trace_go_transition){ev->g, CV_GO_SYSCALL, CV_GO_RUNNABLE, "", 0};
		return true;
	case 25: case 48: {
		uint64_t to = a[2] & 0xffffffffu;
		*t = (cv_trace_go_transition){(int64_t)a[0], (cv_trace_go_state)(a[2] >> 32),
					      to < 5 ? go_status_state[to] : CV_GO_UNDETERMINED, "",
					      ev->type == 48 ? a[3] : 0};
		return true;
	}
	default:
		return false;
	}
}
