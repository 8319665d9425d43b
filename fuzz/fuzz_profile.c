/*
 * The decoder and everything that runs on what it accepts: frame pruning,
 * sample filters, graph build, text trimming (-top) and visual trimming
 * with the DOT writer. Report options vary with a hash of the input, so
 * one corpus covers several flag combinations without changing the bytes
 * the decoder sees. Oracles beyond the sanitizers:
 *  - the DOT text must parse with graphviz's own parser (escaping);
 *  - the wire scan (lib/profile/scan.c) may refuse only what protobuf-c
 *    refuses too, so it never rejects a profile pprof would read;
 *  - the samples fast path (lib/profile/wire_samples.c) accepts only
 *    what protobuf-c accepts, and reads the same samples from it;
 *  - that split, run behind an inflater on another thread (stream.h),
 *    reads what it reads from the whole buffer, at any pace, and so does
 *    the split in halves on two threads;
 *  - libdeflate's whole-file inflate, where it does not decline, gives
 *    zlib's bytes;
 *  - the stack trie built in two halves on two threads (trie.c, split
 *    by groups or by index) gives the -top and DOT of the one-thread build.
 */
#include <graphviz/cgraph.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "profile.pb-c.h"
#include "profile/decode_internal.h"
#include "graph/trie.h"
#include "profile/limits.h"
#include "split_follow.h"

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

static bool same_samples(const cv_profile *a, const cv_profile *b)
{
	if (a->n_samples != b->n_samples || a->n_sample_types != b->n_sample_types)
		return false;
	for (size_t i = 0; i < a->n_samples; i++) {
		const cv_sample *x = &a->samples[i], *y = &b->samples[i];
		if (x->n_locs != y->n_locs || x->n_labels != y->n_labels ||
		    (x->n_locs && memcmp(x->locs, y->locs, x->n_locs * sizeof(*x->locs))) ||
		    memcmp(x->values, y->values, a->n_sample_types * sizeof(*x->values)))
			return false;
		for (size_t j = 0; j < x->n_labels; j++)
			if (strcmp(x->labels[j].key, y->labels[j].key) ||
			    (x->labels[j].str == NULL) != (y->labels[j].str == NULL) ||
			    (x->labels[j].str && strcmp(x->labels[j].str, y->labels[j].str)) ||
			    x->labels[j].num != y->labels[j].num ||
			    strcmp(x->labels[j].num_unit, y->labels[j].num_unit))
				return false;
	}
	return true;
}

/* The bytes come in steps of 1 to 4 KiB, by a hash of the input; the
 * split in halves reads the same. */
static void check_followed(const uint8_t *data, size_t size)
{
	split_result whole = split_whole(data, size);
	split_result followed = split_followed(data, size, 1 + hash(data, size) % 4096, 0);
	if (followed.rc != -1 && !split_same(&whole, &followed)) {
		fprintf(stderr, "split behind the inflater: %s\n",
			whole.rc != followed.rc ? "another verdict" : "other samples");
		abort();
	}
	/* and in halves on two threads, at whatever field reaches the middle */
	split_result halves = split_in_halves(data, size);
	if (halves.rc != -1 && !split_same(&whole, &halves)) {
		fprintf(stderr, "split in halves: %s\n",
			whole.rc != halves.rc ? "another verdict" : "other samples");
		abort();
	}
	split_result_free(&whole);
	split_result_free(&followed);
	split_result_free(&halves);
}

static void check_split(const uint8_t *data, size_t size)
{
	cv_scan scan;
	cv_scan_init(&scan, (size_t)1 << 30);
	/* The split in halves runs before any scan (decode.c): on anything,
	 * it must only ever decline. */
	if (cv_scan_feed(&scan, data, size)) {
		split_result halves = split_in_halves(data, size);
		split_result_free(&halves);
		return;
	}
	check_followed(data, size);
	cv_raw_samples raw;
	uint8_t *rest;
	size_t rest_len;
	if (cv_split_samples(data, size, &raw, &rest, &rest_len) != 0)
		return;
	cv_profile *fast = NULL, *whole = NULL;
	int rc_fast = cv_profile_unpack(&fast, rest, rest_len, rest, &raw, 1);
	cv_raw_samples_free(&raw);
	int rc_whole = cv_profile_unpack(&whole, data, size, NULL, NULL, 0);
	if (rc_fast == 0 && (rc_whole != 0 || !same_samples(fast, whole))) {
		fprintf(stderr, "samples fast path: %s\n",
			rc_whole ? "accepted what protobuf-c refuses" : "read other samples");
		abort();
	}
	cv_profile_free(fast);
	cv_profile_free(whole);
}

/* Big buffers are split in halves before any scan, then judged by their
 * rest (decode.c): forced on any input, the verdict, its message and the
 * samples must be those of one split after one scan. */
static void check_parse_in_halves(const uint8_t *data, size_t size,
				  const cv_profile_parse_options *po)
{
	size_t saved = cv_split_halves_min_bytes;
	cv_profile *one = NULL, *two = NULL;
	char said[512] = "";
	cv_split_halves_min_bytes = SIZE_MAX;
	int rc_one = cv_profile_parse_ext(&one, data, size, po);
	if (rc_one)
		snprintf(said, sizeof(said), "%s", cv_error_last());
	cv_split_halves_min_bytes = 1;
	int rc_two = cv_profile_parse_ext(&two, data, size, po);
	cv_split_halves_min_bytes = saved;
	if (rc_one != rc_two || (rc_one && strcmp(said, cv_error_last()) != 0) ||
	    (rc_one == 0 && !same_samples(one, two))) {
		fprintf(stderr, "parse in halves: %s\n",
			rc_one != rc_two ? "another verdict" : rc_one ? "another message"
								  : "other samples");
		abort();
	}
	cv_profile_free(one);
	cv_profile_free(two);
}

/* Most seeds are gzipped: their inflated bytes are what the split reads.
 * What libdeflate inflates whole, zlib must inflate to the same bytes. */
static void check_fast_path(const uint8_t *data, size_t size)
{
	uint8_t *inflated, *whole;
	size_t len, whole_len;
	if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) {
		check_split(data, size);
		return;
	}
	bool by_zlib = cv_gunzip(data, size, 64 << 20, &inflated, &len) == 0;
	if (cv_gunzip_whole(data, size, 64 << 20, &whole, &whole_len) == 0) {
		if (!by_zlib || whole_len != len || memcmp(whole, inflated, len)) {
			fprintf(stderr, "libdeflate inflates what zlib %s\n",
				by_zlib ? "inflates otherwise" : "refuses");
			abort();
		}
		free(whole);
	}
	if (by_zlib) {
		check_split(inflated, len);
		free(inflated);
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
		.focus = res[(h >> 20) % 6],
		.ignore = res[(h >> 23) % 6],
		.hide = res[(h >> 26) % 6],
	};
	if (h >> 29 & 1)
		fo.show = res[(h >> 30) % 6];
	cv_filter_result fr;
	cv_filter_samples(p, &fo, &fr);
}

/* -top then DOT, with the trie built as `tuning` says; NULL if either fails. */
static char *reports(const cv_profile *p, const cv_report_options *ro, cv_trie_tuning tuning)
{
	cv_trie_tuning saved = cv_trie_tune;
	cv_trie_tune = tuning;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	int rc = cv_report_top(f, p, ro);
	if (rc == 0)
		rc = cv_report_dot(f, p, ro);
	fclose(f);
	cv_trie_tune = saved;
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

static void check_split_trie(const cv_profile *p, const cv_report_options *ro, uint32_t h)
{
	char *one = reports(p, ro, (cv_trie_tuning){SIZE_MAX, 60});
	char *two = reports(p, ro, (cv_trie_tuning){1, h >> 3 & 1 ? 60 : 0});
	if (one && two && strcmp(one, two) != 0)
		abort();
	free(one);
	free(two);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_scan(data, size);
	check_fast_path(data, size);
	cv_profile_parse_options po;
	cv_profile_parse_options_init(&po);
	po.max_bytes = 64 << 20;  /* bombs are the scan's job, not this one's */
	check_parse_in_halves(data, size, &po);
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
	check_split_trie(p, &ro, h);
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
