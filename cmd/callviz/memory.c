/*
 * The allocator policy of a one-shot run on a big profile. By default
 * glibc maps each big block on its own and unmaps it when freed, gives
 * each thread an arena of its own (also mapped), and trims the heap as it
 * shrinks. A run over hundreds of megabytes that frees and allocates as
 * it goes from stage to stage then pays for the same memory again and
 * again: page faults, and TLB shootdowns between its two threads. A
 * process that exits when the report is out has no use for giving memory
 * back: this keeps it for reuse. Measured on 10^6 samples: ~70 ms of
 * ~820; below BIG_INPUT it changes nothing worth the bigger footprint.
 */
#include <malloc.h>
#include <sys/stat.h>

#include "cli.h"

#define BIG_INPUT (8u << 20)

void cli_tune_memory(const cli_options *o)
{
	unsigned long long bytes = 0;
	for (int i = 0; i < o->n_sources; i++) {
		struct stat st;
		if (stat(o->sources[i], &st) == 0 && S_ISREG(st.st_mode))
			bytes += (unsigned long long)st.st_size;
	}
	if (bytes < BIG_INPUT)
		return;
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
