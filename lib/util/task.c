#include <stdatomic.h>

#include "callviz/callviz.h"
#include "util/task.h"

/* cv_set_threads' bound: 0 for the default, else 1 or more. */
static atomic_int max_threads;

int cv_set_threads(int n)
{
	if (n < 0)
		return cv_error_set(CV_EINVAL, "thread count %d is negative", n);
	atomic_store_explicit(&max_threads, n, memory_order_relaxed);
	return 0;
}

int cv_threads(void)
{
	return atomic_load_explicit(&max_threads, memory_order_relaxed) == 1 ? 1 : 2;
}

static void *trampoline(void *p)
{
	cv_task *t = p;
	t->fn(t->arg);
	return NULL;
}

void cv_task_start(cv_task *t, void (*fn)(void *), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	/* One thread: fn runs in cv_task_join, on the caller's thread, as
	 * when no thread can be started. */
	t->on_thread = cv_threads() > 1 &&
		       pthread_create(&t->thread, NULL, trampoline, t) == 0;
}

void cv_task_join(cv_task *t)
{
	if (t->on_thread)
		pthread_join(t->thread, NULL);
	else
		t->fn(t->arg);
	t->on_thread = false;
}

void cv_task_run_pair(void (*fn)(void *), void *here, void *there)
{
	cv_task task;
	if (there)
		cv_task_start(&task, fn, there);
	fn(here);
	if (there)
		cv_task_join(&task);
}
