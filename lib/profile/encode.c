/*
 * cv_profile back to profile.proto (pprof's -proto): the profile as it
 * stands after filtering, gzipped as Go's runtime/pprof writes it.
 *
 * Only what the samples still reach is written: locations referenced by a
 * sample and the functions of their lines. Mappings are all kept, in order,
 * because the first one names the binary in every report's legend. Ids are
 * renumbered densely, so profiles edited in memory (new locations,
 * functions from elsewhere) encode without id clashes.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile.pb-c.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/bytemap.h"
#include "util/goconv.h"
#include "util/options.h"

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__Mapping pb_mapping;
typedef Perftools__Profiles__Function pb_function;
typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Line pb_line;
typedef Perftools__Profiles__Sample pb_sample;
typedef Perftools__Profiles__Label pb_label;
typedef Perftools__Profiles__ValueType pb_value_type;

typedef struct enc {
	const cv_profile *p;
	cv_arena *a;
	pb_profile pb;
	cv_bytemap *strings;     /* string content -> table index */
	size_t cap_strings;
	cv_bytemap *functions;   /* cv_function address -> index in pb.function */
	cv_bytemap *mappings;    /* cv_mapping address -> index in pb.mapping */
	size_t cap_functions, cap_mappings;
	uint64_t *loc_ids;       /* per p->locations index: new id, 0 if unused */
	double ratio;            /* scale values by this unless 0 or 1 */
	int rc;                  /* first failure; later steps become no-ops */
} enc;

static void *zalloc(enc *e, size_t n, size_t size)
{
	if (e->rc)
		return NULL;
	void *m = cv_arena_calloc(e->a, n ? n : 1, size);
	if (!m)
		e->rc = cv_error_nomem();
	return m;
}

/* The string table index of s, adding it on first use. */
static int64_t str(enc *e, const char *s)
{
	if (e->rc || !s)
		return 0;
	size_t len = strlen(s);
	uint32_t idx = cv_bytemap_get(e->strings, s, len);
	if (idx != CV_BYTEMAP_NONE)
		return idx;
	if (e->pb.n_string_table == e->cap_strings) {
		size_t cap = e->cap_strings ? e->cap_strings * 2 : 1024;
		ProtobufCBinaryData *t = zalloc(e, cap, sizeof(*t));
		if (!t)
			return 0;
		if (e->pb.n_string_table)
			memcpy(t, e->pb.string_table, e->pb.n_string_table * sizeof(*t));
		e->pb.string_table = t;
		e->cap_strings = cap;
	}
	idx = (uint32_t)e->pb.n_string_table;
	if (cv_bytemap_put(e->strings, s, len, idx)) {
		e->rc = cv_error_nomem();
		return 0;
	}
	e->pb.string_table[e->pb.n_string_table++] = (ProtobufCBinaryData){len, (uint8_t *)s};
	return idx;
}

static pb_value_type *value_type(enc *e, const cv_value_type *vt)
{
	pb_value_type *m = zalloc(e, 1, sizeof(*m));
	if (!m)
		return NULL;
	perftools__profiles__value_type__init(m);
	m->type = str(e, vt->type);
	m->unit = str(e, vt->unit);
	return m;
}

static uint64_t mapping_id(enc *e, const cv_mapping *cm)
{
	if (!cm || e->rc)
		return 0;
	uint32_t idx = cv_bytemap_get(e->mappings, &cm, sizeof(cm));
	if (idx != CV_BYTEMAP_NONE)
		return idx + 1;
	pb_mapping *m = zalloc(e, 1, sizeof(*m));
	if (!m || e->pb.n_mapping == e->cap_mappings)
		return 0;
	perftools__profiles__mapping__init(m);
	idx = (uint32_t)e->pb.n_mapping;
	/* The key is the pointer value itself, stored beside the message. */
	const cv_mapping **key = zalloc(e, 1, sizeof(*key));
	if (!key)
		return 0;
	*key = cm;
	if (cv_bytemap_put(e->mappings, key, sizeof(*key), idx)) {
		e->rc = cv_error_nomem();
		return 0;
	}
	m->id = idx + 1;
	m->memory_start = cm->start;
	m->memory_limit = cm->limit;
	m->file_offset = cm->offset;
	m->filename = str(e, cm->file);
	m->build_id = str(e, cm->build_id);
	m->has_functions = cm->has_functions;
	m->has_filenames = cm->has_filenames;
	m->has_line_numbers = cm->has_line_numbers;
	m->has_inline_frames = cm->has_inline_frames;
	e->pb.mapping[e->pb.n_mapping++] = m;
	return m->id;
}

static uint64_t function_id(enc *e, const cv_function *cf)
{
	if (e->rc)
		return 0;
	uint32_t idx = cv_bytemap_get(e->functions, &cf, sizeof(cf));
	if (idx != CV_BYTEMAP_NONE)
		return idx + 1;
	pb_function *f = zalloc(e, 1, sizeof(*f));
	const cv_function **key = zalloc(e, 1, sizeof(*key));
	if (!f || !key || e->pb.n_function == e->cap_functions)
		return 0;
	perftools__profiles__function__init(f);
	idx = (uint32_t)e->pb.n_function;
	*key = cf;
	if (cv_bytemap_put(e->functions, key, sizeof(*key), idx)) {
		e->rc = cv_error_nomem();
		return 0;
	}
	f->id = idx + 1;
	f->name = str(e, cf->name);
	f->system_name = str(e, cf->system_name);
	f->filename = str(e, cf->filename);
	f->start_line = cf->start_line;
	e->pb.function[e->pb.n_function++] = f;
	return f->id;
}

/* pprof refuses lines without a function, so such lines are left out. */
static void encode_lines(enc *e, pb_location *l, const cv_location *cl)
{
	l->line = zalloc(e, cl->n_lines, sizeof(*l->line));
	pb_line *lines = zalloc(e, cl->n_lines, sizeof(*lines));
	if (!lines)
		return;
	for (size_t k = 0; k < cl->n_lines; k++) {
		const cv_line *cln = &cl->lines[k];
		if (!cln->function)
			continue;
		pb_line *ln = &lines[l->n_line];
		perftools__profiles__line__init(ln);
		ln->function_id = function_id(e, cln->function);
		ln->line = cln->line;
		l->line[l->n_line++] = ln;
	}
}

/* Number the locations the samples use, in profile order. */
static void number_locations(enc *e)
{
	const cv_profile *p = e->p;
	e->loc_ids = zalloc(e, p->n_locations, sizeof(*e->loc_ids));
	if (!e->loc_ids)
		return;
	for (size_t i = 0; i < p->n_samples; i++)
		for (size_t j = 0; j < p->samples[i].n_locs; j++)
			e->loc_ids[p->samples[i].locs[j]] = 1;
	uint64_t next = 0;
	size_t lines = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		if (e->loc_ids[i]) {
			e->loc_ids[i] = ++next;
			lines += p->locations[i].n_lines;
		}
	e->pb.location = zalloc(e, next, sizeof(*e->pb.location));
	e->pb.function = zalloc(e, lines, sizeof(*e->pb.function));
	e->cap_functions = lines;
	e->cap_mappings = p->n_mappings + next;
	e->pb.mapping = zalloc(e, e->cap_mappings, sizeof(*e->pb.mapping));
}

static void encode_locations(enc *e)
{
	const cv_profile *p = e->p;
	/* Every mapping first, so their order (and the main binary) survives. */
	for (size_t i = 0; i < p->n_mappings; i++)
		mapping_id(e, &p->mappings[i]);
	for (size_t i = 0; i < p->n_locations && !e->rc; i++) {
		if (!e->loc_ids[i])
			continue;
		const cv_location *cl = &p->locations[i];
		pb_location *l = zalloc(e, 1, sizeof(*l));
		if (!l)
			return;
		perftools__profiles__location__init(l);
		l->id = e->loc_ids[i];
		l->mapping_id = mapping_id(e, cl->mapping);
		l->address = cl->address;
		l->is_folded = cl->is_folded;
		encode_lines(e, l, cl);
		e->pb.location[e->pb.n_location++] = l;
	}
}

static void encode_labels(enc *e, pb_sample *s, const cv_sample *cs)
{
	s->label = zalloc(e, cs->n_labels, sizeof(*s->label));
	pb_label *labels = zalloc(e, cs->n_labels, sizeof(*labels));
	if (!labels)
		return;
	for (size_t k = 0; k < cs->n_labels; k++) {
		const cv_label *cl = &cs->labels[k];
		pb_label *l = &labels[k];
		perftools__profiles__label__init(l);
		l->key = str(e, cl->key);
		if (cl->str) {
			l->str = str(e, cl->str);
		} else {
			l->num = cl->num;
			l->num_unit = cl->num_unit && cl->num_unit[0] ? str(e, cl->num_unit) : 0;
		}
		s->label[s->n_label++] = l;
	}
}

/*
 * pprof's -divide_by scales what -proto writes, truncating as Go's int64();
 * like pprof, a negative ratio is not applied.
 */
static int64_t *scaled_values(enc *e, int64_t *values, size_t n)
{
	/* Unscaled, the array is shared: packing only reads it. */
	if (!(e->ratio > 0) || e->ratio == 1)
		return values;
	int64_t *v = zalloc(e, n, sizeof(*v));
	for (size_t i = 0; v && i < n; i++)
		v[i] = cv_go_int64((double)values[i] * e->ratio);
	return v;
}

static void encode_samples(enc *e)
{
	const cv_profile *p = e->p;
	e->pb.sample = zalloc(e, p->n_samples, sizeof(*e->pb.sample));
	pb_sample *samples = zalloc(e, p->n_samples, sizeof(*samples));
	for (size_t i = 0; i < p->n_samples && !e->rc; i++) {
		const cv_sample *cs = &p->samples[i];
		pb_sample *s = &samples[i];
		perftools__profiles__sample__init(s);
		s->location_id = zalloc(e, cs->n_locs, sizeof(*s->location_id));
		if (!s->location_id)
			return;
		for (size_t j = 0; j < cs->n_locs; j++)
			s->location_id[j] = e->loc_ids[cs->locs[j]];
		s->n_location_id = cs->n_locs;
		s->n_value = p->n_sample_types;
		s->value = scaled_values(e, cs->values, s->n_value);
		encode_labels(e, s, cs);
		e->pb.sample[e->pb.n_sample++] = s;
	}
}

static void encode_header(enc *e)
{
	const cv_profile *p = e->p;
	pb_profile *pb = &e->pb;
	pb->sample_type = zalloc(e, p->n_sample_types, sizeof(*pb->sample_type));
	for (size_t i = 0; i < p->n_sample_types && !e->rc; i++)
		pb->sample_type[pb->n_sample_type++] = value_type(e, &p->sample_types[i]);
	pb->drop_frames = str(e, p->drop_frames);
	pb->keep_frames = str(e, p->keep_frames);
	pb->time_nanos = p->time_nanos;
	pb->duration_nanos = p->duration_nanos;
	if ((p->period_type.type && p->period_type.type[0]) ||
	    (p->period_type.unit && p->period_type.unit[0]))
		pb->period_type = value_type(e, &p->period_type);
	pb->period = p->period;
	pb->comment = zalloc(e, p->n_comments, sizeof(*pb->comment));
	for (size_t i = 0; i < p->n_comments && !e->rc; i++)
		pb->comment[pb->n_comment++] = str(e, p->comments[i]);
	pb->default_sample_type = str(e, p->default_sample_type);
}

/* gzip with a zero mtime, so equal profiles give equal bytes. */
static int gzip_buffer(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return cv_error_nomem();
	size_t cap = deflateBound(&zs, len) + 32;
	uint8_t *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&zs);
		return cv_error_nomem();
	}
	int zrc = Z_OK;
	size_t done = 0;
	zs.next_out = buf;
	zs.avail_out = cap > UINT32_MAX ? UINT32_MAX : (uInt)cap;
	/* zlib counts in uInt: feed inputs larger than 4 GB in pieces. */
	while (zrc == Z_OK) {
		size_t chunk = len - done > UINT32_MAX ? UINT32_MAX : len - done;
		zs.next_in = (Bytef *)in + done;
		zs.avail_in = (uInt)chunk;
		done += chunk;
		zrc = deflate(&zs, done == len ? Z_FINISH : Z_NO_FLUSH);
		if (zrc == Z_OK && zs.avail_out == 0)
			zrc = Z_BUF_ERROR;
	}
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (zrc != Z_STREAM_END) {
		free(buf);
		return cv_error_set(CV_ERROR, "gzip compression failed");
	}
	*out = buf;
	return 0;
}

static int pack(enc *e, uint8_t **out, size_t *len, bool compress)
{
	size_t n = perftools__profiles__profile__get_packed_size(&e->pb);
	uint8_t *raw = malloc(n ? n : 1);
	if (!raw)
		return cv_error_nomem();
	perftools__profiles__profile__pack(&e->pb, raw);
	if (!compress) {
		*out = raw;
		*len = n;
		return 0;
	}
	int rc = gzip_buffer(raw, n, out, len);
	free(raw);
	return rc;
}

void cv_encode_options_init(cv_encode_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_ENCODE_OPTIONS_VERSION;
}

int cv_profile_encode(uint8_t **out, size_t *len, const cv_profile *p,
		      const cv_encode_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_ENCODE_OPTIONS_VERSION, "cv_encode_options");
	if (vrc)
		return vrc;
	enc e = {.p = p, .ratio = o ? o->ratio : 0};
	perftools__profiles__profile__init(&e.pb);
	e.a = cv_arena_new();
	e.strings = cv_bytemap_new();
	e.functions = cv_bytemap_new();
	e.mappings = cv_bytemap_new();
	if (!e.a || !e.strings || !e.functions || !e.mappings)
		e.rc = cv_error_nomem();
	str(&e, "");    /* index 0 is always the empty string */
	encode_header(&e);
	number_locations(&e);
	encode_locations(&e);
	encode_samples(&e);
	int rc = e.rc ? e.rc : pack(&e, out, len, !(o && o->uncompressed));
	cv_bytemap_free(e.strings);
	cv_bytemap_free(e.functions);
	cv_bytemap_free(e.mappings);
	cv_arena_free(e.a);
	return rc;
}

int cv_profile_write(FILE *out, const cv_profile *p, const cv_encode_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_ENCODE_OPTIONS_VERSION, "cv_encode_options");
	if (vrc)
		return vrc;
	uint8_t *data;
	size_t len;
	int rc = cv_profile_encode(&data, &len, p, o);
	if (rc)
		return rc;
	if (fwrite(data, 1, len, out) != len)
		rc = cv_error_set(CV_EIO, "writing the profile failed");
	free(data);
	return rc;
}
