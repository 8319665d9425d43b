#ifndef CV_UTIL_ARENA_H
#define CV_UTIL_ARENA_H

#include <stddef.h>
#include <stdint.h>

/*
 * A bump allocator: many small allocations, freed all at once. A decoded
 * profile and a graph each own one, so no per-sample malloc/free happens
 * on the hot paths.
 */
typedef struct cv_arena cv_arena;

cv_arena *cv_arena_new(void);
void cv_arena_free(cv_arena *a);

/* Zeroed, 16-byte aligned memory; NULL only when out of memory. */
void *cv_arena_alloc(cv_arena *a, size_t size);

/* cv_arena_alloc(a, n * size) with overflow checking. */
void *cv_arena_calloc(cv_arena *a, size_t n, size_t size);

/*
 * Hand a malloc'ed block over to the arena, which frees it with the rest.
 * For big arrays built elsewhere (grown by realloc) that would cost a copy
 * to move in. Returns 0, or CV_ENOMEM with cv_error_last() set (block not
 * taken).
 */
int cv_arena_adopt(cv_arena *a, void *mem);

/* Copy len bytes and add a NUL. */
char *cv_arena_strndup(cv_arena *a, const char *s, size_t len);
char *cv_arena_strdup(cv_arena *a, const char *s);

/* printf into the arena. */
char *cv_arena_printf(cv_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Total bytes handed out, for the benchmarks. */
size_t cv_arena_used(const cv_arena *a);

#endif
