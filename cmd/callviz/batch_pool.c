/*
 * The batch worker pool: one forked process per output file, a bounded
 * number at a time. Processes, not threads: graphviz keeps global state,
 * and a crash in one render must not take the others with it. The parent
 * never renders, so every child starts from the same decoded profiles.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"

typedef struct running {
	pid_t pid;
	batch_job *job;
} running;

/* Wait for one child, record how its job went; false if none was left. */
static bool reap(running *run, int *n_run)
{
	int status;
	pid_t pid;
	do
		pid = waitpid(-1, &status, 0);
	while (pid < 0 && errno == EINTR);
	if (pid < 0)
		return false;
	for (int i = 0; i < *n_run; i++) {
		if (run[i].pid != pid)
			continue;
		batch_job *j = run[i].job;
		if (WIFSIGNALED(status))
			fprintf(stderr, "callviz: %s: the render crashed (%s)\n", j->file,
				strsignal(WTERMSIG(status)));
		j->failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		run[i] = run[--*n_run];
		break;
	}
	return true;
}

size_t batch_pool_run(batch *b, int max_jobs, int (*work)(batch *b, batch_job *j))
{
	running *run = calloc((size_t)max_jobs, sizeof(*run));
	int n_run = 0;
	if (!run) {
		fprintf(stderr, "callviz: batch: out of memory\n");
		return b->n_jobs;
	}
	for (size_t i = 0; i < b->n_jobs; i++) {
		batch_job *j = &b->jobs[i];
		if (j->failed)
			continue;
		while (n_run >= max_jobs && reap(run, &n_run))
			;
		/* Unflushed output would be written again by every child. */
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid == 0)
			_exit(work(b, j) ? 1 : 0);
		if (pid < 0) {
			fprintf(stderr, "callviz: %s: cannot start a worker: %s\n", j->file,
				strerror(errno));
			j->failed = true;
			continue;
		}
		run[n_run++] = (running){pid, j};
	}
	while (n_run > 0 && reap(run, &n_run))
		;
	free(run);
	size_t failed = 0;
	for (size_t i = 0; i < b->n_jobs; i++)
		failed += b->jobs[i].failed;
	return failed;
}
