#ifndef CALLVIZ_STACKS_H
#define CALLVIZ_STACKS_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A profile's samples as distinct call stacks (root first) with summed
 * values: what collapsed-stack text (-folded) and flame graphs are made of.
 * Frames are named at a graph granularity, as pprof names nodes; inlined
 * frames are frames of their own, marked as inlined.
 *
 * Ownership: cv_stacks_build gives the caller a cv_stacks, freed with
 * cv_stacks_free; its arrays live in its arena. Frame names may be the
 * profile's own strings: free or change the profile only after the stacks.
 */

typedef struct cv_frame {
	const char *name;       /* printable name, as in -top */
	bool inlined;           /* inlined into the frame below it (its caller) */
} cv_frame;

typedef struct cv_stack {
	const uint32_t *frames; /* indexes into cv_stacks.frames, root first */
	uint32_t depth;         /* at least 1 */
	int64_t value;          /* sum over the samples with this stack */
} cv_stack;

typedef struct cv_stacks {
	cv_frame *frames;       /* distinct (name, inlined) pairs */
	size_t n_frames;
	cv_stack *stacks;       /* sorted frame by frame: name, then inlined
				   after not inlined, a prefix first */
	size_t n_stacks;
	struct cv_arena *arena; /* owns everything above */
} cv_stacks;

/*
 * Collect the stacks of p's samples using o->sample_index, o->granularity
 * and o->no_inlines (other options are ignored). Samples whose value is 0
 * or whose stack is empty are left out; stacks whose values sum to 0 too.
 */
CV_EXTERN int cv_stacks_build(cv_stacks **out, const cv_profile *p, const cv_graph_options *o);

/* Release stacks. NULL is allowed. */
CV_EXTERN void cv_stacks_free(cv_stacks *s);

#ifdef __cplusplus
}
#endif

#endif
