#ifndef CV_UTIL_TASK_H
#define CV_UTIL_TASK_H

#include <pthread.h>
#include <stdbool.h>

/*
 * A function run on a second thread while the caller goes on, for the few
 * steps that split in two: decode.c splits the samples off while zlib
 * inflates, reports make the hotspot masks (or count the shares) while
 * the graph is built, and big profiles scan, split, resolve, compact,
 * build and walk their samples in halves.
 * When no thread can be started, or cv_set_threads(1) asked for none,
 * the function runs in cv_task_join instead, on the caller's thread: slower, never wrong, so callers must
 * not wait on a task before joining it.
 */
typedef struct cv_task {
	pthread_t thread;
	bool on_thread;
	void (*fn)(void *);
	void *arg;
} cv_task;

void cv_task_start(cv_task *t, void (*fn)(void *), void *arg);
void cv_task_join(cv_task *t);

/* fn(here) on the caller's thread while fn(there) runs on another, both
 * done on return; with there NULL, only fn(here). */
void cv_task_run_pair(void (*fn)(void *), void *here, void *there);

#endif
