#ifndef CV_GRAPH_CLASS_COUNT_H
#define CV_GRAPH_CLASS_COUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "callviz/graph.h"
#include "callviz/hotspot.h"

/*
 * Samples counted per class of locations while a trimmed graph is built:
 * for class c (bit c of a location's mask), the samples whose stack holds
 * a location of the class, each counted once, as cv_hotspot_shares counts
 * them. The build's first walk, over the stack trie, does it at little
 * cost: a trie node whose location brings a class its path did not have
 * adds its whole subtree, and no frame of any sample is read again.
 *
 * Only the samples the trie holds are counted there: those with a value
 * (at the build's sample index; -mean is not for this). The caller adds
 * the zero-valued ones, which only add to the sample counts.
 */
typedef struct cv_class_count {
	/* The masks by location index; called once, right before the walk,
	 * so that they can be made meanwhile. NULL: give up (no memory). */
	const uint64_t *(*masks)(void *ctx);
	void *ctx;
	size_t n;               /* classes: bits 0 to n - 1 */
	cv_hotspot_share *sums; /* n of them, added to */
	bool counted;           /* the build counted them */
} cv_class_count;

/* Will a trimmed build of p with these options walk a trie first (and so
 * count classes)? Not for call trees, nor tags that need sample order. */
bool cv_graph_walks_trie_first(const cv_profile *p, const cv_graph_options *o);

/* cv_graph_build_trimmed, counting classes on the way when it can. */
int cv_graph_build_trimmed_counting(cv_graph **out, cv_trim_result *res,
				    const cv_profile *p, const cv_graph_options *gopts,
				    const cv_trim_options *topts, cv_class_count *cc);

#endif
