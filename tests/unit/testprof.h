/*
 * Profiles built by hand for the unit tests (test_graph, test_report,
 * test_transforms): plain cv_profile structs on the heap whose arrays live
 * in the tprof itself, so a test says "main work compute" and gets the
 * functions, locations and samples that stack needs. And tp_report, to
 * check a report's text.
 *
 * A tprof owns no arena unless the test gives p.arena one (tp_free frees
 * it); cv_profile_free is never called on it.
 */
#ifndef CV_TESTPROF_H
#define CV_TESTPROF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "callviz/profile.h"
#include "callviz/report.h"

#define TP_MAX 32

typedef struct tprof {
	cv_profile p;
	cv_value_type st[2];
	cv_mapping maps[4];
	cv_function fns[TP_MAX];
	cv_location locs[TP_MAX];
	const char *loc_label[TP_MAX];
	cv_line lines[TP_MAX * 4];
	size_t n_lines;
	cv_sample smps[TP_MAX];
	uint32_t stk[TP_MAX * 16];
	size_t n_stk;
	int64_t vals[TP_MAX * 2];
	char names[TP_MAX][32];   /* labels of the locations tp_sample2 makes */
	size_t n_names;
	char files[TP_MAX][48];   /* file names made from auto_file */
	size_t n_files;
	/*
	 * What a name seen for the first time becomes. A function: in file
	 * "", or auto_file with "%s" replaced by its name when set. A
	 * location (for an unknown label in a stack): one line of that
	 * function, line auto_line, at address 0, or at auto_addr + 0x10 *
	 * its index when auto_addr is set.
	 */
	const char *auto_file;
	uint64_t auto_addr;
	int auto_line;
} tprof;

/* An empty profile of one sample type, cpu/nanoseconds. */
tprof *tp_new(void);
void tp_free(tprof *t);

/* Make the profile's sample types (t0, u0) and (t1, u1). */
void tp_types(tprof *t, const char *t0, const char *u0, const char *t1, const char *u1);

/* Add a mapping of `file`; returns its index. */
int tp_mapping(tprof *t, const char *file);

/* Add a function (name, file, start line); returns its index. */
int tp_fn(tprof *t, const char *name, const char *file, int64_t start);

/* The index of the function called name, added (see auto_file) if new. */
int tp_fn_find(tprof *t, const char *name);

/*
 * Add a location named `label` at `addr` in mapping `map` (-1: none) with
 * `n` frames given as (function name, line) pairs, innermost first. The
 * functions are found by name (made with tp_fn_find if new).
 */
int tp_loc(tprof *t, const char *label, uint64_t addr, int map, int n, ...);

/*
 * Add a sample of values (v0, v1). `stack` lists location labels ROOT
 * FIRST, separated by spaces ("main A B": main calls A calls B); it is
 * stored leaf first as profile.proto wants. Unknown labels become
 * one-frame locations.
 */
void tp_sample2(tprof *t, int64_t v0, int64_t v1, const char *stack);

/* tp_sample2 with v0 = v1 = v. */
void tp_sample(tprof *t, int64_t v, const char *stack);

/*
 * Profiles built straight into an arena of their own (cv_profile_free
 * frees them), for tests that need what a tprof is not: entries equal to
 * others, ids in any order, a real compaction. tp_arena_new: two sample
 * types, samples/count and cpu/nanoseconds at 10 ms a sample, a 1.5 s
 * duration, and room for the given numbers of entries; the caller fills
 * the mappings and functions (and sets their counts).
 * tp_arena_location: the next location, `id`, at addr in mapping m, with
 * function f1 at line l1 inlined into f2 at line l2 when f2 >= 0.
 * tp_arena_sample: the next sample, locs leaf first, `count` samples
 * (count × 10 ms of cpu), with copies of the labels in the order given.
 */
cv_profile *tp_arena_new(size_t n_mappings, size_t n_functions, size_t n_locations,
			 size_t n_samples);
void tp_arena_location(cv_profile *p, uint64_t id, const cv_mapping *m, uint64_t addr,
		       int f1, int64_t l1, int f2, int64_t l2);
void tp_arena_sample(cv_profile *p, const uint32_t *locs, size_t n, int64_t count,
		     const cv_label *labels, size_t n_labels);

/* A text report of p as a string (free it); the test fails if the report does. */
typedef int (*tp_report_fn)(FILE *out, const cv_profile *p, const cv_report_options *o);
char *tp_report(tp_report_fn report, const cv_profile *p, const cv_report_options *o);

#endif
