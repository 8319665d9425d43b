/*
 * The samples split that follows the inflater on another thread
 * (lib/profile/stream.h, cv_split_samples_followed): whatever the pace
 * the bytes come at, it must read exactly what the split over the whole
 * buffer reads, and give up cleanly when the buffer moves. The same for
 * the split in halves on two threads (cv_split_samples_halves) after a
 * whole-file inflate (cv_gunzip_whole).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile/decode_internal.h"
#include "profile/stream.h"
#include "split_follow.h"

static const char *const profiles[] = {
	"go-cpu.pb.gz", "go-allocs.pb.gz", "go-heap.pb.gz", "gperf-cpu.pb.gz",
	"std-json-cpu.pb.gz", "synth-labels.pb.gz",
};

typedef struct blob {
	uint8_t *data;
	size_t len;
} blob;

static blob read_file(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	blob b = {malloc(1 << 20), 0};
	b.len = fread(b.data, 1, 1 << 20, f);
	assert_true(b.len > 0 && b.len < 1 << 20);
	fclose(f);
	return b;
}

static blob inflated(const char *name)
{
	blob gz = read_file(name), out;
	if (cv_gunzip(gz.data, gz.len, 64 << 20, &out.data, &out.len))
		fail_msg("%s: %s", name, cv_error_last());
	free(gz.data);
	return out;
}

/* Byte by byte, in odd steps, in big ones: always what the whole-buffer
 * split reads, samples and the rest alike. */
static void test_followed_split_agrees(void **state)
{
	static const size_t steps[] = {1, 7, 613, 4096, 1 << 20};
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		blob in = inflated(profiles[i]);
		split_result whole = split_whole(in.data, in.len);
		assert_int_equal(whole.rc, 0);
		for (size_t k = 0; k < sizeof(steps) / sizeof(*steps); k++) {
			split_result r = split_followed(in.data, in.len, steps[k], 0);
			if (!split_same(&r, &whole))
				fail_msg("%s, %zu bytes at a time: not what the whole split reads",
					 profiles[i], steps[k]);
			split_result_free(&r);
		}
		split_result_free(&whole);
		free(in.data);
	}
}

/* Cut short, or garbage: declined like the whole-buffer split does. */
static void test_followed_split_declines(void **state)
{
	blob in = inflated("go-cpu.pb.gz");
	split_result r = split_followed(in.data, in.len - 3, 100, 0);
	assert_int_equal(r.rc, CV_DECLINE);
	r = split_whole(in.data, in.len - 3);
	assert_int_equal(r.rc, CV_DECLINE);
	uint8_t junk[64];
	memset(junk, 0xff, sizeof(junk));
	r = split_followed(junk, sizeof(junk), 5, 0);
	assert_int_equal(r.rc, CV_DECLINE);
	free(in.data);
}

/* The inflater moved its buffer midway: the reader gives up, and frees
 * nothing it does not own (ASan checks the rest). */
static void test_followed_split_abandoned(void **state)
{
	blob in = inflated("go-allocs.pb.gz");
	static const size_t at[] = {1, 100, 20000, 60000};
	for (size_t i = 0; i < sizeof(at) / sizeof(*at); i++) {
		split_result r = split_followed(in.data, in.len, 97, at[i]);
		assert_int_equal(r.rc, CV_DECLINE);
	}
	free(in.data);
}

static blob gzip_member(const uint8_t *data, size_t len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	blob out = {malloc(deflateBound(&zs, len) + 32), 0};
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out.data;
	zs.avail_out = (uInt)deflateBound(&zs, len) + 32;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out.len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static blob encode(const cv_profile *p)
{
	blob b;
	cv_encode_options o = {.uncompressed = true};
	assert_int_equal(cv_profile_encode(&b.data, &b.len, p, &o), 0);
	return b;
}

/* Same profiles: the same bytes once encoded. Frees both. */
static void assert_same_profile(cv_profile *a, cv_profile *b)
{
	blob e1 = encode(a), e2 = encode(b);
	assert_int_equal(e1.len, e2.len);
	assert_memory_equal(e1.data, e2.data, e1.len);
	cv_profile_free(a);
	cv_profile_free(b);
	free(e1.data);
	free(e2.data);
}

/*
 * Through cv_profile_parse: a file of two gzip members whose last one is
 * small, so the size hint is short, the inflater outgrows its buffer
 * while the split follows it, and the split is done again afterwards.
 * The profile must equal the one read from the bytes uncompressed.
 */
static void test_parse_outgrown_hint(void **state)
{
	blob in = inflated("go-allocs.pb.gz");
	size_t tail = 40000;
	blob a = gzip_member(in.data, in.len - tail);
	blob b = gzip_member(in.data + in.len - tail, tail);
	assert_true(a.len + b.len >= 16 * 1024);   /* big enough to be followed */
	uint8_t *two = malloc(a.len + b.len);
	memcpy(two, a.data, a.len);
	memcpy(two + a.len, b.data, b.len);

	cv_profile *p1 = NULL, *p2 = NULL;
	if (cv_profile_parse(&p1, in.data, in.len) || cv_profile_parse(&p2, two, a.len + b.len))
		fail_msg("%s", cv_error_last());
	assert_same_profile(p1, p2);

	/* The same file cut short fails as gzip, with the split abandoned. */
	cv_profile *p3 = NULL;
	assert_int_equal(cv_profile_parse(&p3, two, a.len + b.len - 5), CV_EFORMAT);
	assert_null(p3);

	free(two);
	free(a.data);
	free(b.data);
	free(in.data);
}

/* In halves on two threads, into two parts: always what the whole-buffer
 * split reads, a cut-off file's decline included. */
static void test_halves_split_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		blob in = inflated(profiles[i]);
		size_t lens[] = {in.len, in.len - 3};
		for (size_t k = 0; k < 2; k++) {
			split_result whole = split_whole(in.data, lens[k]);
			split_result halves = split_in_halves(in.data, lens[k]);
			if (halves.rc == -1)
				fail_msg("%s: no middle", profiles[i]);
			if (!split_same(&whole, &halves))
				fail_msg("%s, %zu bytes: the halves read other samples", profiles[i],
					 lens[k]);
			assert_int_equal(whole.rc, k ? CV_DECLINE : 0);
			split_result_free(&whole);
			split_result_free(&halves);
		}
		free(in.data);
	}
}

/* Through cv_profile_parse, gzipped (inflated whole by libdeflate) and
 * not: the profile read in halves is the one read in one split. */
static void test_parse_in_halves(void **state)
{
	(void)state;
	size_t saved = cv_split_halves_min_bytes;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		blob gz = read_file(profiles[i]), in = inflated(profiles[i]);
		const blob *forms[] = {&gz, &in};
		for (int f = 0; f < 2; f++) {
			cv_profile *one = NULL, *two = NULL;
			cv_split_halves_min_bytes = SIZE_MAX;
			int rc1 = cv_profile_parse(&one, forms[f]->data, forms[f]->len);
			cv_split_halves_min_bytes = 1;
			int rc2 = cv_profile_parse(&two, forms[f]->data, forms[f]->len);
			cv_split_halves_min_bytes = saved;
			if (rc1 || rc2)
				fail_msg("%s: %s", profiles[i], cv_error_last());
			assert_same_profile(one, two);
		}
		free(gz.data);
		free(in.data);
	}
}

/* libdeflate inflates a one-member file whole, to zlib's bytes; anything
 * else it declines, for zlib to inflate or to refuse. */
static void test_gunzip_whole(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		blob gz = read_file(profiles[i]), in = inflated(profiles[i]), out;
		assert_int_equal(cv_gunzip_whole(gz.data, gz.len, 64 << 20, &out.data, &out.len), 0);
		assert_int_equal(out.len, in.len);
		assert_memory_equal(out.data, in.data, in.len);
		free(out.data);
		/* over -max_bytes */
		assert_int_equal(cv_gunzip_whole(gz.data, gz.len, in.len - 1, &out.data, &out.len),
				 CV_DECLINE);
		/* two members */
		uint8_t *two = malloc(2 * gz.len);
		memcpy(two, gz.data, gz.len);
		memcpy(two + gz.len, gz.data, gz.len);
		assert_int_equal(cv_gunzip_whole(two, 2 * gz.len, 64 << 20, &out.data, &out.len),
				 CV_DECLINE);
		/* a size trailer that lies, then a corrupt checksum */
		memcpy(two, gz.data, gz.len);
		two[gz.len - 4]++;
		assert_int_equal(cv_gunzip_whole(two, gz.len, 64 << 20, &out.data, &out.len),
				 CV_DECLINE);
		two[gz.len - 4]--;
		two[gz.len - 8]++;
		assert_int_equal(cv_gunzip_whole(two, gz.len, 64 << 20, &out.data, &out.len),
				 CV_DECLINE);
		assert_int_equal(cv_gunzip(two, gz.len, 64 << 20, &out.data, &out.len), CV_EFORMAT);
		free(two);
		free(gz.data);
		free(in.data);
	}
	/* A ratio no real profile has (a bomb's) is left to zlib's care. */
	size_t n = 4 << 20;
	uint8_t *zeros = calloc(1, n);
	blob bomb = gzip_member(zeros, n), out;
	assert_true(n / bomb.len > 32);
	assert_int_equal(cv_gunzip_whole(bomb.data, bomb.len, 64 << 20, &out.data, &out.len),
			 CV_DECLINE);
	free(zeros);
	free(bomb.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_followed_split_agrees),
		cmocka_unit_test(test_followed_split_declines),
		cmocka_unit_test(test_followed_split_abandoned),
		cmocka_unit_test(test_parse_outgrown_hint),
		cmocka_unit_test(test_halves_split_agrees),
		cmocka_unit_test(test_parse_in_halves),
		cmocka_unit_test(test_gunzip_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
