#ifndef CV_PROFILE_FOLDED_H
#define CV_PROFILE_FOLDED_H

/* Collapsed stacks as input (folded.c); not a public API. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/profile.h"

/*
 * True if data looks like collapsed stacks rather than protobuf: text
 * without control characters whose first non-blank line ends in a count.
 */
bool cv_folded_detect(const uint8_t *data, size_t len);

/*
 * Build a profile from collapsed stacks ("root;caller;leaf count" lines):
 * one sample type, samples/count; one function per distinct frame name;
 * a frame suffixed "_[i]" is inlined into the frame before it, as
 * FlameGraph's collapsers mark them. Errors name the line.
 */
int cv_folded_parse(cv_profile **out, const uint8_t *data, size_t len);

#endif
