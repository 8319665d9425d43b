#ifndef CV_TESTS_SPLIT_FOLLOW_H
#define CV_TESTS_SPLIT_FOLLOW_H

/*
 * For the unit tests and the fuzzer: the samples split of
 * lib/profile/wire_samples.c run behind a stand-in inflater on another
 * thread (lib/profile/stream.h), or in halves on two threads, to compare
 * with the split over the whole buffer. Header-only; link with
 * callviz_static and pthreads.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/decode_internal.h"
#include "profile/stream.h"

/* Publishes `data` `step` bytes at a time; abandons the buffer after
 * `abandon_at` bytes when that is not 0. */
typedef struct split_feeder {
	cv_stream *stream;
	uint8_t *copy;
	const uint8_t *data;
	size_t len, step, abandon_at;
} split_feeder;

static void *split_feed(void *arg)
{
	split_feeder *f = arg;
	size_t cap = f->len + 7;
	f->copy = calloc(1, cap);
	if (f->copy)
		cv_stream_publish(f->stream, f->copy, cap, 0);
	for (size_t at = 0; f->copy && at < f->len;) {
		size_t n = f->len - at < f->step ? f->len - at : f->step;
		memcpy(f->copy + at, f->data + at, n);
		at += n;
		if (f->abandon_at && at >= f->abandon_at) {
			cv_stream_abandon(f->stream, f->copy);
			f->copy = NULL;
			break;
		}
		cv_stream_publish(f->stream, f->copy, cap, at);
	}
	cv_stream_finish(f->stream);
	return NULL;
}

typedef struct split_result {
	int rc;
	cv_raw_samples raw;
	uint8_t *rest;
	size_t rest_len;
} split_result;

static inline split_result split_whole(const uint8_t *data, size_t len)
{
	split_result r = {0};
	r.rc = cv_split_samples(data, len, &r.raw, &r.rest, &r.rest_len);
	return r;
}

/* rc is -1 when no thread could be started. */
static inline split_result split_followed(const uint8_t *data, size_t len, size_t step,
					  size_t abandon_at)
{
	cv_stream stream;
	cv_stream_init(&stream);
	split_feeder f = {&stream, NULL, data, len, step ? step : 1, abandon_at};
	pthread_t thread;
	split_result r = {0};
	if (pthread_create(&thread, NULL, split_feed, &f)) {
		cv_stream_destroy(&stream);
		r.rc = -1;
		return r;
	}
	r.rc = cv_split_samples_followed(&stream, &r.raw, &r.rest, &r.rest_len);
	pthread_join(thread, NULL);
	cv_stream_destroy(&stream);
	free(f.copy);
	return r;
}

/* Part b's array after part a's, in a new one (n: the entries of each). */
static inline void *split_join(const void *a, size_t na, const void *b, size_t nb, size_t size)
{
	uint8_t *j = malloc((na + nb) * size + 1);
	if (j && na)
		memcpy(j, a, na * size);
	if (j && nb)
		memcpy(j + na * size, b, nb * size);
	return j;
}

/*
 * The split in halves on two threads (cv_split_samples_halves) at the
 * field that reaches the middle, as decode.c does for a big buffer, its
 * two parts joined into one to compare; rc is -1 when there is no middle.
 */
static inline split_result split_in_halves(const uint8_t *data, size_t len)
{
	split_result r = {.rc = -1};
	size_t saved = cv_split_halves_min_bytes;
	cv_split_halves_min_bytes = 1;
	size_t mid = cv_split_middle(data, len);
	cv_split_halves_min_bytes = saved;
	cv_raw_samples p[2] = {{0}};
	if (!mid)
		return r;
	r.rc = cv_split_samples_halves(data, len, mid, p, &r.rest, &r.rest_len);
	if (r.rc)
		return r;
	cv_raw_samples *j = &r.raw;
	j->n = p[0].n + p[1].n;
	j->n_locs = p[0].n_locs + p[1].n_locs;
	j->n_values = p[0].n_values + p[1].n_values;
	j->n_labels = p[0].n_labels + p[1].n_labels;
	j->samples = split_join(p[0].samples, p[0].n, p[1].samples, p[1].n, sizeof(*j->samples));
	j->locs = split_join(p[0].locs, p[0].n_locs, p[1].locs, p[1].n_locs, sizeof(*j->locs));
	j->values = split_join(p[0].values, p[0].n_values, p[1].values, p[1].n_values,
			       sizeof(*j->values));
	j->labels = split_join(p[0].labels, p[0].n_labels, p[1].labels, p[1].n_labels,
			       sizeof(*j->labels));
	for (int k = 0; k < 2; k++)
		cv_raw_samples_free(&p[k]);
	return r;
}

static inline bool same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* Same verdict, and when accepted the same samples and the same rest. */
static inline bool split_same(const split_result *a, const split_result *b)
{
	if (a->rc != b->rc)
		return false;
	if (a->rc)
		return true;
	const cv_raw_samples *x = &a->raw, *y = &b->raw;
	return x->n == y->n && x->n_locs == y->n_locs && x->n_values == y->n_values &&
	       x->n_labels == y->n_labels && a->rest_len == b->rest_len &&
	       same_bytes(x->samples, y->samples, x->n * sizeof(*x->samples)) &&
	       same_bytes(x->locs, y->locs, x->n_locs * sizeof(*x->locs)) &&
	       same_bytes(x->values, y->values, x->n_values * sizeof(*x->values)) &&
	       same_bytes(x->labels, y->labels, x->n_labels * sizeof(*x->labels)) &&
	       same_bytes(a->rest, b->rest, a->rest_len);
}

static inline void split_result_free(split_result *r)
{
	if (r->rc == 0) {
		cv_raw_samples_free(&r->raw);
		free(r->rest);
	}
	r->rc = -1;
}

#endif
