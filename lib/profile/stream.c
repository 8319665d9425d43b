#include <stdlib.h>

#include "profile/stream.h"

void cv_stream_init(cv_stream *s)
{
	*s = (cv_stream){0};
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
}

void cv_stream_destroy(cv_stream *s)
{
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	free(s->stale);
	s->stale = NULL;
}

void cv_stream_publish(cv_stream *s, const uint8_t *data, size_t cap, size_t avail)
{
	pthread_mutex_lock(&s->lock);
	if (!s->abandoned) {
		s->data = data;
		s->cap = cap;
		s->avail = avail;
	}
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

void cv_stream_finish(cv_stream *s)
{
	pthread_mutex_lock(&s->lock);
	s->done = true;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

void cv_stream_abandon(cv_stream *s, void *old_data)
{
	pthread_mutex_lock(&s->lock);
	/* After the first move the reader never sees a newer buffer. */
	if (s->abandoned)
		free(old_data);
	else
		s->stale = old_data;
	s->abandoned = true;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

size_t cv_stream_wait(cv_stream *s, size_t want)
{
	pthread_mutex_lock(&s->lock);
	while (!s->abandoned && !s->done && s->avail < want)
		pthread_cond_wait(&s->more, &s->lock);
	size_t got = s->abandoned ? SIZE_MAX : s->avail;
	pthread_mutex_unlock(&s->lock);
	return got;
}

const uint8_t *cv_stream_data(cv_stream *s, size_t *cap)
{
	pthread_mutex_lock(&s->lock);
	const uint8_t *data = s->data;
	*cap = s->cap;
	pthread_mutex_unlock(&s->lock);
	return data;
}
