#include <inttypes.h>
#include <string.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/task.h"

/*
 * From unpacked protobuf to cv_profile. The acceptance rules are those of
 * pprof's postDecode + CheckValid (profile/encode.go, profile/profile.go),
 * so that callviz refuses exactly the profiles `go tool pprof` refuses;
 * only the messages are more specific.
 */

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__Sample pb_sample;
typedef Perftools__Profiles__Label pb_label;
typedef Perftools__Profiles__Location pb_location;

typedef struct conv {
	const pb_profile *pb;
	cv_profile *p;
	cv_arena *a;
	cv_scratch *s;
	const char **strs;
	size_t n_strs;
	cv_idmap mappings, functions, locations;
} conv;

/* No number to show in an error message (profile-level fields). */
#define NO_NUM UINT64_MAX

/* `what`, `num` and `field` only name the culprit in the error message. */
static int str_at(conv *c, int64_t idx, const char **out,
		  const char *what, uint64_t num, const char *field)
{
	if (idx >= 0 && (uint64_t)idx < c->n_strs) {
		*out = c->strs[idx];
		return 0;
	}
	if (num == NO_NUM)
		return cv_error_set(CV_EFORMAT,
				    "%s%s%s: string index %" PRId64
				    " out of range (table has %zu)",
				    what, *what ? " " : "", field, idx, c->n_strs);
	return cv_error_set(CV_EFORMAT,
			    "%s %" PRIu64 "%s%s: string index %" PRId64
			    " out of range (table has %zu)",
			    what, num, *field ? " " : "", field, idx, c->n_strs);
}

/* Copy the whole table into one arena block: one allocation, no strlen. */
static int load_strings(conv *c)
{
	const pb_profile *pb = c->pb;
	size_t n = pb->n_string_table, total = 0;
	/* pprof resolves drop_frames (index 0) unconditionally, so an absent
	 * table is as malformed as one with a non-empty first entry. */
	if (n == 0 || pb->string_table[0].len != 0)
		return cv_error_set(CV_EFORMAT,
				    "string table must start with an empty string");
	for (size_t i = 0; i < n; i++)
		total += pb->string_table[i].len + 1;
	char *blob = cv_arena_alloc(c->a, total);
	c->strs = cv_scratch_alloc(c->s, n * sizeof(*c->strs));
	if (!blob || !c->strs)
		return cv_error_nomem();
	for (size_t i = 0; i < n; i++) {
		size_t len = pb->string_table[i].len;
		if (len)
			memcpy(blob, pb->string_table[i].data, len);
		c->strs[i] = blob;   /* the arena zeroed the terminator */
		blob += len + 1;
	}
	c->n_strs = n;
	return 0;
}

static int value_type(conv *c, const Perftools__Profiles__ValueType *vt,
		      cv_value_type *out, const char *what, uint64_t num)
{
	int rc = str_at(c, vt->type, &out->type, what, num, "type");
	return rc ? rc : str_at(c, vt->unit, &out->unit, what, num, "unit");
}

static int load_sample_types(conv *c)
{
	cv_profile *p = c->p;
	p->n_sample_types = c->pb->n_sample_type;
	p->sample_types = cv_arena_calloc(c->a, p->n_sample_types,
					  sizeof(*p->sample_types));
	if (!p->sample_types)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_sample_types; i++) {
		int rc = value_type(c, c->pb->sample_type[i], &p->sample_types[i],
				    "sample type", i);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Register ids of one kind: zero is reserved and duplicates are refused,
 * as pprof's CheckValid does. The id is read at offset `id_off` of each
 * message so one function serves mappings, functions and locations.
 */
static int index_ids(conv *c, cv_idmap *m, void *const *msgs, size_t n,
		     size_t id_off, const char *kind)
{
	uint64_t max = 0;
	if (n >= CV_IDMAP_NONE)
		return cv_error_set(CV_EFORMAT, "too many %ss (%zu)", kind, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t id = *(const uint64_t *)((const char *)msgs[i] + id_off);
		if (id > max)
			max = id;
	}
	int rc = cv_idmap_init(m, c->s, n, max);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		uint64_t id = *(const uint64_t *)((const char *)msgs[i] + id_off);
		if (id == 0)
			return cv_error_set(CV_EFORMAT, "%s with reserved id 0", kind);
		if (cv_idmap_put(m, id, (uint32_t)i) != CV_IDMAP_NONE)
			return cv_error_set(CV_EFORMAT, "duplicate %s id %" PRIu64,
					    kind, id);
	}
	return 0;
}

static int load_mappings(conv *c)
{
	const pb_profile *pb = c->pb;
	cv_profile *p = c->p;
	int rc = index_ids(c, &c->mappings, (void *const *)pb->mapping,
			   pb->n_mapping,
			   offsetof(Perftools__Profiles__Mapping, id), "mapping");
	if (rc)
		return rc;
	p->n_mappings = pb->n_mapping;
	p->mappings = cv_arena_calloc(c->a, p->n_mappings, sizeof(*p->mappings));
	if (!p->mappings)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_mappings; i++) {
		const Perftools__Profiles__Mapping *pm = pb->mapping[i];
		cv_mapping *m = &p->mappings[i];
		m->id = pm->id;
		m->start = pm->memory_start;
		m->limit = pm->memory_limit;
		m->offset = pm->file_offset;
		m->has_functions = pm->has_functions;
		m->has_filenames = pm->has_filenames;
		m->has_line_numbers = pm->has_line_numbers;
		m->has_inline_frames = pm->has_inline_frames;
		if ((rc = str_at(c, pm->filename, &m->file, "mapping", m->id,
				 "filename")) ||
		    (rc = str_at(c, pm->build_id, &m->build_id, "mapping", m->id,
				 "build_id")))
			return rc;
	}
	return 0;
}

static int load_functions(conv *c)
{
	const pb_profile *pb = c->pb;
	cv_profile *p = c->p;
	int rc = index_ids(c, &c->functions, (void *const *)pb->function,
			   pb->n_function,
			   offsetof(Perftools__Profiles__Function, id), "function");
	if (rc)
		return rc;
	p->n_functions = pb->n_function;
	p->functions = cv_arena_calloc(c->a, p->n_functions, sizeof(*p->functions));
	if (!p->functions)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_functions; i++) {
		const Perftools__Profiles__Function *pf = pb->function[i];
		cv_function *f = &p->functions[i];
		f->id = pf->id;
		f->start_line = pf->start_line;
		if ((rc = str_at(c, pf->name, &f->name, "function", f->id, "name")) ||
		    (rc = str_at(c, pf->system_name, &f->system_name, "function",
				 f->id, "system_name")) ||
		    (rc = str_at(c, pf->filename, &f->filename, "function",
				 f->id, "filename")))
			return rc;
	}
	return 0;
}

/*
 * pprof turns a line's function id into a pointer and then refuses any
 * line whose pointer is nil, so function id 0 and unknown ids are both
 * errors; every cv_line.function is therefore non-NULL.
 */
static int load_lines(conv *c, const pb_location *pl, cv_location *l,
		      cv_line *lines)
{
	l->lines = lines;
	l->n_lines = pl->n_line;
	for (size_t j = 0; j < pl->n_line; j++) {
		uint64_t fid = pl->line[j]->function_id;
		uint32_t fi = cv_idmap_get(&c->functions, fid);
		if (fid == 0)
			return cv_error_set(CV_EFORMAT,
					    "location %" PRIu64 " has a line with function id 0",
					    pl->id);
		if (fi == CV_IDMAP_NONE)
			return cv_error_set(CV_EFORMAT,
					    "location %" PRIu64 " references missing function id %" PRIu64,
					    pl->id, fid);
		lines[j].function = &c->p->functions[fi];
		lines[j].line = pl->line[j]->line;
	}
	return 0;
}

static int load_locations(conv *c)
{
	const pb_profile *pb = c->pb;
	cv_profile *p = c->p;
	int rc = index_ids(c, &c->locations, (void *const *)pb->location,
			   pb->n_location,
			   offsetof(Perftools__Profiles__Location, id), "location");
	if (rc)
		return rc;
	size_t total_lines = 0;
	for (size_t i = 0; i < pb->n_location; i++)
		total_lines += pb->location[i]->n_line;
	p->n_locations = pb->n_location;
	p->locations = cv_arena_calloc(c->a, p->n_locations, sizeof(*p->locations));
	cv_line *lines = cv_arena_calloc(c->a, total_lines, sizeof(*lines));
	if (!p->locations || !lines)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_locations; i++) {
		const pb_location *pl = pb->location[i];
		cv_location *l = &p->locations[i];
		l->id = pl->id;
		l->address = pl->address;
		l->is_folded = pl->is_folded;
		/* An unknown mapping id is not an error for pprof: it just
		 * leaves the location without a mapping. */
		uint32_t mi = cv_idmap_get(&c->mappings, pl->mapping_id);
		l->mapping = mi == CV_IDMAP_NONE ? NULL : &p->mappings[mi];
		if ((rc = load_lines(c, pl, l, lines)))
			return rc;
		lines += pl->n_line;
	}
	return 0;
}

/*
 * pprof keeps a label as a string label when its str index is nonzero,
 * as a numeric one when num or num_unit is nonzero, and silently drops it
 * otherwise (key with neither value). The key is resolved, and so checked,
 * in every case.
 */
static int load_label(conv *c, const pb_label *pl, size_t sample,
		      cv_label *out, bool *keep)
{
	const char *key = "";
	int rc = str_at(c, pl->key, &key, "sample", sample, "label key");
	*keep = false;
	if (rc)
		return rc;
	if (pl->str != 0) {
		out->key = key;
		out->num_unit = "";
		*keep = true;
		return str_at(c, pl->str, &out->str, "sample", sample, "label str");
	}
	if (pl->num == 0 && pl->num_unit == 0)
		return 0;
	out->key = key;
	out->str = NULL;
	out->num = pl->num;
	out->num_unit = "";
	*keep = true;
	return pl->num_unit ? str_at(c, pl->num_unit, &out->num_unit, "sample",
				     sample, "label num_unit")
			    : 0;
}

/* Count what the samples need so the arrays can be carved from three blocks. */
static int size_samples(conv *c, size_t *n_locs, size_t *n_labels)
{
	const pb_profile *pb = c->pb;
	size_t want = pb->n_sample_type;
	*n_locs = *n_labels = 0;
	if (want == 0 && pb->n_sample > 0)
		return cv_error_set(CV_EFORMAT,
				    "profile has samples but no sample types");
	for (size_t i = 0; i < pb->n_sample; i++) {
		const pb_sample *ps = pb->sample[i];
		if (ps->n_value != want)
			return cv_error_set(CV_EFORMAT,
					    "sample %zu has %zu values, want %zu (one per sample type)",
					    i, ps->n_value, want);
		*n_locs += ps->n_location_id;
		*n_labels += ps->n_label;
	}
	return 0;
}

static int fill_sample(conv *c, const pb_sample *ps, size_t i, cv_sample *s)
{
	for (size_t j = 0; j < ps->n_location_id; j++) {
		uint32_t li = cv_idmap_get(&c->locations, ps->location_id[j]);
		if (li == CV_IDMAP_NONE)
			return cv_error_set(CV_EFORMAT,
					    "sample %zu references missing location id %" PRIu64,
					    i, ps->location_id[j]);
		s->locs[j] = li;
	}
	s->n_locs = ps->n_location_id;
	if (ps->n_value)
		memcpy(s->values, ps->value, ps->n_value * sizeof(*s->values));
	for (size_t j = 0; j < ps->n_label; j++) {
		bool keep;
		int rc = load_label(c, ps->label[j], i, &s->labels[s->n_labels],
				    &keep);
		if (rc)
			return rc;
		s->n_labels += keep;
	}
	return 0;
}

static int load_samples(conv *c)
{
	const pb_profile *pb = c->pb;
	cv_profile *p = c->p;
	size_t n_locs, n_labels, nv = pb->n_sample_type;
	int rc = size_samples(c, &n_locs, &n_labels);
	if (rc)
		return rc;
	p->n_samples = pb->n_sample;
	p->samples = cv_arena_calloc(c->a, p->n_samples, sizeof(*p->samples));
	uint32_t *locs = cv_arena_calloc(c->a, n_locs, sizeof(*locs));
	int64_t *values = nv && p->n_samples > SIZE_MAX / nv ? NULL :
		cv_arena_calloc(c->a, p->n_samples * nv, sizeof(*values));
	cv_label *labels = cv_arena_calloc(c->a, n_labels, sizeof(*labels));
	if (!p->samples || !locs || !values || !labels)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_samples; i++) {
		const pb_sample *ps = pb->sample[i];
		cv_sample *s = &p->samples[i];
		s->locs = locs;
		s->values = values;
		s->labels = labels;
		if ((rc = fill_sample(c, ps, i, s)))
			return rc;
		locs += ps->n_location_id;
		values += nv;
		labels += s->n_labels;
	}
	return 0;
}

/* Location ids to indexes in place, over part of the samples' frames. */
typedef struct id_run {
	const cv_idmap *map;
	uint32_t *locs;
	size_t n;
	bool known;             /* every id was a location's */
} id_run;

static void resolve_ids(void *arg)
{
	id_run *r = arg;
	for (size_t i = 0; i < r->n; i++) {
		uint32_t li = cv_idmap_get(r->map, r->locs[i]);
		if (li == CV_IDMAP_NONE) {
			r->known = false;
			return;
		}
		r->locs[i] = li;
	}
	r->known = true;
}

size_t cv_halves_min_frames = 1u << 20;

/* The declared number of values, and location ids known: else decline.
 * Two parts resolve their ids on two threads, one each; one big part is
 * cut in two for that. */
static bool raw_samples_valid(conv *c, const cv_raw_samples *raw, size_t n_parts)
{
	size_t want = c->pb->n_sample_type;
	for (size_t k = 0; k < n_parts; k++) {
		if (want == 0 && raw[k].n > 0)
			return false;
		for (size_t i = 0; i < raw[k].n; i++)
			if (raw[k].samples[i].n_values != want)
				return false;
	}
	id_run runs[2];
	if (n_parts == 2) {
		for (int k = 0; k < 2; k++)
			runs[k] = (id_run){&c->locations, raw[k].locs, raw[k].n_locs, false};
	} else {
		size_t half = raw->n_locs >= cv_halves_min_frames ? raw->n_locs / 2 : 0;
		runs[0] = (id_run){&c->locations, raw->locs, raw->n_locs - half, false};
		runs[1] = (id_run){&c->locations, half ? raw->locs + (raw->n_locs - half) : NULL,
				   half, true};
	}
	bool both = n_parts == 2 || runs[1].n > 0;
	cv_task_run_pair(resolve_ids, &runs[0], both ? &runs[1] : NULL);
	return runs[0].known && runs[1].known;
}

/* Labels as load_label keeps them; false on a bad string index. */
static bool raw_labels(conv *c, const cv_raw_label *rl, size_t n, size_t sample,
		       cv_sample *s)
{
	for (size_t j = 0; j < n; j++) {
		pb_label pl = PERFTOOLS__PROFILES__LABEL__INIT;
		pl.key = rl[j].key;
		pl.str = rl[j].str;
		pl.num = rl[j].num;
		pl.num_unit = rl[j].num_unit;
		bool keep;
		if (load_label(c, &pl, sample, &s->labels[s->n_labels], &keep))
			return false;
		s->n_labels += keep;
	}
	return true;
}

/* Part k's arrays, taken over by the profile's arena (and emptied in raw). */
static int adopt_arrays(conv *c, cv_raw_samples *raw)
{
	if (raw->locs && cv_arena_adopt(c->a, raw->locs))
		return cv_error_nomem();
	raw->locs = NULL;
	if (raw->values && cv_arena_adopt(c->a, raw->values))
		return cv_error_nomem();
	raw->values = NULL;
	return 0;
}

/*
 * Samples decoded from the wire, in one or two parts (the second's after
 * the first's): the location ids are resolved in place and the id and
 * value arrays become the profile's. Any error declines, so that the
 * whole-protobuf path names it exactly as it always has.
 */
static int load_raw_samples(conv *c, cv_raw_samples *raw, size_t n_parts)
{
	cv_profile *p = c->p;
	if (!raw_samples_valid(c, raw, n_parts))
		return CV_DECLINE;
	size_t n = 0, n_labels = 0;
	for (size_t k = 0; k < n_parts; k++) {
		n += raw[k].n;
		n_labels += raw[k].n_labels;
	}
	p->n_samples = n;
	p->samples = cv_arena_calloc(c->a, n, sizeof(*p->samples));
	cv_label *labels = cv_arena_calloc(c->a, n_labels, sizeof(*labels));
	if (!p->samples || !labels)
		return cv_error_nomem();
	size_t i = 0;
	for (size_t k = 0; k < n_parts; k++) {
		uint32_t *locs = raw[k].locs;
		int64_t *values = raw[k].values;
		const cv_raw_label *rl = raw[k].labels;
		int rc = adopt_arrays(c, &raw[k]);
		if (rc)
			return rc;
		for (size_t j = 0; j < raw[k].n; j++, i++) {
			const cv_raw_sample *rs = &raw[k].samples[j];
			cv_sample *s = &p->samples[i];
			s->locs = locs;
			s->n_locs = rs->n_locs;
			s->values = values;
			s->labels = labels;
			if (!raw_labels(c, rl, rs->n_labels, i, s))
				return CV_DECLINE;
			/* (no pointer arithmetic on the NULL of an empty array) */
			if (rs->n_locs)
				locs += rs->n_locs;
			if (rs->n_values)
				values += rs->n_values;
			if (rs->n_labels)
				rl += rs->n_labels;
			labels += s->n_labels;
		}
	}
	return 0;
}

static int load_header(conv *c)
{
	const pb_profile *pb = c->pb;
	cv_profile *p = c->p;
	int rc;
	p->time_nanos = pb->time_nanos;
	p->duration_nanos = pb->duration_nanos;
	p->period = pb->period;
	p->period_type.type = p->period_type.unit = "";
	if ((rc = str_at(c, pb->drop_frames, &p->drop_frames, "", NO_NUM, "drop_frames")) ||
	    (rc = str_at(c, pb->keep_frames, &p->keep_frames, "", NO_NUM, "keep_frames")) ||
	    (rc = str_at(c, pb->default_sample_type, &p->default_sample_type, "",
			 NO_NUM, "default_sample_type")))
		return rc;
	if (pb->period_type &&
	    (rc = value_type(c, pb->period_type, &p->period_type, "period_type",
				     NO_NUM)))
		return rc;
	p->n_comments = pb->n_comment;
	p->comments = cv_arena_calloc(c->a, p->n_comments, sizeof(*p->comments));
	if (!p->comments)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_comments; i++)
		if ((rc = str_at(c, pb->comment[i], &p->comments[i], "comment", i,
				 "")))
			return rc;
	return 0;
}

int cv_profile_convert(cv_profile **out, const pb_profile *pb, cv_scratch *s,
		       cv_raw_samples *raw, size_t n_parts)
{
	conv c = {.pb = pb, .s = s};
	c.a = cv_arena_new();
	if (!c.a)
		return cv_error_nomem();
	c.p = cv_arena_alloc(c.a, sizeof(*c.p));
	if (!c.p) {
		cv_arena_free(c.a);
		return cv_error_nomem();
	}
	c.p->arena = c.a;
	int rc;
	/* Order matters: locations point at mappings and functions, samples
	 * at locations. */
	if ((rc = load_strings(&c)) || (rc = load_header(&c)) ||
	    (rc = load_sample_types(&c)) || (rc = load_mappings(&c)) ||
	    (rc = load_functions(&c)) || (rc = load_locations(&c)) ||
	    (rc = n_parts ? load_raw_samples(&c, raw, n_parts) : load_samples(&c))) {
		cv_arena_free(c.a);
		return rc;
	}
	*out = c.p;
	return 0;
}
