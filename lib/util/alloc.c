#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cv_error_nomem(void)
{
	return cv_error_set(CV_ENOMEM, "out of memory");
}

void *cv_realloc_array(void *ptr, size_t n, size_t elem)
{
	if (elem && n > SIZE_MAX / elem) {
		cv_error_set(CV_ENOMEM, "out of memory: %zu elements of %zu bytes", n, elem);
		return NULL;
	}
	/* realloc(p, 0) may free p; an empty array keeps one byte instead. */
	size_t bytes = n * elem;
	void *p = realloc(ptr, bytes ? bytes : 1);
	if (!p)
		cv_error_nomem();
	return p;
}

size_t cv_grow_cap(size_t cap, size_t need, size_t min)
{
	if (need <= cap)
		return cap;
	size_t n = cap ? cap : (min ? min : 1);
	while (n < need) {
		if (n > SIZE_MAX / 2) {
			cv_error_set(CV_ENOMEM, "out of memory: an array of %zu elements", need);
			return 0;
		}
		n *= 2;
	}
	return n;
}

int cv_grow(void *arrp, size_t *cap, size_t need, size_t elem, size_t min)
{
	/* Room already: also for need 0, which cv_grow_cap answers with 0. */
	if (need <= *cap)
		return 0;
	size_t n = cv_grow_cap(*cap, need, min);
	if (!n)
		return CV_ENOMEM;
	if (n == *cap)
		return 0;
	/* *arrp is a T *, not a void *: read and written as bytes. */
	void *old, *p;
	memcpy(&old, arrp, sizeof(old));
	if (!(p = cv_realloc_array(old, n, elem)))
		return CV_ENOMEM;
	memcpy(arrp, &p, sizeof(p));
	*cap = n;
	return 0;
}
