/*
 * Decoder tests. Profiles are built in memory with protobuf-c and packed,
 * so every case states exactly which bytes the decoder sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "callviz/report.h"
#include "profile.pb-c.h"
#include "profile/decode_internal.h"

/* ---- building profiles ------------------------------------------------- */

#define MAXN 16

typedef struct builder {
	Perftools__Profiles__Profile pb;
	ProtobufCBinaryData strs[64];
	Perftools__Profiles__ValueType st[4], *stp[4], period_type;
	Perftools__Profiles__Mapping mp[4], *mpp[4];
	Perftools__Profiles__Function fn[MAXN], *fnp[MAXN];
	Perftools__Profiles__Location loc[MAXN], *locp[MAXN];
	Perftools__Profiles__Line line[MAXN][4], *linep[MAXN][4];
	Perftools__Profiles__Sample smp[MAXN], *smpp[MAXN];
	uint64_t smp_locs[MAXN][8];
	int64_t smp_vals[MAXN][4];
	Perftools__Profiles__Label lab[MAXN][4], *labp[MAXN][4];
	int64_t comments[4];
} builder;

/* Index of s in the string table, adding it if needed. */
static int64_t str(builder *b, const char *s)
{
	for (size_t i = 0; i < b->pb.n_string_table; i++)
		if (b->strs[i].len == strlen(s) && memcmp(b->strs[i].data, s, b->strs[i].len) == 0)
			return (int64_t)i;
	assert_true(b->pb.n_string_table < 64);
	b->strs[b->pb.n_string_table] = (ProtobufCBinaryData){strlen(s), (uint8_t *)s};
	return (int64_t)b->pb.n_string_table++;
}

static void add_sample_type(builder *b, const char *type, const char *unit)
{
	size_t i = b->pb.n_sample_type++;
	perftools__profiles__value_type__init(&b->st[i]);
	b->st[i].type = str(b, type);
	b->st[i].unit = str(b, unit);
	b->stp[i] = &b->st[i];
}

static void add_function(builder *b, uint64_t id, const char *name)
{
	size_t i = b->pb.n_function++;
	perftools__profiles__function__init(&b->fn[i]);
	b->fn[i].id = id;
	b->fn[i].name = str(b, name);
	b->fn[i].system_name = str(b, name);
	b->fn[i].filename = str(b, "main.go");
	b->fn[i].start_line = 1;
	b->fnp[i] = &b->fn[i];
}

/* fids/lines are innermost first, zero-terminated by fids. */
static void add_location(builder *b, uint64_t id, uint64_t mapping,
			 const uint64_t *fids)
{
	size_t i = b->pb.n_location++;
	perftools__profiles__location__init(&b->loc[i]);
	b->loc[i].id = id;
	b->loc[i].mapping_id = mapping;
	b->loc[i].address = 0x1000 + 16 * id;
	b->loc[i].line = b->linep[i];
	for (size_t j = 0; fids[j]; j++) {
		perftools__profiles__line__init(&b->line[i][j]);
		b->line[i][j].function_id = fids[j];
		b->line[i][j].line = (int64_t)(10 * id + j);
		b->linep[i][j] = &b->line[i][j];
		b->loc[i].n_line++;
	}
	b->locp[i] = &b->loc[i];
}

/* locs zero-terminated, leaf first; one value per sample type. */
static Perftools__Profiles__Sample *add_sample(builder *b, const uint64_t *locs,
					       int64_t v0, int64_t v1)
{
	size_t i = b->pb.n_sample++;
	Perftools__Profiles__Sample *s = &b->smp[i];
	perftools__profiles__sample__init(s);
	s->location_id = b->smp_locs[i];
	for (size_t j = 0; locs[j]; j++)
		s->location_id[s->n_location_id++] = locs[j];
	s->value = b->smp_vals[i];
	s->value[0] = v0;
	s->value[1] = v1;
	s->n_value = 2;
	s->label = b->labp[i];
	b->smpp[i] = s;
	return s;
}

static void add_label(builder *b, size_t sample, int64_t key, int64_t strv,
		      int64_t num, int64_t unit)
{
	Perftools__Profiles__Sample *s = &b->smp[sample];
	size_t j = s->n_label++;
	Perftools__Profiles__Label *l = &b->lab[sample][j];
	perftools__profiles__label__init(l);
	l->key = key;
	l->str = strv;
	l->num = num;
	l->num_unit = unit;
	b->labp[sample][j] = l;
}

/*
 * A small CPU-like profile:
 *   functions 1 main, 2 foo, 3 bar, 4 inl (inlined into bar)
 *   locations 10 {main}, 20 {foo}, 30 {inl, bar}; mapping 1 /bin/app
 *   samples [30 20 10] = (1, 100) with labels, [20 10] = (2, 200)
 */
static void base(builder *b)
{
	memset(b, 0, sizeof(*b));
	perftools__profiles__profile__init(&b->pb);
	b->pb.string_table = b->strs;
	b->pb.sample_type = b->stp;
	b->pb.mapping = b->mpp;
	b->pb.function = b->fnp;
	b->pb.location = b->locp;
	b->pb.sample = b->smpp;
	b->pb.comment = b->comments;
	str(b, "");
	add_sample_type(b, "samples", "count");
	add_sample_type(b, "cpu", "nanoseconds");

	perftools__profiles__mapping__init(&b->mp[0]);
	b->mp[0].id = 1;
	b->mp[0].memory_start = 0x1000;
	b->mp[0].memory_limit = 0x9000;
	b->mp[0].filename = str(b, "/bin/app");
	b->mp[0].build_id = str(b, "abc123");
	b->mp[0].has_functions = 1;
	b->mpp[0] = &b->mp[0];
	b->pb.n_mapping = 1;

	add_function(b, 1, "main");
	add_function(b, 2, "foo");
	add_function(b, 3, "bar");
	add_function(b, 4, "inl");
	add_location(b, 10, 1, (uint64_t[]){1, 0});
	add_location(b, 20, 1, (uint64_t[]){2, 0});
	add_location(b, 30, 1, (uint64_t[]){4, 3, 0});
	add_sample(b, (uint64_t[]){30, 20, 10, 0}, 1, 100);
	add_sample(b, (uint64_t[]){20, 10, 0}, 2, 200);
	add_label(b, 0, str(b, "thread"), str(b, "worker"), 0, 0);
	add_label(b, 0, str(b, "size"), 0, 1024, str(b, "bytes"));

	perftools__profiles__value_type__init(&b->period_type);
	b->period_type.type = str(b, "cpu");
	b->period_type.unit = str(b, "nanoseconds");
	b->pb.period_type = &b->period_type;
	b->pb.period = 10000000;
	b->pb.time_nanos = 1234;
	b->pb.duration_nanos = 5678;
	b->comments[0] = str(b, "a comment");
	b->pb.n_comment = 1;
}

typedef struct blob {
	uint8_t *data;
	size_t len;
} blob;

static blob pack(const builder *b)
{
	blob out;
	out.len = perftools__profiles__profile__get_packed_size(&b->pb);
	out.data = malloc(out.len ? out.len : 1);
	assert_non_null(out.data);
	assert_int_equal(perftools__profiles__profile__pack(&b->pb, out.data), out.len);
	return out;
}

static blob gzip_bytes(const uint8_t *data, size_t len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	blob out;
	out.len = deflateBound(&zs, len) + 32;
	out.data = malloc(out.len);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out.data;
	zs.avail_out = (uInt)out.len;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out.len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static cv_profile *parse_ok(const void *data, size_t len)
{
	cv_profile *p = NULL;
	int rc = cv_profile_parse(&p, data, len);
	if (rc)
		fail_msg("unexpected error: %s", cv_error_last());
	return p;
}

static cv_profile *build_ok(const builder *b)
{
	blob raw = pack(b);
	cv_profile *p = parse_ok(raw.data, raw.len);
	free(raw.data);
	return p;
}

/* Decoding must fail with `code` and a message containing `want`. */
static void expect_error(const void *data, size_t len, int code, const char *want)
{
	cv_profile *p = NULL;
	cv_error_clear();
	int rc = cv_profile_parse(&p, data, len);
	if (rc == 0) {
		cv_profile_free(p);
		fail_msg("expected error \"%s\", got success", want);
	}
	assert_int_equal(rc, code);
	assert_null(p);
	if (!strstr(cv_error_last(), want))
		fail_msg("error \"%s\" does not contain \"%s\"", cv_error_last(), want);
	assert_null(strchr(cv_error_last(), '\n'));
}

static void expect_build_error(const builder *b, const char *want)
{
	blob raw = pack(b);
	expect_error(raw.data, raw.len, CV_EFORMAT, want);
	free(raw.data);
}

/* Location ids of sample i, leaf first, as "30 20 10". */
static const char *stack(const cv_profile *p, size_t i)
{
	static char buf[256];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t j = 0; j < p->samples[i].n_locs; j++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%llu", j ? " " : "",
				      (unsigned long long)p->locations[p->samples[i].locs[j]].id);
	return buf;
}

/* ---- the samples fast path against protobuf-c ---------------------------- */

/* Decode through protobuf-c only: the path the fast one must agree with. */
static int parse_whole(cv_profile **out, const uint8_t *data, size_t len)
{
	return cv_profile_unpack(out, data, len, NULL, NULL, 0);
}

static void assert_same_samples(const cv_profile *a, const cv_profile *b)
{
	assert_int_equal(a->n_samples, b->n_samples);
	for (size_t i = 0; i < a->n_samples; i++) {
		const cv_sample *x = &a->samples[i], *y = &b->samples[i];
		assert_int_equal(x->n_locs, y->n_locs);
		for (size_t j = 0; j < x->n_locs; j++)
			assert_int_equal(x->locs[j], y->locs[j]);
		for (size_t j = 0; j < a->n_sample_types; j++)
			assert_int_equal(x->values[j], y->values[j]);
		assert_int_equal(x->n_labels, y->n_labels);
		for (size_t j = 0; j < x->n_labels; j++) {
			assert_string_equal(x->labels[j].key, y->labels[j].key);
			assert_true((x->labels[j].str == NULL) == (y->labels[j].str == NULL));
			if (x->labels[j].str)
				assert_string_equal(x->labels[j].str, y->labels[j].str);
			assert_int_equal(x->labels[j].num, y->labels[j].num);
			assert_string_equal(x->labels[j].num_unit, y->labels[j].num_unit);
		}
	}
}

/* What cv_split_samples makes of a whole profile: 0 or CV_DECLINE. */
static int split(const blob *raw)
{
	cv_raw_samples rs;
	uint8_t *rest = NULL;
	size_t rest_len;
	int rc = cv_split_samples(raw->data, raw->len, &rs, &rest, &rest_len);
	if (rc == 0)
		cv_raw_samples_free(&rs);
	free(rest);
	return rc;
}

/* The base profile with one more sample, given as raw Sample bytes. */
static blob with_sample(const builder *b, const uint8_t *sample, size_t len)
{
	blob raw = pack(b);
	raw.data = realloc(raw.data, raw.len + len + 2);
	assert_true(len < 128);
	raw.data[raw.len++] = 0x12;     /* field 2, length-delimited */
	raw.data[raw.len++] = (uint8_t)len;
	memcpy(raw.data + raw.len, sample, len);
	raw.len += len;
	return raw;
}

/* What the fast path reads itself: numbers packed and unpacked in one
 * sample, unknown fields of every wire type, an empty packed run, a
 * repeated label field (the last counts). */
static void test_wire_samples_agree(void **state)
{
	builder b;
	base(&b);
	uint8_t size = (uint8_t)str(&b, "size"), bytes = (uint8_t)str(&b, "bytes"),
		thread = (uint8_t)str(&b, "thread");
	const uint8_t sample[] = {
		0x08, 30, 0x08, 20, 0x0a, 1, 10,          /* ids: 30, 20, packed [10] */
		0x12, 1, 5, 0x10, 0xf4, 0x03,             /* values: packed [5], 500 */
		0x49, 1, 2, 3, 4, 5, 6, 7, 8,             /* field 9, fixed64 */
		0x55, 1, 2, 3, 4,                         /* field 10, fixed32 */
		0x62, 2, 0xff, 0x01,                      /* field 12, bytes */
		0x0a, 0,                                  /* an empty packed run */
		0x1a, 10, 0x08, thread, 0x08, size, 0x18, 7, 0x38, 1, 0x20, bytes,
		0x1a, 2, 0x08, thread,                    /* key only: dropped */
	};
	blob raw = with_sample(&b, sample, sizeof(sample));
	assert_int_equal(split(&raw), 0);
	cv_profile *fast = parse_ok(raw.data, raw.len), *whole = NULL;
	assert_int_equal(parse_whole(&whole, raw.data, raw.len), 0);
	assert_same_samples(fast, whole);
	assert_int_equal(fast->n_samples, 3);
	assert_string_equal(stack(fast, 2), "30 20 10");
	assert_int_equal(fast->samples[2].values[0], 5);
	assert_int_equal(fast->samples[2].values[1], 500);
	assert_int_equal(fast->samples[2].n_labels, 1);
	assert_string_equal(fast->samples[2].labels[0].key, "size");
	assert_int_equal(fast->samples[2].labels[0].num, 7);
	assert_string_equal(fast->samples[2].labels[0].num_unit, "bytes");
	cv_profile_free(fast);
	cv_profile_free(whole);
	free(raw.data);
}

/* Packed numbers of every length, 1 to 10 bytes, in every position of
 * a run, as the fast path itself reads them (it reads one- and two-byte
 * numbers without a branch on their length, longer ones the slow way). */
static void test_wire_numbers_of_every_length(void **state)
{
	static const struct {
		uint8_t bytes[24];
		size_t len;
		uint32_t ids[4];
		size_t n_ids;
		int64_t values[2];
	} cases[] = {
		{{0x0a, 4, 30, 20, 10, 20,                /* ids: packed [30 20 10 20] */
		  0x12, 13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
		  0x80, 0x80, 0x01},                      /* values: [-1 16384] */
		 21, {30, 20, 10, 20}, 4, {-1, 16384}},
		{{0x0a, 3, 10, 0x94, 0x00,                /* ids: [10 20], 20 in two bytes */
		  0x12, 7, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xf4, 0x03}, /* [2^32-1 500] */
		 14, {10, 20}, 2, {4294967295, 500}},
	};
	(void)state;
	builder b;
	base(&b);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		blob raw = with_sample(&b, cases[i].bytes, cases[i].len);
		cv_raw_samples rs;
		uint8_t *rest;
		size_t rest_len;
		assert_int_equal(cv_split_samples(raw.data, raw.len, &rs, &rest, &rest_len), 0);
		/* The base profile's two samples come first, 5 ids and 4 values. */
		assert_int_equal(rs.n, 3);
		assert_int_equal(rs.n_locs, 5 + cases[i].n_ids);
		assert_memory_equal(rs.locs + 5, cases[i].ids, cases[i].n_ids * sizeof(uint32_t));
		assert_int_equal(rs.n_values, 6);
		assert_int_equal(rs.values[4], cases[i].values[0]);
		assert_int_equal(rs.values[5], cases[i].values[1]);
		cv_raw_samples_free(&rs);
		free(rest);
		free(raw.data);
	}
}

/* Location ids resolved in two halves, one on another thread, give the
 * same samples, and an unknown id in either half the same error. */
static void test_ids_resolved_in_halves(void **state)
{
	static const char *const files[] = {"go-cpu.pb.gz", "go-heap.pb.gz",
					    "std-json-cpu.pb.gz", "gperf-cpu.pb.gz"};
	size_t saved = cv_halves_min_frames;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, files[f]);
		cv_profile *one = NULL, *two = NULL;
		cv_halves_min_frames = SIZE_MAX;
		assert_int_equal(cv_profile_read(&one, path), 0);
		cv_halves_min_frames = 1;
		assert_int_equal(cv_profile_read(&two, path), 0);
		assert_same_samples(one, two);
		cv_profile_free(one);
		cv_profile_free(two);
	}
	builder b;
	for (size_t k = 0; k < 2; k++) {
		base(&b);
		b.smp[k ? 1 : 0].location_id[0] = 99;
		char want[64];
		snprintf(want, sizeof(want), "sample %zu references missing location id 99",
			 k ? (size_t)1 : 0);
		expect_build_error(&b, want);
	}
	cv_halves_min_frames = saved;
	(void)state;
}

static char *raw_report(const cv_profile *p)
{
	cv_report_options o;
	cv_report_options_init(&o);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(cv_report_raw(f, p, &o), 0);
	fclose(f);
	return text;
}

/* Compaction for sums renumbers locations in two halves as one pass would
 * (the whole profile, as -raw prints it, is the same). A zero sample makes
 * it compact even profiles it could leave as they are (compact.c). */
static void test_compaction_in_halves(void **state)
{
	static const char *const files[] = {"go-cpu.pb.gz", "go-heap.pb.gz", "go-allocs.pb.gz",
					    "std-json-mem.pb.gz", "gperf-cpu.pb.gz",
					    "synth-labels.pb.gz"};
	size_t saved = cv_halves_min_frames;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, files[f]);
		cv_profile *one = NULL, *two = NULL;
		assert_int_equal(cv_profile_read(&one, path), 0);
		assert_int_equal(cv_profile_read(&two, path), 0);
		for (size_t k = 0; k < one->n_sample_types; k++)
			one->samples[0].values[k] = two->samples[0].values[k] = 0;
		cv_halves_min_frames = SIZE_MAX;
		assert_int_equal(cv_profile_compact_for_sums(one), 0);
		cv_halves_min_frames = 1;
		assert_int_equal(cv_profile_compact_for_sums(two), 0);
		char *a = raw_report(one), *b = raw_report(two);
		if (strcmp(a, b) != 0)
			fail_msg("%s: compacted in halves differs", files[f]);
		free(a);
		free(b);
		cv_profile_free(one);
		cv_profile_free(two);
	}
	cv_halves_min_frames = saved;
	(void)state;
}

/* What the fast path leaves to protobuf-c must get protobuf-c's verdict:
 * known fields of the wrong wire type, an id over 32 bits, a zero id. */
static void test_wire_samples_decline(void **state)
{
	static const struct {
		uint8_t bytes[16];
		size_t len;
	} cases[] = {
		{{0x08, 10, 0x11, 1, 0, 0, 0, 0, 0, 0, 0}, 11}, /* value as fixed64 */
		{{0x08, 10, 0x1a, 2, 0x09, 1}, 6},              /* label key, wrong type */
		{{0x08, 10, 0x18, 1}, 4},                        /* label as a varint */
		{{0x08, 0x80, 0x80, 0x80, 0x80, 0x10}, 6},       /* id 2^32 */
		{{0x08, 0, 0x10, 1, 0x10, 1}, 6},                /* id 0 */
		{{0x0d, 10, 0, 0, 0}, 5},                        /* id as fixed32 */
		{{0x1a, 7, 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 1}, 9}, /* label: a 6-byte tag */
		{{0x08, 10, 0x1a, 4, 0x08, 0x10, 0x10, 0xb5}, 8}, /* label: a varint cut off */
		{{0x08, 10, 0x10, 0xb5}, 4},                     /* sample: a varint cut off */
		{{0x0a, 2, 10, 0x8a, 0x10, 1, 0x10, 1}, 8},      /* packed ids: the last cut off */
		{{0x08, 10, 0x12, 2, 1, 0xb5}, 6},               /* packed values: the last cut off */
	};
	builder b;
	base(&b);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		blob raw = with_sample(&b, cases[i].bytes, cases[i].len);
		assert_int_equal(split(&raw), CV_DECLINE);
		cv_profile *fast = NULL, *whole = NULL;
		int rc_fast = cv_profile_parse(&fast, raw.data, raw.len);
		int rc_whole = parse_whole(&whole, raw.data, raw.len);
		if ((rc_fast == 0) != (rc_whole == 0))
			fail_msg("case %zu: fast path %d, protobuf-c %d", i, rc_fast, rc_whole);
		if (rc_fast == 0)
			assert_same_samples(fast, whole);
		cv_profile_free(fast);
		cv_profile_free(whole);
		free(raw.data);
	}
}

/* ---- decoding ---------------------------------------------------------- */

static void check_base(const cv_profile *p)
{
	assert_int_equal(p->n_sample_types, 2);
	assert_string_equal(p->sample_types[0].type, "samples");
	assert_string_equal(p->sample_types[1].unit, "nanoseconds");
	assert_int_equal(p->n_samples, 2);
	assert_string_equal(stack(p, 0), "30 20 10");
	assert_string_equal(stack(p, 1), "20 10");
	assert_int_equal(p->samples[0].values[0], 1);
	assert_int_equal(p->samples[0].values[1], 100);
	assert_int_equal(p->samples[1].values[1], 200);

	assert_int_equal(p->n_mappings, 1);
	assert_string_equal(p->mappings[0].file, "/bin/app");
	assert_string_equal(p->mappings[0].build_id, "abc123");
	assert_true(p->mappings[0].has_functions);
	assert_false(p->mappings[0].has_filenames);

	assert_int_equal(p->n_locations, 3);
	const cv_location *l = &p->locations[2];
	assert_int_equal(l->id, 30);
	assert_ptr_equal(l->mapping, &p->mappings[0]);
	assert_int_equal(l->address, 0x1000 + 16 * 30);
	/* Inlined frame first, its caller last. */
	assert_int_equal(l->n_lines, 2);
	assert_string_equal(l->lines[0].function->name, "inl");
	assert_string_equal(l->lines[1].function->name, "bar");
	assert_int_equal(l->lines[1].line, 301);
	assert_string_equal(l->lines[1].function->filename, "main.go");
	assert_int_equal(l->lines[1].function->start_line, 1);

	assert_string_equal(p->period_type.type, "cpu");
	assert_int_equal(p->period, 10000000);
	assert_int_equal(p->time_nanos, 1234);
	assert_int_equal(p->duration_nanos, 5678);
	assert_int_equal(p->n_comments, 1);
	assert_string_equal(p->comments[0], "a comment");
	assert_string_equal(p->drop_frames, "");
	assert_string_equal(p->keep_frames, "");
	assert_string_equal(p->default_sample_type, "");
}

static void test_raw(void **state)
{
	builder b;
	base(&b);
	cv_profile *p = build_ok(&b);
	check_base(p);
	cv_profile_free(p);
	cv_profile_free(NULL);
}

static void test_gzip(void **state)
{
	builder b;
	base(&b);
	blob raw = pack(&b);
	blob gz = gzip_bytes(raw.data, raw.len);
	cv_profile *p = parse_ok(gz.data, gz.len);
	check_base(p);
	cv_profile_free(p);

	/* Two gzip members inflate to one stream, as with Go's reader. */
	size_t half = raw.len / 2;
	blob g1 = gzip_bytes(raw.data, half);
	blob g2 = gzip_bytes(raw.data + half, raw.len - half);
	uint8_t *both = malloc(g1.len + g2.len);
	memcpy(both, g1.data, g1.len);
	memcpy(both + g1.len, g2.data, g2.len);
	p = parse_ok(both, g1.len + g2.len);
	check_base(p);
	cv_profile_free(p);
	free(both);
	free(g1.data);
	free(g2.data);
	free(gz.data);
	free(raw.data);
}

static void test_labels(void **state)
{
	builder b;
	base(&b);
	add_label(&b, 1, str(&b, "bytes"), 0, 64, 0);          /* numeric, no unit */
	add_label(&b, 1, str(&b, "ignored"), 0, 0, 0);         /* dropped, as pprof does */
	add_label(&b, 1, str(&b, "zero"), 0, 0, str(&b, "ms")); /* kept: has a unit */
	add_label(&b, 1, str(&b, "k"), str(&b, "v"), 7, str(&b, "ms")); /* str wins */
	cv_profile *p = build_ok(&b);

	const cv_sample *s = &p->samples[0];
	assert_int_equal(s->n_labels, 2);
	assert_string_equal(s->labels[0].key, "thread");
	assert_string_equal(s->labels[0].str, "worker");
	assert_string_equal(s->labels[0].num_unit, "");
	assert_string_equal(s->labels[1].key, "size");
	assert_null(s->labels[1].str);
	assert_int_equal(s->labels[1].num, 1024);
	assert_string_equal(s->labels[1].num_unit, "bytes");

	s = &p->samples[1];
	assert_int_equal(s->n_labels, 3);
	assert_null(s->labels[0].str);
	assert_int_equal(s->labels[0].num, 64);
	assert_string_equal(s->labels[0].num_unit, "");
	assert_string_equal(s->labels[1].key, "zero");
	assert_null(s->labels[1].str);
	assert_int_equal(s->labels[1].num, 0);
	assert_string_equal(s->labels[1].num_unit, "ms");
	assert_string_equal(s->labels[2].str, "v");
	cv_profile_free(p);
}

static void test_unknown_mapping_is_null(void **state)
{
	builder b;
	base(&b);
	b.loc[0].mapping_id = 77;   /* pprof keeps such a location, unmapped */
	b.loc[1].mapping_id = 0;
	cv_profile *p = build_ok(&b);
	assert_null(p->locations[0].mapping);
	assert_null(p->locations[1].mapping);
	assert_non_null(p->locations[2].mapping);
	cv_profile_free(p);
}

static void test_sparse_ids(void **state)
{
	builder b;
	base(&b);
	/* Address-like ids force the hash table path. */
	uint64_t big = (uint64_t)1 << 60;
	b.loc[0].id = big + 10;
	b.loc[1].id = big + 20;
	b.loc[2].id = UINT64_MAX;
	b.smp[0].location_id[0] = UINT64_MAX;
	b.smp[0].location_id[1] = big + 20;
	b.smp[0].location_id[2] = big + 10;
	b.smp[1].location_id[0] = big + 20;
	b.smp[1].location_id[1] = big + 10;
	b.fn[2].id = big;
	b.line[2][1].function_id = big;
	cv_profile *p = build_ok(&b);
	assert_int_equal(p->locations[p->samples[0].locs[0]].id, UINT64_MAX);
	assert_int_equal(p->samples[0].locs[0], 2);
	assert_int_equal(p->samples[0].locs[2], 0);
	assert_string_equal(p->locations[2].lines[1].function->name, "bar");
	cv_profile_free(p);

	b.loc[1].id = big + 10;
	expect_build_error(&b, "duplicate location id 1152921504606846986");
}

static void test_empty_profile_ok(void **state)
{
	/* Only a string table: valid for pprof, which later says "no samples". */
	builder b;
	memset(&b, 0, sizeof(b));
	perftools__profiles__profile__init(&b.pb);
	b.pb.string_table = b.strs;
	str(&b, "");
	cv_profile *p = build_ok(&b);
	assert_int_equal(p->n_samples, 0);
	assert_int_equal(p->n_sample_types, 0);
	assert_string_equal(p->period_type.type, "");
	assert_string_equal(p->period_type.unit, "");
	assert_int_equal(cv_profile_sample_index(p, ""), CV_ENOTFOUND);
	assert_string_equal(cv_error_last(), "profile has no samples");
	cv_profile_free(p);
}

static void test_strings_with_nul(void **state)
{
	builder b;
	base(&b);
	b.strs[b.fn[1].name] = (ProtobufCBinaryData){3, (uint8_t *)"f\0o"};
	cv_profile *p = build_ok(&b);
	assert_string_equal(p->functions[1].name, "f");
	cv_profile_free(p);
}

/* ---- validation -------------------------------------------------------- */

static void test_missing_location(void **state)
{
	builder b;
	base(&b);
	b.smp[1].location_id[0] = 99;
	expect_build_error(&b, "sample 1 references missing location id 99");
	base(&b);
	b.smp[0].location_id[0] = 0;
	expect_build_error(&b, "sample 0 references missing location id 0");
}

static void test_missing_function(void **state)
{
	builder b;
	base(&b);
	b.line[1][0].function_id = 42;
	expect_build_error(&b, "location 20 references missing function id 42");
	base(&b);
	b.line[2][1].function_id = 0;
	expect_build_error(&b, "location 30 has a line with function id 0");
}

static void test_bad_string_index(void **state)
{
	builder b;
	base(&b);
	size_t n = b.pb.n_string_table;
	b.fn[3].name = 500;
	char want[128];
	snprintf(want, sizeof(want),
		 "function 4 name: string index 500 out of range (table has %zu)", n);
	expect_build_error(&b, want);

	base(&b);
	b.fn[0].filename = -1;
	expect_build_error(&b, "function 1 filename: string index -1 out of range");

	/* A label pprof would drop still has its key checked. */
	base(&b);
	add_label(&b, 1, 900, 0, 0, 0);
	expect_build_error(&b, "sample 1 label key: string index 900 out of range");

	base(&b);
	add_label(&b, 1, 1, 0, 5, 901);
	expect_build_error(&b, "sample 1 label num_unit: string index 901");

	base(&b);
	b.mp[0].build_id = (int64_t)n;
	expect_build_error(&b, "mapping 1 build_id: string index");

	base(&b);
	b.st[1].unit = 1000;
	expect_build_error(&b, "sample type 1 unit: string index 1000");

	base(&b);
	b.pb.drop_frames = 77;
	expect_build_error(&b, "drop_frames: string index 77");

	base(&b);
	b.period_type.unit = 66;
	expect_build_error(&b, "period_type unit: string index 66");

	base(&b);
	b.comments[0] = 55;
	expect_build_error(&b, "comment 0: string index 55");
}

static void test_string_table_start(void **state)
{
	builder b;
	base(&b);
	b.strs[0] = (ProtobufCBinaryData){1, (uint8_t *)"x"};
	expect_build_error(&b, "string table must start with an empty string");

	memset(&b, 0, sizeof(b));
	perftools__profiles__profile__init(&b.pb);
	b.pb.time_nanos = 5;   /* a message with no string table at all */
	expect_build_error(&b, "string table must start with an empty string");
}

static void test_value_count(void **state)
{
	builder b;
	base(&b);
	b.smp[1].n_value = 1;
	expect_build_error(&b, "sample 1 has 1 values, want 2 (one per sample type)");
	base(&b);
	b.pb.n_sample_type = 0;
	expect_build_error(&b, "profile has samples but no sample types");
}

static void test_ids(void **state)
{
	builder b;
	base(&b);
	b.fn[2].id = 2;
	expect_build_error(&b, "duplicate function id 2");
	base(&b);
	b.loc[1].id = 10;
	expect_build_error(&b, "duplicate location id 10");
	base(&b);
	b.mp[1] = b.mp[0];
	b.mpp[1] = &b.mp[1];
	b.pb.n_mapping = 2;
	expect_build_error(&b, "duplicate mapping id 1");
	base(&b);
	b.loc[0].id = 0;
	expect_build_error(&b, "location with reserved id 0");
	base(&b);
	b.fn[0].id = 0;
	expect_build_error(&b, "function with reserved id 0");
	base(&b);
	b.mp[0].id = 0;
	expect_build_error(&b, "mapping with reserved id 0");
}

static void test_not_a_profile(void **state)
{
	expect_error("", 0, CV_EFORMAT, "empty input file");
	const char *text = "heap profile: this is some text, not protobuf\n";
	expect_error(text, strlen(text), CV_EFORMAT, "unrecognized profile format");

	builder b;
	base(&b);
	blob raw = pack(&b);
	/* Cut inside the last field. */
	expect_error(raw.data, raw.len - 1, CV_EFORMAT, "unrecognized profile format");

	/* `cat a.pb b.pb` decodes as one message; pprof spots it by time_nanos. */
	uint8_t *twice = malloc(2 * raw.len);
	memcpy(twice, raw.data, raw.len);
	memcpy(twice + raw.len, raw.data, raw.len);
	expect_error(twice, 2 * raw.len, CV_EFORMAT, "concatenated profiles detected");
	free(twice);
	free(raw.data);
}

/* Whatever the bytes, decoding returns; under ASan this is a mini fuzzer. */
static void test_garbage_never_crashes(void **state)
{
	builder b;
	base(&b);
	blob raw = pack(&b);
	uint8_t buf[512];
	srand(12345);
	for (int iter = 0; iter < 3000; iter++) {
		size_t len;
		if (iter % 2) {
			len = (size_t)rand() % sizeof(buf);
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)rand();
		} else {
			/* Mutate a valid profile: nearly right is the hard case. */
			len = raw.len;
			memcpy(buf, raw.data, len);
			for (int k = 0; k < 1 + iter % 4; k++)
				buf[(size_t)rand() % len] = (uint8_t)rand();
			if (iter % 3 == 0)
				len = (size_t)rand() % len;
		}
		cv_profile *p = NULL;
		int rc = cv_profile_parse(&p, buf, len);
		if (rc == 0) {
			/* Accepted mutants must still be self-consistent. */
			for (size_t i = 0; i < p->n_samples; i++)
				for (size_t j = 0; j < p->samples[i].n_locs; j++)
					assert_true(p->samples[i].locs[j] < p->n_locations);
			cv_profile_free(p);
		} else {
			assert_true(rc == CV_EFORMAT);
			assert_true(strlen(cv_error_last()) > 0);
		}
	}
	free(raw.data);
}

static void test_bad_gzip(void **state)
{
	builder b;
	base(&b);
	blob raw = pack(&b);
	blob gz = gzip_bytes(raw.data, raw.len);

	/* Truncated member. */
	expect_error(gz.data, gz.len - 5, CV_EFORMAT, "gzip: unexpected end of data");
	expect_error(gz.data, 2, CV_EFORMAT, "gzip: ");

	/* Corrupt CRC. */
	uint8_t *bad = malloc(gz.len + 3);
	memcpy(bad, gz.data, gz.len);
	bad[gz.len - 6] ^= 0xff;
	expect_error(bad, gz.len, CV_EFORMAT, "gzip: incorrect data check");

	/* Bad compression method byte. */
	memcpy(bad, gz.data, gz.len);
	bad[2] = 7;
	expect_error(bad, gz.len, CV_EFORMAT, "gzip: ");

	/* Junk after a good member: Go's reader refuses it, so do we. */
	memcpy(bad, gz.data, gz.len);
	memcpy(bad + gz.len, "\0\0\0", 3);
	expect_error(bad, gz.len + 3, CV_EFORMAT, "gzip: invalid header after member");

	/* A valid gzip of nothing is an empty profile. */
	blob empty = gzip_bytes((const uint8_t *)"", 0);
	expect_error(empty.data, empty.len, CV_EFORMAT, "empty input file");

	free(empty.data);
	free(bad);
	free(gz.data);
	free(raw.data);
}

static void test_gzip_limit(void **state)
{
	uint8_t *zeros = calloc(1, 100000);
	blob gz = gzip_bytes(zeros, 100000);
	uint8_t *out = NULL;
	size_t n = 0;
	if (cv_gunzip(gz.data, gz.len, 100000, &out, &n))
		fail_msg("%s", cv_error_last());
	assert_int_equal(n, 100000);
	free(out);
	out = NULL;
	assert_int_equal(cv_gunzip(gz.data, gz.len, 99999, &out, &n), CV_EFORMAT);
	assert_null(out);
	assert_non_null(strstr(cv_error_last(), "inflated profile exceeds -max_bytes (99999 bytes)"));
	free(gz.data);
	free(zeros);
}

/* ---- reading files ----------------------------------------------------- */

static void test_read(void **state)
{
	cv_profile *p = NULL;
	assert_int_equal(cv_profile_read(&p, "/nonexistent/dir/x.pb.gz"), CV_EIO);
	assert_string_equal(cv_error_last(), "No such file or directory");
	assert_int_equal(cv_profile_read(&p, "/"), CV_EIO);
	assert_string_equal(cv_error_last(), "Is a directory");

	builder b;
	base(&b);
	blob raw = pack(&b);
	blob gz = gzip_bytes(raw.data, raw.len);
	char path[] = "/tmp/test_decode_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, gz.data, gz.len), (ssize_t)gz.len);
	close(fd);
	assert_int_equal(cv_profile_read(&p, path), 0);
	check_base(p);
	cv_profile_free(p);

	/* "-" is standard input. */
	int saved = dup(STDIN_FILENO);
	assert_non_null(freopen(path, "rb", stdin));
	p = NULL;
	assert_int_equal(cv_profile_read(&p, "-"), 0);
	check_base(p);
	cv_profile_free(p);
	dup2(saved, STDIN_FILENO);
	close(saved);
	unlink(path);
	free(gz.data);
	free(raw.data);
}

/* ---- sample_index ------------------------------------------------------ */

static void test_sample_index(void **state)
{
	builder b;
	base(&b);
	cv_profile *p = build_ok(&b);
	assert_int_equal(cv_profile_sample_index(p, NULL), 1);
	assert_int_equal(cv_profile_sample_index(p, ""), 1);
	assert_int_equal(cv_profile_sample_index(p, "0"), 0);
	assert_int_equal(cv_profile_sample_index(p, "+1"), 1);
	assert_int_equal(cv_profile_sample_index(p, "samples"), 0);
	assert_int_equal(cv_profile_sample_index(p, "cpu"), 1);
	assert_int_equal(cv_profile_sample_index(p, "inuse_cpu"), 1);

	assert_int_equal(cv_profile_sample_index(p, "2"), CV_ENOTFOUND);
	assert_string_equal(cv_error_last(), "sample_index 2 is outside the range [0..1]");
	assert_int_equal(cv_profile_sample_index(p, "-1"), CV_ENOTFOUND);
	assert_string_equal(cv_error_last(), "sample_index -1 is outside the range [0..1]");
	assert_int_equal(cv_profile_sample_index(p, "alloc_space"), CV_ENOTFOUND);
	assert_string_equal(cv_error_last(),
			    "sample_index \"alloc_space\" must be one of: [samples cpu]");
	/* Too big for an int is not a number, so it is looked up as a name. */
	assert_int_equal(cv_profile_sample_index(p, "99999999999999999999"), CV_ENOTFOUND);
	assert_non_null(strstr(cv_error_last(), "must be one of"));
	cv_profile_free(p);

	b.pb.default_sample_type = str(&b, "samples");
	p = build_ok(&b);
	assert_string_equal(p->default_sample_type, "samples");
	assert_int_equal(cv_profile_sample_index(p, ""), 0);
	assert_int_equal(cv_profile_sample_index(p, "cpu"), 1);
	cv_profile_free(p);

	/* A default that names no sample type falls back to the last. */
	b.pb.default_sample_type = str(&b, "nosuch");
	p = build_ok(&b);
	assert_int_equal(cv_profile_sample_index(p, ""), 1);
	cv_profile_free(p);
}

/* ---- drop_frames ------------------------------------------------------- */

/*
 * functions: 1 main, 2 foo, 5 runtime.a, 6 runtime.b, 7 keepme,
 *            8 "foo(int, char)", 9 ".bar", 10 "(anonymous namespace)::f(int)"
 * locations: n -> function n for 1..10, plus 11 {runtime.a, foo} and
 *            12 {foo, runtime.a, main} (inlined, innermost first)
 */
static void prune_profile(builder *b, const char *drop, const char *keep)
{
	base(b);
	b->pb.n_function = b->pb.n_location = b->pb.n_sample = 0;
	const char *names[] = {"", "main", "foo", "", "", "runtime.a", "runtime.b",
			       "keepme", "foo(int, char)", ".bar",
			       "(anonymous namespace)::f(int)"};
	for (uint64_t id = 1; id <= 10; id++) {
		if (!*names[id])
			continue;
		add_function(b, id, names[id]);
		add_location(b, id, 1, (uint64_t[]){id, 0});
	}
	add_location(b, 11, 1, (uint64_t[]){5, 2, 0});
	add_location(b, 12, 1, (uint64_t[]){2, 5, 1, 0});
	b->pb.drop_frames = str(b, drop);
	b->pb.keep_frames = keep ? str(b, keep) : 0;
}

static const char *const prune_stacks[] = {
	"5 2 1", "6 5", "2 5 1", "7 2 1", "5 6 8 1", "11 1", "12", "5 12 6",
	"9 1", "10 1",
};

static cv_profile *pruned(const char *drop, const char *keep)
{
	builder b;
	prune_profile(&b, drop, keep);
	for (size_t i = 0; i < sizeof(prune_stacks) / sizeof(*prune_stacks); i++) {
		uint64_t ids[8] = {0};
		size_t n = 0;
		for (const char *s = prune_stacks[i]; *s;) {
			char *end;
			ids[n++] = strtoull(s, &end, 10);
			s = *end ? end + 1 : end;
		}
		add_sample(&b, ids, 1, 1);
	}
	cv_profile *p = build_ok(&b);
	assert_int_equal(cv_profile_prune_frames(p), 0);
	return p;
}

static const char *lines_of(const cv_profile *p, uint64_t id)
{
	static char buf[128];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n_locations; i++) {
		if (p->locations[i].id != id)
			continue;
		for (size_t j = 0; j < p->locations[i].n_lines; j++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", j ? " " : "",
					      p->locations[i].lines[j].function->name);
	}
	return buf;
}

static void test_prune_runtime(void **state)
{
	/* Expected results checked against `go tool pprof -raw`. */
	cv_profile *p = pruned("runtime\\..*", NULL);
	assert_string_equal(stack(p, 0), "2 1");
	assert_string_equal(stack(p, 1), "6 5");    /* no user frame: untouched */
	assert_string_equal(stack(p, 2), "1");
	assert_string_equal(stack(p, 3), "7 2 1");
	assert_string_equal(stack(p, 4), "8 1");
	assert_string_equal(stack(p, 5), "11 1");   /* runtime.a inlined into foo */
	assert_string_equal(stack(p, 6), "12");
	assert_string_equal(stack(p, 7), "5 12 6"); /* root is runtime: no cut */
	assert_string_equal(lines_of(p, 11), "foo");
	assert_string_equal(lines_of(p, 12), "main");
	assert_string_equal(lines_of(p, 5), "runtime.a");
	cv_profile_free(p);

	/* keep_frames rescues matches; both regexes must match whole names. */
	p = pruned("runtime\\..*|keepme", "keepme");
	assert_string_equal(stack(p, 3), "7 2 1");
	assert_string_equal(stack(p, 0), "2 1");
	cv_profile_free(p);
	p = pruned("runtime", NULL);
	assert_string_equal(stack(p, 0), "5 2 1");
	cv_profile_free(p);
}

static void test_prune_simplified_names(void **state)
{
	/* "foo(int, char)" is matched as "foo". */
	cv_profile *p = pruned("foo", NULL);
	assert_string_equal(stack(p, 0), "1");
	assert_string_equal(stack(p, 4), "1");
	assert_string_equal(stack(p, 5), "1");      /* loc 11's caller line is foo */
	assert_string_equal(stack(p, 6), "12");
	assert_string_equal(lines_of(p, 12), "runtime.a main");
	cv_profile_free(p);

	p = pruned("bar", NULL);                     /* leading '.' ignored */
	assert_string_equal(stack(p, 8), "1");
	cv_profile_free(p);

	p = pruned("\\(anonymous namespace\\)::f", NULL);
	assert_string_equal(stack(p, 9), "1");
	cv_profile_free(p);
}

static void test_prune_noop_and_errors(void **state)
{
	builder b;
	base(&b);
	cv_profile *p = build_ok(&b);
	assert_int_equal(cv_profile_prune_frames(p), 0);
	check_base(p);
	cv_profile_free(p);

	b.pb.drop_frames = str(&b, "foo(");
	p = build_ok(&b);
	assert_int_equal(cv_profile_prune_frames(p), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "drop_frames"));
	assert_string_equal(stack(p, 0), "30 20 10");
	cv_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_unknown_mapping_is_null),
		cmocka_unit_test(test_sparse_ids),
		cmocka_unit_test(test_empty_profile_ok),
		cmocka_unit_test(test_strings_with_nul),
		cmocka_unit_test(test_missing_location),
		cmocka_unit_test(test_missing_function),
		cmocka_unit_test(test_bad_string_index),
		cmocka_unit_test(test_string_table_start),
		cmocka_unit_test(test_value_count),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_not_a_profile),
		cmocka_unit_test(test_garbage_never_crashes),
		cmocka_unit_test(test_bad_gzip),
		cmocka_unit_test(test_gzip_limit),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_sample_index),
		cmocka_unit_test(test_prune_runtime),
		cmocka_unit_test(test_prune_simplified_names),
		cmocka_unit_test(test_prune_noop_and_errors),
		cmocka_unit_test(test_wire_samples_agree),
		cmocka_unit_test(test_wire_numbers_of_every_length),
		cmocka_unit_test(test_ids_resolved_in_halves),
		cmocka_unit_test(test_compaction_in_halves),
		cmocka_unit_test(test_wire_samples_decline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
