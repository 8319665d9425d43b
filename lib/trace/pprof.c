/*
 * The blocking profiles of go tool trace -pprof=TYPE, as Go 1.26's
 * cmd/trace computes them (pprof.go): over the events in order, a
 * goroutine is tracked from the state transition that puts it in the
 * state (waiting for the network; waiting on a channel, select or sync;
 * in a syscall; runnable) to the next transition into another state.
 * That interval, clipped to the goroutine's life as the trace summary
 * sees it (from the first time it ran to its end, or to the end of the
 * trace), is one contention and its nanoseconds of delay, on the stack of
 * the event that started it. Stacks with the same PCs are one sample.
 *
 * Like go tool trace, a trace whose reading fails part way keeps the
 * events up to the last generation boundary (sync) before the failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "trace/trace_internal.h"
#include "util/arena.h"
#include "util/bytemap.h"
#include "util/alloc.h"

#define MAX_STACK 128

cv_trace_pprof_type cv_trace_pprof_parse(const char *name)
{
	if (!name)
		return CV_TRACE_PPROF_NONE;
	if (!strcmp(name, "net"))
		return CV_TRACE_PPROF_NET;
	if (!strcmp(name, "sync"))
		return CV_TRACE_PPROF_SYNC;
	if (!strcmp(name, "syscall"))
		return CV_TRACE_PPROF_SYSCALL;
	if (!strcmp(name, "sched"))
		return CV_TRACE_PPROF_SCHED;
	return CV_TRACE_PPROF_NONE;
}

typedef struct pframe { uint64_t pc; uint32_t func, file; uint64_t line; } pframe;

typedef struct record {
	uint32_t variant;       /* the frames it shows (see below) */
	uint64_t variant_seq;
	uint64_t count;
	int64_t time;
} record;

/* One stack as a generation's tables spell it: its frames. cmd/trace
 * keeps, for each set of PCs, the frames of the last stack counted with
 * them, and treats trailing zero PCs as absent (its key is zero-padded). */
typedef struct variant { size_t frames; uint32_t n; } variant;

typedef struct gsum {          /* what the summary knows of a goroutine */
	int64_t start, end;
	uint32_t tracking;      /* record + 1 while tracked, else 0 */
	uint32_t track_variant;
	int64_t track_start;
} gsum;

typedef struct pending {
	uint32_t rec, variant;
	uint32_t g;             /* index into gsums */
	uint64_t seq;           /* order of the events that ended them */
	int64_t start, end;
	int64_t value;          /* -1: decided at the end */
} pending;

typedef struct pb {
	cv_arena *a;
	cv_bytemap *stack_map, *variant_map, *str_map;
	variant *variants;
	size_t n_variants, cap_variants;
	uint64_t seq;
	const char **strs;
	size_t n_strs, cap_strs;
	record *recs;
	size_t n_recs, cap_recs;
	pframe *frames;
	size_t n_frames, cap_frames;
	gsum *gs;
	size_t n_gs, cap_gs;
	u64map g_index;
	pending *tent, *later;  /* since the last sync; decided at the end */
	size_t n_tent, cap_tent, n_later, cap_later;
	int64_t end_time;
	bool any_sync;
} pb;

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return cv_grow(arr, cap, need, elem, 64);
}

static int intern(pb *b, const char *s, uint32_t *out)
{
	size_t len = strlen(s);
	*out = cv_bytemap_get(b->str_map, s, len);
	if (*out != CV_BYTEMAP_NONE)
		return 0;
	char *copy = cv_arena_strndup(b->a, s, len);
	if (!copy || grow((void **)&b->strs, &b->cap_strs, b->n_strs + 1, sizeof(*b->strs)))
		return cv_error_nomem();
	*out = (uint32_t)b->n_strs;
	b->strs[b->n_strs++] = copy;
	return cv_bytemap_put(b->str_map, copy, len, *out);
}

/* The record of a stack's PCs and the variant of its frames. */
static int record_of(pb *b, cv_trace_reader *r, uint64_t stack, uint32_t *rec, uint32_t *var)
{
	const uint64_t *pcs;
	size_t n = cv_trace_stack_pcs(r, stack, &pcs);
	if (n > MAX_STACK)
		n = MAX_STACK;
	uint64_t key[1 + 4 * MAX_STACK];
	size_t kn = n;
	while (kn > 0 && pcs[kn - 1] == 0)
		kn--;
	key[0] = kn;
	if (kn)
		memcpy(key + 1, pcs, kn * sizeof(*pcs));
	size_t klen = (kn + 1) * sizeof(*key);
	*rec = cv_bytemap_get(b->stack_map, key, klen);
	if (*rec == CV_BYTEMAP_NONE) {
		void *kcopy = cv_arena_alloc(b->a, klen);
		if (!kcopy || grow((void **)&b->recs, &b->cap_recs, b->n_recs + 1, sizeof(*b->recs)))
			return cv_error_nomem();
		memcpy(kcopy, key, klen);
		*rec = (uint32_t)b->n_recs;
		b->recs[b->n_recs++] = (record){0, 0, 0, 0};
		int rc = cv_bytemap_put(b->stack_map, kcopy, klen, *rec);
		if (rc)
			return rc;
	}
	/* The variant: every frame's PC, function, file and line. */
	key[0] = n;
	for (size_t i = 0; i < n; i++) {
		const char *func = "", *file = "";
		uint64_t line = 0;
		uint32_t fi, fl;
		cv_trace_frame(r, pcs[i], &func, &file, &line);
		int rc = intern(b, func, &fi);
		if (rc || (rc = intern(b, file, &fl)))
			return rc;
		key[1 + 4 * i] = pcs[i];
		key[2 + 4 * i] = fi;
		key[3 + 4 * i] = fl;
		key[4 + 4 * i] = line;
	}
	klen = (1 + 4 * n) * sizeof(*key);
	*var = cv_bytemap_get(b->variant_map, key, klen);
	if (*var != CV_BYTEMAP_NONE)
		return 0;
	void *kcopy = cv_arena_alloc(b->a, klen);
	if (!kcopy ||
	    grow((void **)&b->variants, &b->cap_variants, b->n_variants + 1, sizeof(*b->variants)) ||
	    grow((void **)&b->frames, &b->cap_frames, b->n_frames + n, sizeof(*b->frames)))
		return cv_error_nomem();
	memcpy(kcopy, key, klen);
	b->variants[b->n_variants] = (variant){b->n_frames, (uint32_t)n};
	for (size_t i = 0; i < n; i++)
		b->frames[b->n_frames++] = (pframe){key[1 + 4 * i], (uint32_t)key[2 + 4 * i],
						    (uint32_t)key[3 + 4 * i], key[4 + 4 * i]};
	*var = (uint32_t)b->n_variants++;
	return cv_bytemap_put(b->variant_map, kcopy, klen, *var);
}

static gsum *gsum_of(pb *b, int64_t id, bool create)
{
	uint32_t i = u64map_get(&b->g_index, (uint64_t)id);
	if (i != U64MAP_NONE) {
		if (create)
			b->gs[i].start = b->gs[i].end = 0;
		return &b->gs[i];
	}
	if (!create)
		return NULL;
	if (grow((void **)&b->gs, &b->cap_gs, b->n_gs + 1, sizeof(*b->gs)) ||
	    b->n_gs >= UINT32_MAX - 1 || u64map_put(&b->g_index, (uint64_t)id, (uint32_t)b->n_gs))
		return NULL;
	b->gs[b->n_gs] = (gsum){0};
	return &b->gs[b->n_gs++];
}

static bool tracks_reason(cv_trace_pprof_type type, const char *reason)
{
	switch (type) {
	case CV_TRACE_PPROF_NET:
		return !strcmp(reason, "network");
	case CV_TRACE_PPROF_SYNC:
		return strstr(reason, "chan") || strstr(reason, "sync") || strstr(reason, "select");
	default:
		return true;
	}
}

static cv_trace_go_state state_of(cv_trace_pprof_type type)
{
	switch (type) {
	case CV_TRACE_PPROF_SYSCALL:
		return CV_GO_SYSCALL;
	case CV_TRACE_PPROF_SCHED:
		return CV_GO_RUNNABLE;
	default:
		return CV_GO_WAITING;
	}
}

/* The part of [s, e] within [gs, ge] (cmd/trace's interval overlap). */
static int64_t overlap(int64_t gs, int64_t ge, int64_t s, int64_t e)
{
	if (ge < s || e < gs)
		return 0;
	return (e < ge ? e : ge) - (s > gs ? s : gs);
}

/* The summary's part: when each goroutine first ran and when it ended. */
static int summarize(pb *b, const cv_trace_event *ev, const cv_trace_go_transition *t)
{
	if (t->from == t->to)
		return 0;
	gsum *g = gsum_of(b, t->goroutine,
			  t->from == CV_GO_UNDETERMINED || t->from == CV_GO_NOT_EXIST);
	if (!g && !(g = gsum_of(b, t->goroutine, true)))
		return cv_error_nomem();
	if (t->to == CV_GO_RUNNING && g->start == 0)
		g->start = ev->time;
	if (t->to == CV_GO_NOT_EXIST || (t->to == CV_GO_WAITING && !strcmp(t->reason, "forever")))
		g->end = ev->time;
	return 0;
}

static int track(pb *b, cv_trace_reader *r, cv_trace_pprof_type type, const cv_trace_event *ev,
		 const cv_trace_go_transition *t)
{
	gsum *g = gsum_of(b, t->goroutine, false);
	if (!g)
		return 0;
	cv_trace_go_state want = state_of(type);
	if (!g->tracking) {
		if (t->to == want && tracks_reason(type, t->reason)) {
			uint32_t rec, var = 0;
			int rc = record_of(b, r, cv_trace_event_stack(ev), &rec, &var);
			if (rc)
				return rc;
			g = gsum_of(b, t->goroutine, false);
			g->tracking = rec + 1;
			g->track_variant = var;
			g->track_start = ev->time;
		}
		return 0;
	}
	if (t->to == want)
		return 0;
	uint32_t rec = g->tracking - 1;
	g->tracking = 0;
	pending p = {rec, g->track_variant, (uint32_t)(g - b->gs), ++b->seq, g->track_start,
		     ev->time, -1};
	if (g->start != 0) {
		p.value = overlap(g->start, g->end ? g->end : INT64_MAX, p.start, p.end);
		if (p.value <= 0)
			return 0;
	}
	if (grow((void **)&b->tent, &b->cap_tent, b->n_tent + 1, sizeof(*b->tent)))
		return cv_error_nomem();
	b->tent[b->n_tent++] = p;
	return 0;
}

static void count(pb *b, const pending *p, int64_t value)
{
	record *rec = &b->recs[p->rec];
	rec->count++;
	rec->time += value;
	if (p->seq > rec->variant_seq) {
		rec->variant_seq = p->seq;
		rec->variant = p->variant;
	}
}

/* A sync: what came before it counts. */
static int commit(pb *b, int64_t time)
{
	for (size_t i = 0; i < b->n_tent; i++) {
		pending *p = &b->tent[i];
		if (p->value >= 0) {
			count(b, p, p->value);
			continue;
		}
		if (grow((void **)&b->later, &b->cap_later, b->n_later + 1, sizeof(*b->later)))
			return cv_error_nomem();
		b->later[b->n_later++] = *p;
	}
	b->n_tent = 0;
	b->end_time = time;
	b->any_sync = true;
	return 0;
}

/* Goroutines that had not run when their interval ended count from time
 * 0 if they never ran at all. */
static void settle(pb *b)
{
	for (size_t i = 0; i < b->n_later; i++) {
		const pending *p = &b->later[i];
		const gsum *g = &b->gs[p->g];
		int64_t v = overlap(g->start, g->end ? g->end : b->end_time, p->start, p->end);
		if (v > 0)
			count(b, p, v);
	}
}

static int build(pb *b, cv_profile *p)
{
	cv_arena *a = b->a;
	size_t n_samples = 0, n_locs = 0;
	for (size_t i = 0; i < b->n_recs; i++)
		if (b->recs[i].count) {
			n_samples++;
			n_locs += b->variants[b->recs[i].variant].n;
		}
	p->sample_types = cv_arena_calloc(a, 2, sizeof(*p->sample_types));
	p->samples = cv_arena_calloc(a, n_samples ? n_samples : 1, sizeof(*p->samples));
	int64_t *values = cv_arena_calloc(a, 2 * (n_samples ? n_samples : 1), sizeof(*values));
	uint32_t *locs = cv_arena_calloc(a, n_locs ? n_locs : 1, sizeof(*locs));
	p->functions = cv_arena_calloc(a, n_locs ? n_locs : 1, sizeof(*p->functions));
	p->locations = cv_arena_calloc(a, n_locs ? n_locs : 1, sizeof(*p->locations));
	cv_line *lines = cv_arena_calloc(a, n_locs ? n_locs : 1, sizeof(*lines));
	p->comments = cv_arena_calloc(a, 1, sizeof(*p->comments));
	cv_bytemap *loc_map = cv_bytemap_new(), *fn_map = cv_bytemap_new();
	int rc = 0;
	if (!p->sample_types || !p->samples || !values || !locs || !p->functions ||
	    !p->locations || !lines || !p->comments || !loc_map || !fn_map) {
		rc = cv_error_nomem();
		goto out;
	}
	p->sample_types[0] = (cv_value_type){"contentions", "count"};
	p->sample_types[1] = (cv_value_type){"delay", "nanoseconds"};
	p->n_sample_types = 2;
	p->period_type = (cv_value_type){"trace", "count"};
	p->period = 1;
	p->drop_frames = p->keep_frames = p->default_sample_type = "";
	for (size_t i = 0; i < b->n_recs; i++) {
		const record *rec = &b->recs[i];
		if (!rec->count)
			continue;
		const variant *v = &b->variants[rec->variant];
		cv_sample *s = &p->samples[p->n_samples];
		s->values = values + 2 * p->n_samples;
		s->values[0] = (int64_t)rec->count;
		s->values[1] = rec->time;
		s->locs = locs;
		s->n_locs = v->n;
		locs += v->n;
		p->n_samples++;
		for (uint32_t k = 0; k < v->n; k++) {
			const pframe *f = &b->frames[v->frames + k];
			uint32_t li = cv_bytemap_get(loc_map, &f->pc, sizeof(f->pc));
			if (li == CV_BYTEMAP_NONE) {
				uint32_t key[2] = {f->file, f->func};
				uint32_t fi = cv_bytemap_get(fn_map, key, sizeof(key));
				if (fi == CV_BYTEMAP_NONE) {
					fi = (uint32_t)p->n_functions++;
					const char *name = b->strs[f->func];
					p->functions[fi] = (cv_function){fi + 1, name, name,
									 b->strs[f->file], 0};
					uint32_t *kc = cv_arena_alloc(a, sizeof(key));
					if (!kc || (memcpy(kc, key, sizeof(key)),
						    cv_bytemap_put(fn_map, kc, sizeof(key), fi))) {
						rc = cv_error_nomem();
						goto out;
					}
				}
				li = (uint32_t)p->n_locations++;
				cv_location *l = &p->locations[li];
				l->id = li + 1;
				l->address = f->pc;
				l->lines = lines++;
				l->n_lines = 1;
				l->lines[0] = (cv_line){&p->functions[fi], (int64_t)f->line};
				if (cv_bytemap_put(loc_map, &l->address, sizeof(l->address), li)) {
					rc = cv_error_nomem();
					goto out;
				}
			}
			s->locs[k] = li;
		}
	}
out:
	cv_bytemap_free(loc_map);
	cv_bytemap_free(fn_map);
	return rc;
}

int cv_trace_pprof(cv_profile **out, cv_trace_reader *r, cv_trace_pprof_type type,
		   cv_trace_warn_fn warn, void *warn_data)
{
	*out = NULL;
	if (type == CV_TRACE_PPROF_NONE)
		return cv_error_set(CV_EINVAL, "unknown pprof type");
	pb b = {0};
	cv_profile *p = NULL;
	int rc = 0;
	b.a = cv_arena_new();
	b.stack_map = cv_bytemap_new();
	b.variant_map = cv_bytemap_new();
	b.str_map = cv_bytemap_new();
	if (!b.a || !b.stack_map || !b.variant_map || !b.str_map || !(p = cv_arena_calloc(b.a, 1, sizeof(*p))))
		rc = cv_error_nomem();
	char failure[1024] = "";
	while (rc == 0) {
		cv_trace_event ev;
		int n = cv_trace_next(r, &ev);
		if (n == 0)
			break;
		if (n < 0) {
			if (n == CV_ENOMEM) {
				rc = n;
				break;
			}
			snprintf(failure, sizeof(failure), "%s", cv_error_last());
			break;
		}
		if (ev.type == CV_TRACE_EV_SYNC) {
			rc = commit(&b, ev.time);
			continue;
		}
		cv_trace_go_transition t;
		if (!cv_trace_go_transition_of(r, &ev, &t))
			continue;
		if ((rc = summarize(&b, &ev, &t)) == 0)
			rc = track(&b, r, type, &ev, &t);
	}
	if (rc == 0 && failure[0] && (!b.any_sync || b.n_gs == 0))
		rc = cv_error_set(CV_EFORMAT, "%s", failure);
	if (rc == 0 && b.n_gs == 0)
		rc = cv_error_set(CV_EFORMAT, "the trace has no goroutines");
	if (rc == 0 && failure[0] && warn) {
		char msg[1200];
		snprintf(msg, sizeof(msg), "%s; using the events before it", failure);
		warn(warn_data, msg);
	}
	if (rc == 0) {
		settle(&b);
		rc = build(&b, p);
	}
	cv_bytemap_free(b.stack_map);
	cv_bytemap_free(b.variant_map);
	cv_bytemap_free(b.str_map);
	free(b.variants);
	free(b.strs);
	free(b.recs);
	free(b.frames);
	free(b.gs);
	u64map_free(&b.g_index);
	free(b.tent);
	free(b.later);
	if (rc) {
		cv_arena_free(b.a);
		return rc;
	}
	p->arena = b.a;
	*out = p;
	return 0;
}
