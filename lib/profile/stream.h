#ifndef CV_PROFILE_STREAM_H
#define CV_PROFILE_STREAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Bytes being inflated into one buffer on one thread, read behind the
 * inflater on another (decode.c runs the samples split that way), so that
 * inflating and splitting a big profile take the longer of the two times
 * rather than the sum.
 *
 * The buffer never moves while it is followed: if the inflater outgrows it
 * (the gzip size hint was wrong), it copies into a new one, keeps the old
 * one for the caller to free after the reader is done, and tells the
 * reader it was abandoned.
 */
typedef struct cv_stream {
	pthread_mutex_t lock;
	pthread_cond_t more;
	const uint8_t *data;    /* the buffer, fixed from the first publish */
	size_t cap;             /* its size: nothing inflated into it is longer */
	size_t avail;           /* bytes of it final so far */
	bool done;              /* avail is all there will be */
	bool abandoned;         /* the buffer moved: stop reading, give up */
	void *stale;            /* the abandoned buffer, freed by cv_stream_destroy */
} cv_stream;

void cv_stream_init(cv_stream *s);
void cv_stream_destroy(cv_stream *s);

/* Inflater side: the first `avail` bytes of data are final. */
void cv_stream_publish(cv_stream *s, const uint8_t *data, size_t cap, size_t avail);
/* Inflater side, always called last (success or not): no more bytes. */
void cv_stream_finish(cv_stream *s);
/* Inflater side: data is about to move (or was given up on); old_data
 * stays readable until cv_stream_destroy frees it. */
void cv_stream_abandon(cv_stream *s, void *old_data);

/*
 * Reader side: wait until `want` bytes are final or no more will come.
 * Returns how many are final, or SIZE_MAX once the buffer was abandoned.
 */
size_t cv_stream_wait(cv_stream *s, size_t want);
/* Reader side: the buffer and its size, once the inflater published them
 * (NULL before). */
const uint8_t *cv_stream_data(cv_stream *s, size_t *cap);

#endif
