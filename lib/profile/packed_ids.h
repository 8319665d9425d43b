#ifndef CV_PROFILE_PACKED_IDS_H
#define CV_PROFILE_PACKED_IDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A sample's location ids are a packed run of varints, nearly all one or
 * two bytes long (profilers number locations from 1, and few profiles have
 * over 16383). Read one at a time, each costs a few dozen instructions
 * and a branch on its length that no predictor learns; this decodes them
 * eight bytes at a time where the processor can (x86-64 with SSSE3).
 *
 * From *p up to end, into out: ids of one or two bytes only, until the
 * run ends or one of them is 0, longer, or cut off at `end` (these are
 * left to the caller's one-at-a-time decoder, which accepts or refuses
 * them). Reads eight bytes at a time, never past `readable` (>= end);
 * writes eight ids at a time, never past out + room. Returns how many
 * ids it wrote, *p moved past them; 0 where the processor lacks SSSE3.
 */
size_t cv_packed_ids(const uint8_t **p, const uint8_t *end, const uint8_t *readable,
		     uint32_t *out, size_t room);

#endif
