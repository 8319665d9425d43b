/*
 * Collapsed stacks as input: what FlameGraph's stackcollapse-* scripts,
 * perf script | stackcollapse-perf.pl, and callviz -folded write. Each line
 * is "frame;frame;...;frame count", root first, the count after the last
 * blank. The rules follow flamegraph.pl's reading: a fractional count is
 * accepted (rounded here, as a profile holds integers), and of two counts
 * (difffolded.pl's "before after") the last one is the value.
 *
 * The profile has one sample type, samples/count, no mappings, a function
 * per distinct frame name and a location per distinct run of frames that
 * make one physical frame (a frame and the "_[i]" frames inlined into it).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "profile/folded.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/bytemap.h"

#define INLINE_MARK "_[i]"

typedef struct floc {
	const uint32_t *fns;    /* function indexes, outermost (caller) first */
	uint32_t n;
} floc;

typedef struct fsample {
	size_t off;             /* into builder.sample_locs */
	uint32_t n;
	int64_t value;
} fsample;

typedef struct builder {
	cv_arena *a;            /* becomes the profile's arena */
	cv_bytemap *fn_map, *loc_map;
	const char **fns;
	floc *locs;
	fsample *samples;
	uint32_t *sample_locs;  /* every sample's locations, leaf first */
	uint32_t *frames;       /* the current line: function per frame */
	bool *inlined;          /*   and whether it carries "_[i]" */
	uint32_t *groups;       /*   and its locations, root first */
	size_t n_fns, n_locs, n_samples, n_sample_locs;
	size_t cap_fns, cap_locs, cap_samples, cap_sample_locs;
	size_t cap_frames;      /* of frames, inlined and groups alike */
} builder;

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Take a count ("12", "12.", "12.5") off the end of s[0, *len), which must
 * be separated from what precedes it by blanks. On success *len is cut to
 * the text before the blanks. Returns 1, 0 if there is no count, -1 if it
 * does not fit in 64 bits.
 */
static int take_count(const char *s, size_t *len, int64_t *value)
{
	size_t end = *len, i = end;
	while (i > 0 && digit(s[i - 1]))
		i--;
	size_t int_end = end;
	bool round_up = false;
	if (i > 0 && s[i - 1] == '.') {
		round_up = i < end && s[i] >= '5';
		int_end = i - 1;
		i = int_end;
		while (i > 0 && digit(s[i - 1]))
			i--;
	}
	if (i == int_end || i == 0 || !blank(s[i - 1]))
		return 0;
	uint64_t v = 0;
	for (size_t k = i; k < int_end; k++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	v += round_up;
	if (v > INT64_MAX)
		return -1;
	*value = (int64_t)v;
	while (i > 0 && blank(s[i - 1]))
		i--;
	*len = i;
	return 1;
}

/* Split one line into its stack text and count; -1 on a malformed line. */
static int split_line(const char *s, size_t len, size_t *stack_len, int64_t *value)
{
	while (len > 0 && (s[len - 1] == '\r' || blank(s[len - 1])))
		len--;
	int rc = take_count(s, &len, value);
	if (rc <= 0)
		return -1;
	int64_t before;
	size_t shorter = len;
	if (take_count(s, &shorter, &before) == 1 && shorter > 0)
		len = shorter;   /* "stack before after": the width is "after" */
	*stack_len = len;
	return len > 0 ? 0 : -1;
}

bool cv_folded_detect(const uint8_t *data, size_t len)
{
	size_t probe = len < 4096 ? len : 4096;
	for (size_t i = 0; i < probe; i++)
		if ((data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r') ||
		    data[i] == 0x7f)
			return false;
	const char *s = (const char *)data;
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - s) : len, n = end - start, stack_len;
		int64_t v;
		size_t k = 0;
		while (k < n && (blank(s[start + k]) || s[start + k] == '\r'))
			k++;
		if (k < n)
			return split_line(s + start, n, &stack_len, &v) == 0;
		start = end + 1;
	}
	return false;
}

/* The index of the function named s[0, len), created on first sight. */
static int function_of(builder *b, const char *s, size_t len, uint32_t *out)
{
	*out = cv_bytemap_get(b->fn_map, s, len);
	if (*out != CV_BYTEMAP_NONE)
		return 0;
	char *name = cv_arena_strndup(b->a, s, len);
	if (!name || CV_GROW(b->fns, b->cap_fns, b->n_fns + 1, 64))
		return cv_error_nomem();
	*out = (uint32_t)b->n_fns;
	b->fns[b->n_fns++] = name;
	return cv_bytemap_put(b->fn_map, name, len, *out);
}

/* The index of the location made of functions fns[0, n), caller first. */
static int location_of(builder *b, const uint32_t *fns, uint32_t n, uint32_t *out)
{
	size_t bytes = n * sizeof(*fns);
	*out = cv_bytemap_get(b->loc_map, fns, bytes);
	if (*out != CV_BYTEMAP_NONE)
		return 0;
	uint32_t *key = cv_arena_alloc(b->a, bytes);
	if (!key || CV_GROW(b->locs, b->cap_locs, b->n_locs + 1, 64))
		return cv_error_nomem();
	memcpy(key, fns, bytes);
	*out = (uint32_t)b->n_locs;
	b->locs[b->n_locs++] = (floc){key, n};
	return cv_bytemap_put(b->loc_map, key, bytes, *out);
}

/* Name every frame of the stack; returns how many there are. */
static int read_frames(builder *b, const char *s, size_t len, size_t *count)
{
	size_t n = 1, mark = strlen(INLINE_MARK);
	for (size_t i = 0; i < len; i++)
		n += s[i] == ';';
	if (n > UINT32_MAX / 2)
		return cv_error_set(CV_EFORMAT, "folded stacks: a stack of %zu frames", n);
	if (n > b->cap_frames) {
		size_t cap = 0;
		bool *inl = cv_realloc_array(b->inlined, n, sizeof(*inl));
		if (inl)
			b->inlined = inl;
		uint32_t *groups = inl ? cv_realloc_array(b->groups, n, sizeof(*groups)) : NULL;
		if (groups)
			b->groups = groups;
		if (!groups || CV_GROW(b->frames, cap, n, 64))
			return cv_error_nomem();
		b->cap_frames = n;
	}
	size_t k = 0;
	for (size_t start = 0; start <= len; k++) {
		const char *semi = memchr(s + start, ';', len - start);
		size_t end = semi ? (size_t)(semi - s) : len, flen = end - start;
		b->inlined[k] = flen > mark && memcmp(s + end - mark, INLINE_MARK, mark) == 0;
		if (b->inlined[k])
			flen -= mark;
		int rc = function_of(b, s + start, flen, &b->frames[k]);
		if (rc)
			return rc;
		start = end + 1;
	}
	*count = k;
	return 0;
}

/* A frame and the "_[i]" frames after it form one location. */
static int add_sample(builder *b, const char *s, size_t len, int64_t value)
{
	size_t n = 0, n_groups = 0;
	int rc = read_frames(b, s, len, &n);
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t j = i + 1;
		while (j < n && b->inlined[j])
			j++;
		rc = location_of(b, &b->frames[i], (uint32_t)(j - i), &b->groups[n_groups++]);
		i = j;
	}
	if (rc ||
	    (rc = CV_GROW(b->sample_locs, b->cap_sample_locs, b->n_sample_locs + n_groups, 64)) ||
	    (rc = CV_GROW(b->samples, b->cap_samples, b->n_samples + 1, 64)))
		return rc;
	b->samples[b->n_samples++] = (fsample){b->n_sample_locs, (uint32_t)n_groups, value};
	for (size_t g = n_groups; g-- > 0;)
		b->sample_locs[b->n_sample_locs++] = b->groups[g];
	return 0;
}

static int parse_lines(builder *b, const char *s, size_t len)
{
	size_t line = 0;
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - s) : len, n = end - start, k = 0;
		line++;
		while (k < n && (blank(s[start + k]) || s[start + k] == '\r'))
			k++;
		if (k < n) {
			size_t stack_len;
			int64_t value;
			if (split_line(s + start + k, n - k, &stack_len, &value))
				return cv_error_set(CV_EFORMAT,
						    "folded stacks, line %zu: want \"frame;frame;... count\"",
						    line);
			int rc = add_sample(b, s + start + k, stack_len, value);
			if (rc)
				return rc;
		}
		start = end + 1;
	}
	return 0;
}

/* Move what the builder collected into the profile's arena, as decode does. */
static int finish(builder *b, cv_profile *p)
{
	cv_arena *a = b->a;
	size_t n_lines = 0;
	for (size_t i = 0; i < b->n_locs; i++)
		n_lines += b->locs[i].n;
	p->sample_types = cv_arena_calloc(a, 1, sizeof(*p->sample_types));
	p->functions = cv_arena_calloc(a, b->n_fns, sizeof(*p->functions));
	p->locations = cv_arena_calloc(a, b->n_locs, sizeof(*p->locations));
	p->samples = cv_arena_calloc(a, b->n_samples, sizeof(*p->samples));
	cv_line *lines = cv_arena_calloc(a, n_lines, sizeof(*lines));
	uint32_t *locs = cv_arena_calloc(a, b->n_sample_locs, sizeof(*locs));
	int64_t *values = cv_arena_calloc(a, b->n_samples, sizeof(*values));
	if (!p->sample_types || !p->functions || !p->locations || !p->samples || !lines ||
	    !locs || !values)
		return cv_error_nomem();
	p->sample_types[0] = (cv_value_type){"samples", "count"};
	p->n_sample_types = 1;
	for (size_t i = 0; i < b->n_fns; i++)
		p->functions[i] = (cv_function){i + 1, b->fns[i], b->fns[i], "", 0};
	p->n_functions = b->n_fns;
	for (size_t i = 0; i < b->n_locs; i++) {
		const floc *fl = &b->locs[i];
		cv_location *l = &p->locations[i];
		l->id = i + 1;
		l->lines = lines;
		l->n_lines = fl->n;
		/* A location lists its innermost (inlined) frame first. */
		for (uint32_t k = 0; k < fl->n; k++)
			lines[k].function = &p->functions[fl->fns[fl->n - 1 - k]];
		lines += fl->n;
	}
	p->n_locations = b->n_locs;
	memcpy(locs, b->sample_locs, b->n_sample_locs * sizeof(*locs));
	for (size_t i = 0; i < b->n_samples; i++) {
		cv_sample *s = &p->samples[i];
		s->locs = locs + b->samples[i].off;
		s->n_locs = b->samples[i].n;
		s->values = &values[i];
		values[i] = b->samples[i].value;
	}
	p->n_samples = b->n_samples;
	p->drop_frames = p->keep_frames = p->default_sample_type = "";
	p->period_type = (cv_value_type){"", ""};
	p->comments = cv_arena_calloc(a, 1, sizeof(*p->comments));
	return p->comments ? 0 : cv_error_nomem();
}

int cv_folded_parse(cv_profile **out, const uint8_t *data, size_t len)
{
	builder b = {0};
	cv_profile *p = NULL;
	int rc = 0;
	b.a = cv_arena_new();
	b.fn_map = cv_bytemap_new();
	b.loc_map = cv_bytemap_new();
	if (!b.a || !b.fn_map || !b.loc_map || !(p = cv_arena_alloc(b.a, sizeof(*p))))
		rc = cv_error_nomem();
	if (rc == 0)
		rc = parse_lines(&b, (const char *)data, len);
	if (rc == 0 && b.n_samples == 0)
		rc = cv_error_set(CV_EFORMAT, "folded stacks: no stacks");
	if (rc == 0)
		rc = finish(&b, p);
	cv_bytemap_free(b.fn_map);
	cv_bytemap_free(b.loc_map);
	free(b.fns);
	free(b.locs);
	free(b.samples);
	free(b.sample_locs);
	free(b.frames);
	free(b.inlined);
	free(b.groups);
	if (rc) {
		cv_arena_free(b.a);
		return rc;
	}
	p->arena = b.a;
	*out = p;
	return 0;
}
