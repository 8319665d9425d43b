/*
 * cv_packed_ids (lib/profile/packed_ids.c) against a one-at-a-time
 * decoder, on random runs of location ids of every length, with zeros,
 * cut-off ends, and the bytes it may read and ids it may write bounded
 * as tightly as the split bounds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "profile/packed_ids.h"

/* Can this machine take the fast path (else cv_packed_ids decodes none)? */
static bool fast_path(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	return __builtin_cpu_supports("ssse3");
#else
	return false;
#endif
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

/* An id of the length the mix asks for: mostly one or two bytes. */
static uint64_t random_id(int mix)
{
	uint32_t r = rnd(100);
	if (mix > 0 && r < 2)
		return 0;
	if (mix > 1 && r < 6)
		return 16384 + rnd(1u << 20);
	return r < 50 ? 1 + rnd(127) : 128 + rnd(16384 - 128);
}

/* What a one-at-a-time reader takes before the first id the fast path
 * must leave alone: its count, and the bytes they take. */
static size_t reference(const uint8_t *p, const uint8_t *end, uint32_t *ids, size_t *bytes)
{
	size_t n = 0;
	const uint8_t *start = p;
	while (p < end) {
		uint32_t v = p[0] & 0x7f;
		size_t len = 1;
		if (p[0] & 0x80) {
			if (end - p < 2 || (p[1] & 0x80))
				break;
			v |= (uint32_t)(p[1] & 0x7f) << 7;
			len = 2;
		}
		if (v == 0)
			break;
		ids[n++] = v;
		p += len;
	}
	*bytes = (size_t)(p - start);
	return n;
}

/* One random run, decoded with `slack` readable bytes past its end and
 * room for `extra` ids more than it holds. */
static void check_run(int mix, size_t n_ids, bool cut, size_t slack, size_t extra)
{
	uint8_t *run = malloc(n_ids * 10 + 16);
	size_t len = 0;
	assert_non_null(run);
	for (size_t i = 0; i < n_ids; i++)
		len += put_varint(run + len, random_id(mix));
	if (cut && len > 0 && n_ids > 0)
		run[len - 1] |= 0x80;  /* the last id goes on past the end */
	/* The bytes readable end exactly at the block's end, for ASan. */
	uint8_t *buf = malloc(len + slack + 1);
	assert_non_null(buf);
	memcpy(buf, run, len);
	memset(buf + len, 0x81, slack);
	uint32_t want[512];
	size_t want_bytes, n_want = reference(buf, buf + len, want, &want_bytes);

	size_t room = n_want + extra;
	uint32_t *out = malloc((room + 8) * sizeof(*out));
	assert_non_null(out);
	for (size_t i = 0; i < room + 8; i++)
		out[i] = 0xdeadbeef;
	const uint8_t *p = buf;
	size_t got = cv_packed_ids(&p, buf + len, buf + len + slack, out, room);

	/* A prefix of what the reference reads, and the bytes of just that. */
	assert_true(got <= n_want);
	assert_memory_equal(out, want, got * sizeof(*out));
	size_t bytes = 0;
	for (size_t i = 0; i < got; i++)
		bytes += want[i] < 128 ? 1 : 2;
	assert_int_equal((size_t)(p - buf), bytes);
	/* Nothing written past the room it was given. */
	for (size_t i = room; i < room + 8; i++)
		assert_int_equal(out[i], 0xdeadbeef);
	/* With eight bytes to read past the run and room for eight more,
	 * the fast path stops only where the reference does. */
	if (fast_path() && slack >= 8 && extra >= 8)
		assert_int_equal(got, n_want);
	if (!fast_path())
		assert_int_equal(got, 0);
	free(out);
	free(buf);
	free(run);
}

static void test_runs_of_short_ids(void **state)
{
	(void)state;
	for (int i = 0; i < 4000; i++)
		check_run(0, rnd(120), false, 8 + rnd(8), 8 + rnd(8));
}

static void test_zeros_long_ids_and_cut_ends(void **state)
{
	(void)state;
	for (int i = 0; i < 4000; i++)
		check_run(1 + (int)rnd(2), rnd(120), rnd(2), 8 + rnd(8), 8 + rnd(8));
}

/* Little to read past the run, or little room: it stops early, never
 * reading or writing too far (ASan watches the reads). */
static void test_tight_bounds(void **state)
{
	(void)state;
	for (int i = 0; i < 4000; i++)
		check_run((int)rnd(3), rnd(60), rnd(2), rnd(9), rnd(9));
}

/* Every pattern of eight bytes' high bits, each byte's value random. */
static void test_every_block_pattern(void **state)
{
	(void)state;
	for (unsigned m = 0; m < 256; m++) {
		uint8_t buf[16];
		for (int i = 0; i < 16; i++)
			buf[i] = (uint8_t)((i < 8 && (m >> i & 1) ? 0x80 : 0) | (1 + rnd(127)));
		uint32_t want[16], out[16 + 8];
		size_t want_bytes, n_want = reference(buf, buf + 8, want, &want_bytes);
		const uint8_t *p = buf;
		size_t got = cv_packed_ids(&p, buf + 8, buf + 16, out, 16);
		assert_true(got <= n_want);
		assert_memory_equal(out, want, got * sizeof(*out));
		if (fast_path())
			assert_int_equal(got, n_want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_of_short_ids),
		cmocka_unit_test(test_zeros_long_ids_and_cut_ends),
		cmocka_unit_test(test_tight_bounds),
		cmocka_unit_test(test_every_block_pattern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
