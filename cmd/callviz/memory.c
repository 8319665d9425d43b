/*
 * The allocator policy of a one-shot run. By default glibc maps each big
 * block on its own and unmaps it when freed, gives each thread an arena
 * of its own (also mapped), and trims the heap as it shrinks. A run that
 * frees and allocates as it goes from stage to stage then pays for the
 * same memory again and again: page faults, and TLB shootdowns between
 * its two threads. A process that exits when the report is out has no
 * use for giving memory back: this keeps it for reuse. Measured on 10^6
 * samples: ~70 ms of ~820.
 *
 * What is left is the first touch of each page. A run on 10^5 samples
 * faults ~21,000 times, a third of its CPU time. So for mid-sized inputs
 * the heap is grown once, ahead, by about what the run will need, and
 * that range is asked to be backed by transparent huge pages (Debian's
 * kernels give them only on request): one fault per 2 MiB instead of per
 * 4 KiB. 10^5 samples: ~1,000 faults, ~120 ms -> ~95 ms.
 *
 * Big inputs don't get it. Their big blocks would then come out of that
 * heap rather than be mapped each on its own, and a heap does not give
 * a freed block in its middle back: the peak RSS at 10^6 samples went
 * from 423 to 544 MB, for ~100 ms of ~700.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
/* Below this, faults cost too little to be worth 2 MiB pages. */
#define HUGE_PAGES_FROM (256u << 10)
/* From here on, peak RSS matters more; see above. */
#define HUGE_PAGES_BELOW (8u << 20)
/* Peak heap per byte of gzipped input is 20-35 on the bench profiles. */
#define HEAP_PER_INPUT_BYTE 48

/* The largest source file: several are decoded and merged one after
 * another, never all held at once. */
static unsigned long long input_bytes(const cli_options *o)
{
	unsigned long long bytes = 0;
	for (int i = 0; i < o->n_sources; i++) {
		struct stat st;
		if (stat(o->sources[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    (unsigned long long)st.st_size > bytes)
			bytes = (unsigned long long)st.st_size;
	}
	return bytes;
}

/*
 * Grow the heap by `ahead` bytes now, and ask for huge pages on it. The
 * range must be asked for once it is mapped: a later growth of the heap
 * is a new mapping, without the request. Nothing is touched here.
 */
static void grow_heap_on_huge_pages(size_t ahead)
{
	mallopt(M_TOP_PAD, (int)ahead);
	void *probe = malloc(1 << 20);	/* more than the heap has: grows it */
	mallopt(M_TOP_PAD, 0);
	if (!probe)
		return;
	uintptr_t from = ((uintptr_t)probe + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t to = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
	free(probe);
	/* Only if the block came from the heap just grown (not under ASan's
	 * allocator, say). */
	if (to > from && to - from <= ahead)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
}

void cli_tune_memory(const cli_options *o)
{
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	unsigned long long bytes = input_bytes(o);
	if (bytes >= HUGE_PAGES_FROM && bytes < HUGE_PAGES_BELOW)
		grow_heap_on_huge_pages((size_t)bytes * HEAP_PER_INPUT_BYTE);
}
