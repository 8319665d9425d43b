#include "util/task.h"

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
	t->on_thread = pthread_create(&t->thread, NULL, trampoline, t) == 0;
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
