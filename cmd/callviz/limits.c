/* -max_bytes: a byte count with an optional binary suffix. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* K, M, G, T with an optional "B" or "iB", all powers of 1024 as in pprof's
 * memory units; a bare number is bytes. */
static int suffix_shift(const char *s, unsigned *shift)
{
	static const char units[] = "KMGT";
	*shift = 0;
	if (!*s || !strcasecmp(s, "b"))
		return 0;
	const char *u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -1;
	*shift = 10 * (unsigned)(u - units + 1);
	s++;
	return !*s || !strcasecmp(s, "b") || !strcasecmp(s, "ib") ? 0 : -1;
}

int cli_parse_size(const char *text, size_t *out)
{
	char *end;
	unsigned shift;
	if (!isdigit((unsigned char)*text))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || v == 0 || suffix_shift(end, &shift))
		return -1;
	if (v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)v << shift;
	return 0;
}
