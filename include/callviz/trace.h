#ifndef CALLVIZ_TRACE_H
#define CALLVIZ_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Go execution traces (runtime/trace, /debug/pprof/trace): a streaming
 * reader of the generational format that Go 1.22 and later write
 * ("go 1.22 trace" to "go 1.26 trace"), and the blocking profiles
 * `go tool trace -pprof=TYPE` makes of them.
 *
 * The reader holds one generation at a time (its batches, string and stack
 * tables) and hands out its events one by one in the order Go's
 * internal/trace reader gives them: merged across threads by timestamp,
 * subject to the sequencing rules of goroutines, procs and the GC, with
 * timestamps in nanoseconds made strictly increasing. A sync event starts
 * every generation and ends the trace.
 */

typedef struct cv_trace_reader cv_trace_reader;

/* Bytes of the trace: fill buf with up to len bytes and return how many,
 * 0 at the end, or a negative CV_E* code with cv_error_last() set. */
typedef long (*cv_trace_read_fn)(void *data, uint8_t *buf, size_t len);

/* True if data starts like a Go execution trace ("go 1.NN trace"). */
CV_EXTERN bool cv_trace_detect(const uint8_t *data, size_t len);

/*
 * Read the header and set up the reader. Fails (CV_EFORMAT) on a header
 * that is not a trace's or names a version it does not read; the message
 * says which. max_bytes (0: 2 GiB) bounds the bytes read in all.
 */
CV_EXTERN int cv_trace_reader_new(cv_trace_reader **out, cv_trace_read_fn read, void *data,
			size_t max_bytes);
CV_EXTERN void cv_trace_reader_free(cv_trace_reader *r);

/* The minor version of the header: 22 for "go 1.22 trace". */
CV_EXTERN int cv_trace_version(const cv_trace_reader *r);

/* Bytes consumed so far (after gzip), for messages. */
CV_EXTERN uint64_t cv_trace_offset(const cv_trace_reader *r);

/* Event types: the wire format's numbers (Go's tracev2), and a sync. */
enum {
	CV_TRACE_EV_CPU_SAMPLE = 7,
	CV_TRACE_EV_PROCS_CHANGE = 9,
	CV_TRACE_EV_PROC_START = 10,
	CV_TRACE_EV_PROC_STOP = 11,
	CV_TRACE_EV_PROC_STEAL = 12,
	CV_TRACE_EV_PROC_STATUS = 13,
	CV_TRACE_EV_GO_CREATE = 14,
	CV_TRACE_EV_GO_CREATE_SYSCALL = 15,
	CV_TRACE_EV_GO_START = 16,
	CV_TRACE_EV_GO_DESTROY = 17,
	CV_TRACE_EV_GO_DESTROY_SYSCALL = 18,
	CV_TRACE_EV_GO_STOP = 19,
	CV_TRACE_EV_GO_BLOCK = 20,
	CV_TRACE_EV_GO_UNBLOCK = 21,
	CV_TRACE_EV_GO_SYSCALL_BEGIN = 22,
	CV_TRACE_EV_GO_SYSCALL_END = 23,
	CV_TRACE_EV_GO_SYSCALL_END_BLOCKED = 24,
	CV_TRACE_EV_GO_STATUS = 25,
	CV_TRACE_EV_GO_SWITCH = 45,
	CV_TRACE_EV_GO_SWITCH_DESTROY = 46,
	CV_TRACE_EV_GO_CREATE_BLOCKED = 47,
	CV_TRACE_EV_GO_STATUS_STACK = 48,
	CV_TRACE_EV_SYNC = 255
};

/* A goroutine's state, as Go's trace.GoState numbers them. */
typedef enum cv_trace_go_state {
	CV_GO_UNDETERMINED, CV_GO_NOT_EXIST, CV_GO_RUNNABLE, CV_GO_RUNNING,
	CV_GO_WAITING, CV_GO_SYSCALL
} cv_trace_go_state;

#define CV_TRACE_NONE INT64_C(-1)   /* no goroutine, proc or thread */

typedef struct cv_trace_event {
	int type;           /* CV_TRACE_EV_* (or another wire type) */
	int64_t time;       /* nanoseconds, strictly increasing */
	int64_t g, p, m;    /* what ran when it happened (before a transition) */
	uint64_t args[4];   /* the wire arguments after the timestamp */
} cv_trace_event;

/*
 * The next event: 1, 0 at the end of the trace, or a negative CV_E* code
 * with cv_error_last() saying what is wrong and at which byte offset.
 * Tables the event refers to are valid until the next call.
 */
CV_EXTERN int cv_trace_next(cv_trace_reader *r, cv_trace_event *ev);

/* A goroutine's state transition, if the event is one (else false). */
typedef struct cv_trace_go_transition {
	int64_t goroutine;
	cv_trace_go_state from, to;
	const char *reason;     /* "" when none */
	uint64_t stack;         /* the transition's stack (0: none) */
} cv_trace_go_transition;

CV_EXTERN bool cv_trace_go_transition_of(const cv_trace_reader *r, const cv_trace_event *ev,
			       cv_trace_go_transition *t);

/* The event's own stack (Go's Event.Stack), 0 for none. */
CV_EXTERN uint64_t cv_trace_event_stack(const cv_trace_event *ev);

/* A stack's program counters, leaf first; 0 frames if unknown. */
CV_EXTERN size_t cv_trace_stack_pcs(const cv_trace_reader *r, uint64_t stack, const uint64_t **pcs);

/* A frame of the current generation by its PC; false if unknown. */
CV_EXTERN bool cv_trace_frame(const cv_trace_reader *r, uint64_t pc, const char **func, const char **file,
		    uint64_t *line);

/* The blocking profiles of go tool trace -pprof=TYPE. */
typedef enum cv_trace_pprof_type {
	CV_TRACE_PPROF_NONE, CV_TRACE_PPROF_NET, CV_TRACE_PPROF_SYNC, CV_TRACE_PPROF_SYSCALL,
	CV_TRACE_PPROF_SCHED
} cv_trace_pprof_type;

/* "net", "sync", "syscall", "sched" to their type; NONE for anything else. */
CV_EXTERN cv_trace_pprof_type cv_trace_pprof_parse(const char *name);

/* Receives a warning (a trace cut short). */
typedef void (*cv_trace_warn_fn)(void *data, const char *text);

/*
 * Build the profile go tool trace -pprof=TYPE writes (Go 1.26's rules):
 * sample types contentions/count and delay/nanoseconds, one sample per
 * stack of the event that put a goroutine in the state (blocked on the
 * network; on channels, select or sync; in a syscall; runnable), with the
 * time it stayed there while it had run. A trace cut short gives what came
 * before the cut, with a warning.
 */
CV_EXTERN int cv_trace_pprof(cv_profile **out, cv_trace_reader *r, cv_trace_pprof_type type,
		   cv_trace_warn_fn warn, void *warn_data);

#ifdef __cplusplus
}
#endif

#endif
