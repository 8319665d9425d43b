/*
 * Location ids decoded eight bytes at a time (packed_ids.h).
 *
 * The high bits of eight bytes say where each varint ends; a table by
 * those eight bits gives, for the one- and two-byte varints that lie
 * wholly in them, a shuffle that puts each one's bytes in a 16-bit lane
 * (its second byte, or a zero, on top), how many there are and how many
 * bytes they take. Two masks and a shift then join each lane's two 7-bit
 * halves. The table stops at the first varint it cannot take whole: one
 * of three or more bytes, or one that goes on past the eight bytes or
 * past the run, which the next block (or the caller) starts with.
 */
#include "profile/packed_ids.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <pthread.h>
#include <stdbool.h>
#include <tmmintrin.h>

typedef struct block_plan {
	__m128i shuffle;        /* bytes to lanes; 0x80: a zero byte */
	uint8_t start[8];       /* the block's byte where each varint starts */
	uint8_t ids;            /* whole varints in the eight bytes: 0-8 */
	uint8_t bytes;          /* the bytes they take */
	uint16_t lanes;         /* movemask bits of their 16-bit lanes */
} block_plan;

static block_plan plans[256];
static pthread_once_t plans_once = PTHREAD_ONCE_INIT;
static bool have_ssse3;

/* Bit i of `more` set: byte i of the block does not end its varint. */
static void plan_block(block_plan *b, unsigned more)
{
	uint8_t lane_bytes[16];
	unsigned pos = 0, n = 0;
	for (int i = 0; i < 16; i++)
		lane_bytes[i] = 0x80;
	while (pos < 8) {
		bool long_one = more >> pos & 1;
		if (long_one && (pos + 1 == 8 || (more >> (pos + 1) & 1)))
			break;
		lane_bytes[2 * n] = (uint8_t)pos;
		b->start[n] = (uint8_t)pos;
		if (long_one)
			lane_bytes[2 * n + 1] = (uint8_t)(pos + 1);
		pos += long_one ? 2 : 1;
		n++;
	}
	b->shuffle = _mm_loadu_si128((const __m128i *)lane_bytes);
	b->ids = (uint8_t)n;
	b->bytes = (uint8_t)pos;
	b->lanes = (uint16_t)((1u << (2 * n)) - 1);
}

static void make_plans(void)
{
	have_ssse3 = __builtin_cpu_supports("ssse3");
	for (unsigned m = 0; m < 256; m++)
		plan_block(&plans[m], m);
}

__attribute__((target("ssse3")))
static size_t decode_blocks(const uint8_t **pp, const uint8_t *end, const uint8_t *readable,
			    uint32_t *out, size_t room)
{
	const __m128i low7 = _mm_set1_epi16(0x007f), high7 = _mm_set1_epi16(0x3f80);
	const __m128i zero = _mm_setzero_si128();
	const uint8_t *p = *pp;
	size_t n = 0;
	if (room < 8 || readable - p < 8)
		return 0;
	/* Blocks start before both the run's end and the last eight bytes
	 * readable, and leave room for eight ids. */
	const uint8_t *last = end < readable - 7 ? end : readable - 7;
	size_t most = room - 8;
	while (p < last && n <= most) {
		__m128i bytes = _mm_loadl_epi64((const __m128i *)p);
		unsigned more = (unsigned)_mm_movemask_epi8(bytes) & 0xff;
		size_t left = (size_t)(end - p);
		/* Bytes past the run look like the middle of a long varint:
		 * the plan stops before them. */
		if (left < 8)
			more |= 0xffu << left & 0xff;
		const block_plan *b = &plans[more];
		__m128i lanes = _mm_shuffle_epi8(bytes, b->shuffle);
		__m128i ids = _mm_or_si128(_mm_and_si128(lanes, low7),
					   _mm_and_si128(_mm_srli_epi16(lanes, 1), high7));
		_mm_storeu_si128((__m128i *)(out + n), _mm_unpacklo_epi16(ids, zero));
		_mm_storeu_si128((__m128i *)(out + n + 4), _mm_unpackhi_epi16(ids, zero));
		/* An id of 0 is the caller's to refuse: the ones before it stand. */
		unsigned zeros = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(ids, zero)) & b->lanes;
		if (zeros) {
			unsigned k = (unsigned)__builtin_ctz(zeros) / 2;
			n += k;
			p += b->start[k];
			break;
		}
		if (b->ids == 0)
			break;
		n += b->ids;
		p += b->bytes;
	}
	*pp = p;
	return n;
}

size_t cv_packed_ids(const uint8_t **p, const uint8_t *end, const uint8_t *readable,
		     uint32_t *out, size_t room)
{
	pthread_once(&plans_once, make_plans);
	return have_ssse3 ? decode_blocks(p, end, readable, out, room) : 0;
}

#else

size_t cv_packed_ids(const uint8_t **p, const uint8_t *end, const uint8_t *readable,
		     uint32_t *out, size_t room)
{
	(void)p, (void)end, (void)readable, (void)out, (void)room;
	return 0;
}

#endif
