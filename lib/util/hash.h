#ifndef CV_UTIL_HASH_H
#define CV_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The hashes of lib/: FNV-1a for strings and byte runs, one combining step
 * for adding integers to a running hash, and one mixer for a 64-bit key
 * (two 32-bit ids side by side). All inline: several sit on hot paths
 * (bytemap lookups, the trie's child table, the edge table).
 *
 * Values feed open-addressing tables and flame graph colours, so a change
 * here changes table order and colours: keep them as they are.
 */

#define CV_FNV_OFFSET 0xcbf29ce484222325ULL
#define CV_FNV_PRIME 0x100000001b3ULL

/* h with one more byte, FNV-1a. */
static inline uint64_t cv_fnv1a_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * CV_FNV_PRIME;
}

/* h with the bytes [p, p + len), FNV-1a. */
static inline uint64_t cv_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		h = cv_fnv1a_byte(h, b[i]);
	return h;
}

/* h with the bytes of the string s, up to its NUL, FNV-1a. */
static inline uint64_t cv_fnv1a_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = cv_fnv1a_byte(h, (unsigned char)*s);
	return h;
}

/* h with one more integer: boost's hash_combine step, then an FNV multiply. */
static inline uint64_t cv_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * CV_FNV_PRIME;
}

/* A 64-bit key spread over all bits: half of MurmurHash3's finalizer. */
static inline uint64_t cv_hash_u64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	return k ^ (k >> 33);
}

/* Two 32-bit ids as one key. */
static inline uint64_t cv_hash_pair32(uint32_t hi, uint32_t lo)
{
	return cv_hash_u64((uint64_t)hi << 32 | lo);
}

#endif
