#ifndef CV_TRACE_INTERNAL_H
#define CV_TRACE_INTERNAL_H

/* The generational trace reader's insides (reader.c, order.c); not an API. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/trace.h"

/* uint64 keys to uint32 values, open addressing; no deletion. */
typedef struct u64map {
	uint64_t *keys;
	uint32_t *vals;     /* value + 1; 0 marks an empty slot */
	size_t mask, n;
} u64map;

#define U64MAP_NONE UINT32_MAX
uint32_t u64map_get(const u64map *m, uint64_t key);
int u64map_put(u64map *m, uint64_t key, uint32_t val);
void u64map_free(u64map *m);

typedef struct tbatch {
	int64_t m;
	uint64_t time;
	size_t data, len;       /* into generation.bytes */
	uint64_t off;           /* byte offset of the data in the input */
	uint32_t next;          /* the M's next batch, UINT32_MAX for none */
} tbatch;

typedef struct tstr { size_t off, len; } tstr;          /* into bytes */
typedef struct tstack { size_t off; uint32_t n; } tstack; /* into pcs */
typedef struct tframe { uint64_t func, file, line; } tframe;

typedef struct tsample {
	int64_t time, m, p, g;
	uint64_t stack;
} tsample;

typedef struct tmlist { int64_t m; uint32_t first, last; } tmlist;

/* One generation: its batches and tables. */
typedef struct generation {
	uint64_t gen;
	uint8_t *bytes;         /* batch data and strings */
	size_t n_bytes, cap_bytes;
	tbatch *batches;
	size_t n_batches, cap_batches;
	tmlist *ms;             /* Ms in order of first appearance */
	size_t n_ms, cap_ms;
	u64map m_index;
	tstr *strs;
	size_t n_strs, cap_strs;
	u64map str_index;
	tstack *stacks;
	size_t n_stacks, cap_stacks;
	u64map stack_index;
	uint64_t *pcs;
	size_t n_pcs, cap_pcs;
	tframe *frames;
	size_t n_frames, cap_frames;
	u64map frame_index;     /* pc to frame */
	tsample *samples;
	size_t n_samples, cap_samples, next_sample;
	double freq;
	bool has_freq, has_clock;
	uint64_t min_ts;
	char *nul;              /* "" */
} generation;

typedef struct tevent {
	uint8_t typ;
	int64_t time;
	uint64_t args[4];
} tevent;

typedef struct cursor {
	int64_t m;
	int64_t last_ts;
	uint32_t batch;         /* current batch, UINT32_MAX when done */
	size_t off;             /* into the batch's data */
	tevent ev;
} cursor;

/* Ordering state (order.c), as Go's internal/trace ordering. */
typedef struct range_t { uint8_t typ; uint64_t desc; } range_t;

typedef struct region_t { uint64_t task; char *name; } region_t;

typedef struct gstate {
	int64_t id;
	bool live;
	uint8_t status;
	uint64_t seq_gen, seq;
	range_t *ranges;
	size_t n_ranges, cap_ranges;
	region_t *regions;
	size_t n_regions, cap_regions;
} gstate;

typedef struct pstate {
	int64_t id;
	uint8_t status;
	uint64_t seq_gen, seq;
	range_t *ranges;
	size_t n_ranges, cap_ranges;
} pstate;

typedef struct mstate { int64_t id, g, p; } mstate;

typedef struct ordering {
	int version;
	gstate *gs; size_t n_gs, cap_gs; u64map g_index;
	pstate *ps; size_t n_ps, cap_ps; u64map p_index;
	mstate *ms; size_t n_ms, cap_ms; u64map m_index;
	u64map tasks;           /* task id to index into task_parent */
	uint64_t *task_parent; bool *task_live; uint64_t *task_name;
	size_t n_tasks, cap_tasks;
	uint64_t gc_seq;
	int gc_state;
	uint64_t initial_gen;
	cv_trace_event *queue;  /* ring */
	size_t q_start, q_end, q_cap;
} ordering;

int order_advance(ordering *o, tevent *ev, generation *g, int64_t m, uint64_t gen, bool *ok);
bool order_next(ordering *o, cv_trace_event *out);
void order_free(ordering *o);
const char *gen_string(const generation *g, uint64_t id, bool *ok);

#endif
