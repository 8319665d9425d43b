/*
 * The decoder and everything that runs on what it accepts: frame pruning,
 * sample filters, graph build, text trimming (-top) and visual trimming
 * with the DOT writer. Report options vary with a hash of the input, so
 * one corpus covers several flag combinations without changing the bytes
 * the decoder sees. Two oracles beyond the sanitizers:
 *  - the DOT text must parse with graphviz's own parser (escaping);
 *  - the wire scan (lib/profile/scan.c) may refuse only what protobuf-c
 *    refuses too, so it never rejects a profile pprof would read.
 */
#include <graphviz/cgraph.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "profile.pb-c.h"
#include "profile/limits.h"

static FILE *devnull;

static int quiet(char *msg)
{
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	agseterrf(quiet);
	return 0;
}

static uint32_t hash(const uint8_t *d, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

static void check_scan(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return;  /* the scan of inflated data is the same code */
	cv_scan s;
	cv_scan_init(&s, (size_t)1 << 30);
	if (cv_scan_feed(&s, data, size) == 0 || strstr(cv_error_last(), "limit"))
		return;
	Perftools__Profiles__Profile *pb =
		perftools__profiles__profile__unpack(NULL, size, data);
	if (pb) {
		fprintf(stderr, "scan refused what protobuf-c accepts: %s\n", cv_error_last());
		abort();
	}
}

static void check_dot(const char *dot)
{
	Agraph_t *g = agmemread(dot);
	if (!g) {
		fprintf(stderr, "DOT output does not parse:\n%s\n", dot);
		abort();
	}
	agclose(g);
	/* The lexer keeps text after the first graph; drain it. */
	while ((g = agmemread("")) != NULL)
		agclose(g);
}

/* Report options drawn from h: granularity, inlines, trimming, sort. */
static void vary(cv_report_options *ro, const cv_profile *p, uint32_t h)
{
	static const int counts[] = {-1, 0, 3, 80};
	static const double fractions[] = {0.005, 0, 0.5, 1};
	ro->sample_index = (int)((h >> 8) % p->n_sample_types);
	ro->granularity = (cv_granularity)(h % 5);
	ro->no_inlines = h >> 3 & 1;
	ro->node_count = counts[h >> 4 & 3];
	ro->node_fraction = fractions[h >> 6 & 3];
	ro->edge_fraction = fractions[h >> 16 & 3];
	ro->cum_sort = h >> 18 & 1;
}

static void filter(cv_profile *p, uint32_t h)
{
	static const char *const res[] = {NULL, "main", "^runtime\\.", "a|b|c", ".", "x$"};
	cv_filter_options fo = {
		res[(h >> 20) % 6], res[(h >> 23) % 6], res[(h >> 26) % 6], NULL,
	};
	if (h >> 29 & 1)
		fo.show = res[(h >> 30) % 6];
	cv_filter_result fr;
	cv_filter_samples(p, &fo, &fr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_scan(data, size);
	cv_profile_parse_options po;
	cv_profile_parse_options_init(&po);
	po.max_bytes = 64 << 20;  /* bombs are the scan's job, not this one's */
	cv_profile *p;
	if (cv_profile_parse_ext(&p, data, size, &po) != 0)
		return 0;
	uint32_t h = hash(data, size);
	cv_profile_prune_frames(p);
	if (p->n_sample_types == 0) {
		cv_profile_free(p);
		return 0;
	}
	cv_report_options ro;
	cv_report_options_init(&ro);
	vary(&ro, p, h);
	ro.total = cv_report_total(p, ro.sample_index);
	if (h >> 19 & 1)
		filter(p, h);
	cv_report_top(devnull, p, &ro);
	char *dot = NULL;
	size_t len;
	if (cv_report_dot_string(&dot, &len, p, &ro) == 0) {
		if (strlen(dot) != len)
			abort();
		check_dot(dot);
	}
	free(dot);
	cv_profile_free(p);
	return 0;
}
