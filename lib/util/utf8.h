#ifndef CV_UTIL_UTF8_H
#define CV_UTIL_UTF8_H

/*
 * The one UTF-8 check behind every output another program reads (DOT,
 * SVG, HTML, folded stacks, callgrind): writers copy the valid sequences
 * and put CV_UTF8_REPLACEMENT for each byte that starts none.
 */

#include <stddef.h>

/* U+FFFD REPLACEMENT CHARACTER, encoded. */
#define CV_UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * Length (1 to 4) of the valid UTF-8 sequence starting at s, n bytes
 * left; 0 when s[0] starts none: a stray or truncated byte, an overlong
 * form, a surrogate, beyond U+10FFFF, or U+FFFE/U+FFFF, which XML forbids.
 */
size_t cv_utf8_len(const char *s, size_t n);

#endif
