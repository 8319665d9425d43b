#ifndef CALLVIZ_PROFILE_H
#define CALLVIZ_PROFILE_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A decoded profile.proto, as a read-only data model.
 *
 * Every string is interned in the profile's arena and is never NULL: an
 * absent string is "". Cross references are resolved at decode time, so a
 * cv_profile that cv_profile_read returned is internally consistent.
 *
 * Ownership: cv_profile_parse, cv_profile_read (and their _ext forms),
 * cv_profile_merge and cv_profile_subtract_base give the caller a new
 * profile; the caller frees it with cv_profile_free. Everything a profile
 * points to (arrays, strings, the table of cv_profile_num_label_units)
 * lives in its arena and is freed with it. Functions that change a
 * profile (compaction, pruning, the filters of graph.h, appending frames
 * or comments) may move its arrays: pointers into a profile hold until
 * the next such call or cv_profile_free. cv_profile_encode's buffer is
 * malloc'd: the caller free()s it. Arguments (options, other profiles) are
 * only read during the call; nothing keeps a pointer to them.
 */

typedef struct cv_value_type {
	const char *type;   /* "cpu", "alloc_space", ... */
	const char *unit;   /* "nanoseconds", "bytes", "count", ... */
} cv_value_type;

typedef struct cv_label {
	const char *key;
	const char *str;    /* string label value, or NULL for a numeric label */
	int64_t num;        /* numeric label value (when str == NULL) */
	const char *num_unit; /* unit of a numeric label, "" if unset */
} cv_label;

typedef struct cv_mapping {
	uint64_t id;
	uint64_t start, limit, offset;
	const char *file;
	const char *build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
} cv_mapping;

typedef struct cv_function {
	uint64_t id;
	const char *name;
	const char *system_name;
	const char *filename;
	int64_t start_line;
} cv_function;

/* One frame of a location; lines[0] is the innermost (inlined callee). */
typedef struct cv_line {
	const cv_function *function;  /* never NULL in a decoded profile (pprof
					 rejects function_id 0); filters may
					 see hand-built lines without one */
	int64_t line;
} cv_line;

typedef struct cv_location {
	uint64_t id;
	const cv_mapping *mapping;    /* NULL if mapping_id was 0 */
	uint64_t address;
	cv_line *lines;
	size_t n_lines;
	bool is_folded;
} cv_location;

typedef struct cv_sample {
	uint32_t *locs;     /* indexes into cv_profile.locations, leaf first */
	size_t n_locs;
	int64_t *values;    /* n_sample_types values */
	cv_label *labels;
	size_t n_labels;
} cv_sample;

typedef struct cv_profile {
	cv_value_type *sample_types;
	size_t n_sample_types;
	cv_sample *samples;
	size_t n_samples;
	cv_mapping *mappings;
	size_t n_mappings;
	cv_location *locations;
	size_t n_locations;
	cv_function *functions;
	size_t n_functions;
	const char *drop_frames;
	const char *keep_frames;
	int64_t time_nanos;
	int64_t duration_nanos;
	cv_value_type period_type;    /* {"",""} if absent */
	int64_t period;
	const char **comments;
	size_t n_comments;
	const char *default_sample_type; /* "" if absent */

	struct cv_arena *arena;       /* owns everything above */
} cv_profile;

/*
 * Decode a profile from memory. `data` may be gzip-compressed (detected by
 * its magic bytes) or raw profile.proto. On success *out owns a new
 * profile; free it with cv_profile_free. On failure returns a negative
 * CV_E* code and sets cv_error_last() to a one-line description.
 */
CV_EXTERN int cv_profile_parse(cv_profile **out, const void *data, size_t len);

/* Read and decode a profile file ("-" reads standard input). */
CV_EXTERN int cv_profile_read(cv_profile **out, const char *path);

/*
 * Limits on what a decode accepts. Besides max_bytes, fixed limits that
 * no real profile reaches (frames per stack, string length, counts) are
 * always enforced; see cv_profile_check_limits. Zeroed: the defaults.
 */
#define CV_PROFILE_PARSE_OPTIONS_VERSION 1
typedef struct cv_profile_parse_options {
	unsigned int version;   /* CV_PROFILE_PARSE_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	size_t max_bytes;   /* profile.proto bytes after inflating (-max_bytes);
			       0: the default, 2 GiB */
} cv_profile_parse_options;

CV_EXTERN void cv_profile_parse_options_init(cv_profile_parse_options *o);

/* cv_profile_parse / cv_profile_read with options (NULL: the defaults). */
CV_EXTERN int cv_profile_parse_ext(cv_profile **out, const void *data, size_t len,
			 const cv_profile_parse_options *o);
CV_EXTERN int cv_profile_read_ext(cv_profile **out, const char *path,
			const cv_profile_parse_options *o);

/*
 * Refuse a profile that would make reports overflow or run away: a stack
 * deeper than 2^20 frames (inlined frames included), more than 2^30 frames
 * in all samples, or values of one type whose absolute sum exceeds
 * INT64_MAX (pprof would wrap around; callviz refuses with a message).
 * Decoding calls this; call it again after adding samples or values to a
 * profile (merging), before any report sums them.
 */
CV_EXTERN int cv_profile_check_limits(const cv_profile *p);

/* Release a profile and everything it owns. NULL is allowed. */
CV_EXTERN void cv_profile_free(cv_profile *p);

/* How cv_profile_encode writes a profile. Zeroed: gzipped, values as they are. */
#define CV_ENCODE_OPTIONS_VERSION 1
typedef struct cv_encode_options {
	unsigned int version;   /* CV_ENCODE_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	bool uncompressed;  /* raw profile.proto instead of gzipped */
	double ratio;       /* multiply every value by this, truncating
			       (pprof's -divide_by N writes 1/N); applied
			       only when positive and not 1, as in pprof */
} cv_encode_options;

/* Fill `o` with the defaults (the zeroed values) and the current version. */
CV_EXTERN void cv_encode_options_init(cv_encode_options *o);

/*
 * Encode p as profile.proto, gzipped unless o->uncompressed (o may be
 * NULL), into a malloc'd buffer. Only locations the samples reference and
 * their functions are written; every mapping, comment and sample is kept;
 * ids are renumbered from 1. go tool pprof reads the result.
 */
CV_EXTERN int cv_profile_encode(uint8_t **out, size_t *len, const cv_profile *p,
		      const cv_encode_options *o);

/* cv_profile_encode, written to a stream. */
CV_EXTERN int cv_profile_write(FILE *out, const cv_profile *p, const cv_encode_options *o);

/*
 * Append a comment to p->comments (pprof's -add_comment), copied into the
 * profile's arena. Legends show comments not starting with '#'; encoding
 * the profile keeps them all.
 */
CV_EXTERN int cv_profile_add_comment(cv_profile *p, const char *comment);

/*
 * Give a profile without mappings one empty mapping (id 1, no file, no
 * build ID) used by every location, as go tool pprof does when it loads a
 * profile. Does nothing to a profile that has mappings.
 */
CV_EXTERN int cv_profile_ensure_mapping(cv_profile *p);

/*
 * Resolve a -sample_index argument: a 0-based number, or a sample type
 * name (also accepting pprof's "sample_" prefixed names is not needed).
 * An empty `spec` picks default_sample_type, else the last type.
 * Returns the index, or a negative CV_E* code with cv_error_last() set.
 */
CV_EXTERN int cv_profile_sample_index(const cv_profile *p, const char *spec);

/*
 * Compact the profile as go tool pprof's merge step does on every profile
 * it loads: drop samples whose values are all zero, fold samples with the
 * same locations and labels into one, share equal locations, functions and
 * mappings, drop unreferenced ones (the first mapping stays), renumber ids
 * from 1 in order of first use, and drop repeated comments.
 */
CV_EXTERN int cv_profile_compact(cv_profile *p);

/*
 * cv_profile_compact for a caller that only ever sums samples through the
 * graph (every graph and text report but -traces, -raw and -proto): when
 * no sample value is negative, samples with equal stacks and labels are
 * left unfolded, since folding them cannot change any sum. And when,
 * besides, no sample is all zeros, every location is used and no two
 * mappings would merge, ids are not renumbered and equal locations and
 * functions not shared either (graph nodes go by what a frame says, not
 * by its table entry): only labels are sorted and comments deduplicated.
 * Otherwise the rest is done as by cv_profile_compact. With a negative
 * value present (-diff_base, -base) folding can cancel samples to zero,
 * so this is cv_profile_compact.
 */
CV_EXTERN int cv_profile_compact_for_sums(cv_profile *p);

/*
 * Apply the profile's drop_frames / keep_frames regexes as pprof does on
 * load: frames matching drop_frames (and not keep_frames) are removed from
 * each stack together with every frame below them (towards the leaf).
 */
CV_EXTERN int cv_profile_prune_frames(cv_profile *p);

/* A pseudo frame to add to a profile: a function and one location calling it. */
typedef struct cv_frame_spec {
	const char *name;
	const char *filename;
} cv_frame_spec;

/*
 * Append n functions and n locations to p, location i having one line that
 * calls function i, no mapping and address 0; ids continue after the
 * largest in use. Strings are copied into p's arena. The function and
 * location arrays move (lines are re-aimed at the moved functions, and
 * samples refer to locations by index, so both stay valid); *first is the
 * index in p->locations of the first new location.
 */
CV_EXTERN int cv_profile_append_frames(cv_profile *p, const cv_frame_spec *specs, size_t n,
			     size_t *first);

/* The unit of one numeric label key (pprof's NumLabelUnits). */
typedef struct cv_num_label_unit {
	const char *key;
	const char *unit;         /* first unit written for the key, else implied */
	const char **ignored;     /* other units also written for it, sorted */
	size_t n_ignored;
} cv_num_label_unit;

/*
 * Decide the unit of every numeric label key of p, as pprof does: the first
 * num_unit in sample order; keys never given one are "bytes" for
 * "alignment" and "request" and otherwise the key itself. *out (sorted by
 * key, in p's arena) has *n entries.
 */
CV_EXTERN int cv_profile_num_label_units(cv_profile *p, cv_num_label_unit **out, size_t *n);

/* The unit of `key` in a table from cv_profile_num_label_units, "" if absent. */
CV_EXTERN const char *cv_num_label_unit_of(const cv_num_label_unit *units, size_t n,
				 const char *key);

/*
 * Merge n profiles into a new one (*out), as go tool pprof merges the
 * sources of one command line: each sample type (and the period type)
 * takes the finest unit among the profiles and values are scaled to it;
 * the time is the first profile's unless another is earlier, durations add
 * up, the period is the largest, comments are kept once each, the other
 * header fields are the first profile's; samples with the same stack and
 * labels add up and equal mappings, functions and locations are shared
 * (as cv_profile_compact). The inputs are not changed. Fails with
 * CV_EFORMAT when the profiles do not have the same number of sample types
 * or their types differ (names up to a trailing "s" and units of one
 * family, bytes or time, may be merged).
 */
CV_EXTERN int cv_profile_merge(cv_profile **out, const cv_profile *const *srcs, size_t n);

/*
 * Whether a and b can be merged: 0, or CV_EFORMAT with cv_error_last()
 * naming the incompatible types, exactly as cv_profile_merge would fail.
 */
CV_EXTERN int cv_profile_compatible(const cv_profile *a, const cv_profile *b);

/* How cv_profile_subtract_base compares with a base. Zeroed: plain -base. */
#define CV_BASE_OPTIONS_VERSION 1
typedef struct cv_base_options {
	unsigned int version;   /* CV_BASE_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	bool diff_base;     /* -diff_base: mark the base's samples pprof::base,
			       so reports are relative to the base's total */
	bool normalize;     /* -normalize: scale p so each sample type sums to
			       the base's sum first */
} cv_base_options;

CV_EXTERN void cv_base_options_init(cv_base_options *o);

/*
 * pprof's -base / -diff_base: a new profile *out with base's values
 * negated and merged into p's (cv_profile_merge), so equal stacks cancel.
 * With diff_base every base sample carries the label pprof::base=true
 * (replacing any it had): reports then take the base's total for
 * percentages and hide the label. With normalize, p and base must have
 * identical types and p's values are scaled by base sum / p sum per sample
 * type first (rounded; 0 when p sums to 0). o may be NULL (plain -base).
 */
CV_EXTERN int cv_profile_subtract_base(cv_profile **out, const cv_profile *p, const cv_profile *base,
			     const cv_base_options *o);

#ifdef __cplusplus
}
#endif

#endif
